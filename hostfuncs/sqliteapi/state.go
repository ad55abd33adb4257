package sqliteapi

import (
	"context"
	"io"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/sqlite"
	"github.com/lunatic-go/lunatic/vm"
)

// state is a process's SQLite resources: its session (connection and
// statement tables) and a scratch buffer for results. It is closed when the
// process ends, which finalizes every statement and closes every connection.
type state struct {
	s         *sqlite.Session
	rt        *vm.Runtime // reports connections to the runtime's observer
	conns     int         // connections opened, all closed by Close
	stopAbort func() bool
	buf       []byte // reused for results; nil while lent out

	// alloc is the guest's lunatic_alloc, looked up once (each lookup allocates
	// a wazero call stack); allocBusy is set while a call to it runs.
	alloc     api.Function
	allocMod  api.Module
	allocBusy bool
}

var _ io.Closer = (*state)(nil)

var stateKey = vm.NewLocalKey[state]("sqlite")

// session returns p's session, creating it on first use. A kill aborts the
// session's connections, so that a call waiting for another process's lock
// or running a long statement returns at once.
func session(p *vm.Process) *sqlite.Session {
	st := stateKey.Get(p)
	if st.s == nil {
		st.s = sqlite.NewSession(sqlite.Options{})
		st.rt = p.Env().Runtime()
		st.stopAbort = context.AfterFunc(p.Context(), st.s.Abort)
	}
	return st.s
}

// opened records a connection p opened, for the resource metrics.
func opened(p *vm.Process) {
	st := stateKey.Get(p)
	st.conns++
	st.rt.ResourceOpened(resource.SQLiteConn)
}

// takeBuf lends out p's scratch buffer, emptied; giveBuf returns it. A guest
// whose lunatic_alloc calls back into this module gets a fresh buffer instead
// of the one in use.
func takeBuf(p *vm.Process) []byte {
	st := stateKey.Get(p)
	b := st.buf[:0]
	st.buf = nil
	return b
}

func giveBuf(p *vm.Process, b []byte) {
	const keep = 64 << 10 // do not pin one huge row's buffer for the process's life
	if cap(b) <= keep {
		stateKey.Get(p).buf = b
	}
}

// Close finalizes the process's statements and closes its connections.
func (st *state) Close() error {
	if st.s == nil {
		return nil
	}
	st.stopAbort()
	err := st.s.Close()
	for range st.conns {
		st.rt.ResourceClosed(resource.SQLiteConn)
	}
	st.conns = 0
	return err
}
