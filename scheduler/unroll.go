package scheduler

// EpochLoops mode polls for preemption on every back edge of a loop. In a small loop
// that poll (a load, a compare folded into the branch back) is a large part of an
// iteration, so small innermost loops are unrolled once and poll every other
// iteration:
//
//	loop bt                    loop bt                ;; L
//	  B                  =>      block bt             ;; X
//	end                            block              ;; C
//	                                 B'                ;; back edges go to C
//	                                 br 1              ;; B fell off its end: leave through X
//	                               end
//	                               B''                 ;; back edges go to L, with a poll
//	                             end
//	                           end
//
// In B' a branch to the loop leaves C and runs the second copy; in B'' it goes back
// to the loop's header as before. Branches out of the loop count the two or one
// blocks added around each copy. Only loops without parameters, with an empty or
// single-value block type, no loop or call inside and a body of at most
// maxUnrollBody bytes are unrolled: where a call or an inner loop runs each
// iteration, a poll more or less is lost in it.

// maxUnrollBody bounds the body of a loop that is unrolled, in bytes.
const maxUnrollBody = 96

// unrolledLoop is a loop to unroll: where its opcode, its body and its end are.
type unrolledLoop struct {
	loopPos, bodyStart, endPos int
}

// busy marks the innermost loop around the current instruction as one not to unroll.
func (fr *funcRewriter) busy() {
	if i := fr.stack[len(fr.stack)-1].loop; i >= 0 {
		fr.stack[i].busy = true
	}
}

// loopEnd considers the loop f, whose end opcode is at endPos, for unrolling.
func (fr *funcRewriter) loopEnd(f frame, endPos int) {
	if !fr.m.loopsOnly || fr.noUnroll || f.busy || f.params {
		return
	}
	bodyStart := f.loopPos + 2 // the opcode and a one-byte block type
	switch bt := fr.fs.body[f.loopPos+1]; {
	case bt == blockTypeEmpty, isValType(bt):
	default:
		return // a type index
	}
	if endPos-bodyStart > maxUnrollBody {
		return
	}
	fr.unroll = append(fr.unroll, unrolledLoop{loopPos: f.loopPos, bodyStart: bodyStart, endPos: endPos})
}

// unrollLoops returns body with loops (in order, none inside another) unrolled;
// numTypes is the size of the type section, for the block types inside them. It fails
// only if a loop's body does not decode, which the scan that found the loops rules out.
func unrollLoops(body []byte, numTypes int, loops []unrolledLoop) ([]byte, error) {
	out := make([]byte, 0, len(body)+len(body)/2)
	prev := 0
	for _, l := range loops {
		bt := body[l.loopPos+1]
		out = append(out, body[prev:l.bodyStart]...) // ... loop bt
		out = append(out, opBlock, bt, opBlock, blockTypeEmpty)
		// First copy: a branch to the loop (depth k at nesting k) now leaves C, at the
		// same depth; one further out passes X and L.
		var err error
		out, err = appendRelabeled(out, body[l.bodyStart:l.endPos], numTypes, func(d, k uint32) uint32 {
			if d > k {
				return d + 2
			}
			return d
		})
		if err != nil {
			return nil, err
		}
		out = append(out, opBr, 1, opEnd)
		// Second copy: the loop and everything outside it are one further out (X).
		if out, err = appendRelabeled(out, body[l.bodyStart:l.endPos], numTypes, func(d, k uint32) uint32 {
			if d >= k {
				return d + 1
			}
			return d
		}); err != nil {
			return nil, err
		}
		out = append(out, opEnd) // X; the loop's own end follows
		prev = l.endPos
	}
	return append(out, body[prev:]...), nil
}

// appendRelabeled appends code (a loop body the scan has decoded) with the depth d of
// each branch, found at nesting k inside the body, replaced by relabel(d, k). Every
// operator the scan decodes itself rather than through skipImmediates is handled here.
func appendRelabeled(out, code []byte, numTypes int, relabel func(d, k uint32) uint32) ([]byte, error) {
	r := newReader(code, 0)
	var k uint32
	for r.pos < len(code) && r.err == nil {
		start := r.pos
		op := r.byte()
		switch op {
		case opNop, opElse:
			out = append(out, op)
		case opRefFunc:
			r.u32()
			out = append(out, code[start:r.pos]...)
		case opBlock, opLoop, opIf:
			readBlockType(r, numTypes)
			k++
			out = append(out, code[start:r.pos]...)
		case opEnd:
			k--
			out = append(out, op)
		case opBr, opBrIf:
			out = appendU32(append(out, op), relabel(r.u32(), k))
		case opBrTable:
			n := r.count()
			out = appendU32(append(out, op), n)
			for i := uint32(0); i <= n && r.err == nil; i++ {
				out = appendU32(out, relabel(r.u32(), k))
			}
		default:
			skipImmediates(r, op, start)
			out = append(out, code[start:r.pos]...)
		}
	}
	return out, r.err
}
