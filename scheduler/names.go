package scheduler

// Subsection ids of the "name" custom section (with the extended-name-section
// proposal's ids up to tag names).
const (
	nameModule    = 0
	nameFunctions = 1
	nameLocals    = 2
	nameLabels    = 3
	nameGlobals   = 7
	nameLastKnown = 11
)

// rewriteNames appends the "name" custom section s with function indices
// remapped and the injected import named. Label names (subsection 3) are
// dropped because the inserted checks renumber labels, global names
// (subsection 7) in Epoch mode, where global indices move, as are subsections
// this package does not know (they might hold function indices). A name
// section that does not parse, or names a function that does not exist, is
// dropped whole: names never change what a module does.
func (m *module) rewriteNames(out []byte, s section) []byte {
	start := len(out)
	out = append(out, secCustom)
	out, mark := beginSized(out)
	r := newReader(s.content, s.offset)
	out = appendName(out, string(r.name()))
	named := false
	for !r.done() {
		id := r.byte()
		sub := newReader(r.bytes(r.u32()), r.offset())
		if r.err != nil {
			return out[:start]
		}
		if id > nameFunctions && !named {
			out, named = m.appendFunctionNames(out, nil), true
		}
		switch {
		case id == nameFunctions && !named:
			out, named = m.appendFunctionNames(out, sub), true
		case id == nameLocals:
			out = m.appendLocalNames(out, sub)
		case id == nameGlobals && m.mode == Epoch:
			continue // the indices moved; names never change behaviour
		case id == nameModule || (id > nameLabels && id <= nameLastKnown):
			out = append(out, id)
			out = appendU32(out, uint32(len(sub.buf)))
			out = append(out, sub.buf...)
		default: // labels, unknown, or a repeated function names subsection
			continue
		}
		if sub.err != nil {
			return out[:start]
		}
	}
	if !named {
		out = m.appendFunctionNames(out, nil)
	}
	return endSized(out, mark)
}

// appendFunctionNames appends a function names subsection built from sub
// (nil for none) with indices remapped and the yield import added.
func (m *module) appendFunctionNames(out []byte, sub *reader) []byte {
	out = append(out, nameFunctions)
	out, mark := beginSized(out)
	var n uint32
	if sub != nil {
		n = sub.count()
	}
	out = appendU32(out, n+1)
	added := false
	for i := uint32(0); i < n && sub.err == nil; i++ {
		idx := sub.u32()
		name := sub.name()
		if !added && idx >= m.funcImports {
			out = appendName(appendU32(out, m.funcImports), yieldFuncName)
			added = true
		}
		out = appendU32(out, m.remapFunc(sub, idx))
		out = append(appendU32(out, uint32(len(name))), name...)
	}
	if !added {
		out = appendName(appendU32(out, m.funcImports), yieldFuncName)
	}
	if sub != nil {
		sub.expectEnd("function names")
	}
	return endSized(out, mark)
}

// appendLocalNames appends the local names subsection with function indices
// remapped (local indices do not change).
func (m *module) appendLocalNames(out []byte, sub *reader) []byte {
	out = append(out, nameLocals)
	out, mark := beginSized(out)
	n := sub.count()
	out = appendU32(out, n)
	for i := uint32(0); i < n && sub.err == nil; i++ {
		out = appendU32(out, m.remapFunc(sub, sub.u32()))
		start := sub.pos
		locals := sub.count()
		for j := uint32(0); j < locals && sub.err == nil; j++ {
			sub.u32()
			sub.name()
		}
		out = append(out, sub.buf[start:sub.pos]...)
	}
	sub.expectEnd("local names")
	return endSized(out, mark)
}
