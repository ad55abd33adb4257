package wazevo

import (
	"unsafe"

	"github.com/tetratelabs/wazero/internal/wasm"
)

// elementTemplate is what the active element segments of a module put into its tables,
// decoded once per compiled module: an instantiation copies the function instances and
// stores their addresses instead of decoding each entry's constant expression and
// looking its function up. A module gets one only when every active segment has an
// i32.const offset and only ref.func entries (what Rust and C toolchains emit).
type elementTemplate struct {
	segments []elementTemplateSegment
	// insts are the function instances of the entries, in segment order, without the
	// instance's module context and type ID; executable is 0 for imported functions.
	insts []rawFunctionInstance
	// typeIndexes are the type indexes of insts (for the instance's TypeIDs).
	typeIndexes []wasm.Index
}

// rawFunctionInstance is functionInstance with its pointers as uintptrs: an instance's
// block of them is allocated without pointer bitmaps and copied without write barriers.
// Nothing is lost to the GC: executable points into mmapped code and
// moduleContextOpaquePtr into the opaque of the moduleEngine that keeps the block.
type rawFunctionInstance struct {
	executable             uintptr
	moduleContextOpaquePtr uintptr
	typeID                 wasm.FunctionTypeID
	indexInModule          wasm.Index
}

// The machine code reads both types through the same offsets.
var (
	_ [unsafe.Sizeof(functionInstance{}) - unsafe.Sizeof(rawFunctionInstance{})]byte
	_ [unsafe.Sizeof(rawFunctionInstance{}) - unsafe.Sizeof(functionInstance{})]byte
	_ [unsafe.Offsetof(functionInstance{}.typeID) - unsafe.Offsetof(rawFunctionInstance{}.typeID)]byte
	_ [unsafe.Offsetof(rawFunctionInstance{}.typeID) - unsafe.Offsetof(functionInstance{}.typeID)]byte
	_ [unsafe.Offsetof(functionInstance{}.moduleContextOpaquePtr) - unsafe.Offsetof(rawFunctionInstance{}.moduleContextOpaquePtr)]byte
	_ [unsafe.Offsetof(rawFunctionInstance{}.moduleContextOpaquePtr) - unsafe.Offsetof(functionInstance{}.moduleContextOpaquePtr)]byte
	_ [unsafe.Offsetof(functionInstance{}.indexInModule) - unsafe.Offsetof(rawFunctionInstance{}.indexInModule)]byte
	_ [unsafe.Offsetof(rawFunctionInstance{}.indexInModule) - unsafe.Offsetof(functionInstance{}.indexInModule)]byte
)

type elementTemplateSegment struct {
	table      wasm.Index
	offset     uint32
	begin, end int // range of insts
}

// getElementTemplate returns the module's element template, building it on first use.
func (c *compiledModule) getElementTemplate() *elementTemplate {
	c.elemTemplateOnce.Do(func() { c.elemTemplate = buildElementTemplate(c) })
	return c.elemTemplate
}

func buildElementTemplate(c *compiledModule) *elementTemplate {
	src := c.module
	t := &elementTemplate{}
	for i := range src.ElementSection {
		elem := &src.ElementSection[i]
		if !elem.IsActive() || len(elem.Init) == 0 {
			continue
		}
		offset, ok := wasm.ConstI32(&elem.OffsetExpr)
		if !ok {
			return nil
		}
		seg := elementTemplateSegment{table: elem.TableIndex, offset: offset, begin: len(t.insts)}
		for j := range elem.Init {
			idx, ok := wasm.RefFuncIndex(&elem.Init[j])
			if !ok {
				return nil
			}
			fi := rawFunctionInstance{indexInModule: idx}
			var typeIndex wasm.Index
			if idx >= src.ImportFunctionCount {
				local := idx - src.ImportFunctionCount
				if int(local) >= len(c.functionOffsets) {
					return nil
				}
				fi.executable = uintptr(unsafe.Pointer(&c.executable[c.functionOffsets[local]]))
				typeIndex = src.FunctionSection[local]
			}
			t.insts = append(t.insts, fi)
			t.typeIndexes = append(t.typeIndexes, typeIndex)
		}
		seg.end = len(t.insts)
		t.segments = append(t.segments, seg)
	}
	return t
}

// ApplyElementTemplate implements wasm's elementTemplateApplier.
func (m *moduleEngine) ApplyElementTemplate() bool {
	t := m.parent.getElementTemplate()
	if t == nil {
		return false
	}
	mi := m.module
	for _, s := range t.segments {
		if int(s.table) >= len(mi.Tables) || mi.Tables[s.table].Type != wasm.RefTypeFuncref {
			return false
		}
	}
	if len(t.insts) == 0 {
		return true
	}
	block := m.templateBlock
	if block == nil || !sameTypeIDs(m.templateTypeIDs, mi.TypeIDs) {
		// A recycled engine has its block already: opaque did not move, and the type
		// IDs are the same when the instance comes from the same CompiledModule of the
		// same runtime (runtimes sharing a compilation cache share this engine).
		block = make([]rawFunctionInstance, len(t.insts))
		copy(block, t.insts)
		opaque := uintptr(unsafe.Pointer(m.opaquePtr))
		for i := range block {
			if block[i].executable != 0 {
				block[i].moduleContextOpaquePtr = opaque
				block[i].typeID = mi.TypeIDs[t.typeIndexes[i]]
			}
		}
		m.templateBlock, m.templateTypeIDs = block, mi.TypeIDs
	}
	for _, s := range t.segments {
		refs := mi.Tables[s.table].References
		if int(s.offset)+(s.end-s.begin) > len(refs) {
			// Out of bounds: as applyElements, stop without applying this segment
			// or the ones after it.
			return true
		}
		dst := refs[s.offset:]
		for i := s.begin; i < s.end; i++ {
			if block[i].executable == 0 {
				dst[i-s.begin] = m.FunctionInstanceReference(block[i].indexInModule)
			} else {
				dst[i-s.begin] = uintptr(unsafe.Pointer(&block[i]))
			}
		}
	}
	return true
}

// sameTypeIDs reports whether a and b are the same slice (not merely equal contents).
func sameTypeIDs(a, b []wasm.FunctionTypeID) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
