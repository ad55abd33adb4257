package scheduler

// emitter writes the instruction sequences that Instrument inserts.
type emitter struct {
	g      uint32 // fuel global
	y      uint32 // yield import
	l      uint32 // cached counter local, when cached
	cached bool
}

// check appends a fuel check charging cost. Without a cached counter:
//
//	global.get $fuel  i64.const cost  i64.sub  global.set $fuel
//	global.get $fuel  i64.const 0  i64.lt_s
//	if  call $yield  global.set $fuel  end
//
// With a cached counter the new value is kept in the local too (local.tee),
// and loop headers read the local instead of the global. entry tells a
// function-entry check, which always loads the global.
func (e *emitter) check(out []byte, cost int64, entry bool) []byte {
	if e.cached && !entry {
		out = appendU32(append(out, opLocalGet), e.l)
	} else {
		out = appendU32(append(out, opGlobalGet), e.g)
	}
	out = appendS64(append(out, opI64Const), cost)
	out = append(out, opI64Sub)
	if e.cached {
		out = appendU32(append(out, opLocalTee), e.l)
		out = appendU32(append(out, opGlobalSet), e.g)
		out = appendU32(append(out, opLocalGet), e.l)
	} else {
		out = appendU32(append(out, opGlobalSet), e.g)
		out = appendU32(append(out, opGlobalGet), e.g)
	}
	out = append(out, opI64Const, 0x00, opI64LtS, opIf, blockTypeEmpty)
	out = appendU32(append(out, opCall), e.y)
	if e.cached {
		out = appendU32(append(out, opLocalTee), e.l)
	}
	out = appendU32(append(out, opGlobalSet), e.g)
	return append(out, opEnd)
}

// reload appends global.get $fuel local.set $cached, used after calls since
// the callee (or the host) may have changed the counter.
func (e *emitter) reload(out []byte) []byte {
	out = appendU32(append(out, opGlobalGet), e.g)
	return appendU32(append(out, opLocalSet), e.l)
}
