package vm

// linkMap holds a process's links: the peer's id and the tag stored on this side for it.
// Most processes have at most one link (to their parent or supervisor), which is stored
// in place; a second one moves them all to a map. The zero value is empty. Process ids
// start at 1, so peer 0 marks the place as free.
type linkMap struct {
	onePeer uint64
	oneTag  int64
	many    map[uint64]int64 // every link, once there were two at once
}

// set records the link to peer with tag, replacing an existing one.
func (l *linkMap) set(peer uint64, tag int64) {
	switch {
	case l.many != nil:
		l.many[peer] = tag
	case l.onePeer == 0 || l.onePeer == peer:
		l.onePeer, l.oneTag = peer, tag
	default:
		l.many = map[uint64]int64{l.onePeer: l.oneTag, peer: tag}
		l.onePeer, l.oneTag = 0, 0
	}
}

// remove drops the link to peer, if any.
func (l *linkMap) remove(peer uint64) {
	if l.many != nil {
		delete(l.many, peer)
	} else if l.onePeer == peer {
		l.onePeer, l.oneTag = 0, 0
	}
}

// len is the number of links.
func (l *linkMap) len() int {
	if l.many != nil {
		return len(l.many)
	}
	if l.onePeer != 0 {
		return 1
	}
	return 0
}

// each calls f for every link, in no particular order.
func (l *linkMap) each(f func(peer uint64, tag int64)) {
	if l.many != nil {
		for peer, tag := range l.many {
			f(peer, tag)
		}
	} else if l.onePeer != 0 {
		f(l.onePeer, l.oneTag)
	}
}

// peers returns the linked ids in no particular order (nil without links).
func (l *linkMap) peers() []uint64 {
	if l.len() == 0 {
		return nil
	}
	out := make([]uint64, 0, l.len())
	l.each(func(peer uint64, _ int64) { out = append(out, peer) })
	return out
}
