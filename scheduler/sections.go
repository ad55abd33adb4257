package scheduler

// The rewriters below read a section's content from r and append the new
// content to out. Entries that hold no function index are copied as bytes.

func (m *module) rewriteTypes(r *reader, out []byte) []byte {
	if !m.addType {
		return append(out, r.buf...)
	}
	n := r.u32()
	out = appendU32(out, n+1)
	out = append(out, r.bytes(uint32(len(r.buf)-r.pos))...)
	return appendYieldType(out)
}

func (m *module) rewriteImports(r *reader, out []byte) []byte {
	n := r.u32()
	if n >= ^uint32(0)-1 && r.err == nil {
		r.fail("too many imports")
	}
	added := uint32(1)
	if m.mode == Epoch {
		added = 2
	}
	out = appendU32(out, n+added)
	out = append(out, r.bytes(uint32(len(r.buf)-r.pos))...)
	return m.appendYieldImport(out)
}

// checkTables copies the table section after checking that every entry is a
// plain table type (the function-references form with an initialiser
// expression is not enabled by default in wazero).
func checkTables(r *reader, out []byte) []byte {
	start := r.pos
	n := r.count()
	for i := uint32(0); i < n && r.err == nil; i++ {
		readTableType(r)
	}
	r.expectEnd("table section")
	return append(out, r.buf[start:r.pos]...)
}

func (m *module) rewriteGlobals(r *reader, out []byte) []byte {
	n := r.count()
	out = appendU32(out, n+1)
	for i := uint32(0); i < n && r.err == nil; i++ {
		start := r.pos
		readValType(r)
		readMut(r)
		if r.err != nil {
			break
		}
		out = append(out, r.buf[start:r.pos]...)
		out = rewriteConstExpr(r, out, m)
	}
	r.expectEnd("global section")
	return m.appendFuelGlobal(out)
}

func (m *module) rewriteExports(r *reader, out []byte) []byte {
	n := r.count()
	out = appendU32(out, n+1)
	for i := uint32(0); i < n && r.err == nil; i++ {
		start := r.pos
		r.name()
		kind := r.byte()
		idxStart := r.pos
		idx := r.u32()
		if r.err != nil {
			break
		}
		if kind > 0x03 {
			r.fail("unsupported export kind 0x%x", kind)
			break
		}
		if kind == 0x03 {
			m.checkGlobal(r, idx)
			out = appendU32(append(out, r.buf[start:idxStart]...), m.remapGlobal(idx))
			continue
		}
		if kind != 0x00 {
			out = append(out, r.buf[start:r.pos]...)
			continue
		}
		out = appendU32(append(out, r.buf[start:idxStart]...), m.remapFunc(r, idx))
	}
	r.expectEnd("export section")
	return m.appendFuelExport(out)
}

// checkMemories copies the memory section after checking its entries.
func checkMemories(r *reader, out []byte) []byte {
	n := r.count()
	for i := uint32(0); i < n && r.err == nil; i++ {
		readLimits(r, "memory")
	}
	r.expectEnd("memory section")
	return append(out, r.buf...)
}

// checkData copies the data section after checking its segments: active in
// memory 0 (flags 0), passive (1) or active with a memory index (2).
//
// Offset expressions are rewritten (global indices move in Epoch mode).
func (m *module) checkData(r *reader, out []byte) []byte {
	n := r.count()
	out = appendU32(out, n)
	for i := uint32(0); i < n && r.err == nil; i++ {
		start := r.pos
		switch flags := r.u32(); flags {
		case 0:
			out = append(out, r.buf[start:r.pos]...)
			out = rewriteConstExpr(r, out, m)
		case 1:
			out = append(out, r.buf[start:r.pos]...)
		case 2:
			r.u32()
			out = append(out, r.buf[start:r.pos]...)
			out = rewriteConstExpr(r, out, m)
		default:
			if r.err == nil {
				r.fail("unsupported data segment flags %d", flags)
			}
		}
		start = r.pos
		r.name() // the bytes
		out = append(out, r.buf[start:r.pos]...)
	}
	r.expectEnd("data section")
	return out
}
