package scheduler

// rewriteElements rewrites the element section, remapping function indices
// in every segment form (flags 0-7 of the wasm 2.0 binary format): the
// index vectors of forms 0-3 and ref.func in the expressions of forms 4-7.
func (m *module) rewriteElements(r *reader, out []byte) []byte {
	n := r.count()
	out = appendU32(out, n)
	for i := uint32(0); i < n && r.err == nil; i++ {
		start := r.pos
		flags := r.u32()
		if flags > 7 && r.err == nil {
			r.fail("unsupported element segment flags %d", flags)
		}
		if r.err != nil {
			break
		}
		out = append(out, r.buf[start:r.pos]...)
		active := flags&0x01 == 0
		if flags&0x02 != 0 && active { // explicit table index
			tableStart := r.pos
			r.u32()
			out = append(out, r.buf[tableStart:r.pos]...)
		}
		if active {
			out = rewriteConstExpr(r, out, m)
		}
		usesExprs := flags&0x04 != 0
		if flags&0x03 != 0 { // element kind or reference type
			if usesExprs {
				out = append(out, readRefType(r))
			} else if kind := r.byte(); kind != 0x00 && r.err == nil {
				r.fail("unsupported element kind 0x%x", kind)
			} else {
				out = append(out, kind)
			}
		}
		count := r.count()
		out = appendU32(out, count)
		for j := uint32(0); j < count && r.err == nil; j++ {
			if usesExprs {
				out = rewriteConstExpr(r, out, m)
			} else {
				idx := r.u32()
				out = appendU32(out, m.remapFunc(r, idx))
				m.takeAddress(idx)
			}
		}
	}
	r.expectEnd("element section")
	return out
}
