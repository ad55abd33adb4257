package cluster

import "github.com/lunatic-go/lunatic/vm"

// Environment returns this node's environment with the given id, creating it on first
// use. Messages and spawns from other nodes land in the environment whose id is the
// sender's, so a program's processes share one environment id on every node.
func (n *Node) Environment(id uint64) *vm.Environment {
	n.envMu.Lock()
	defer n.envMu.Unlock()
	env, ok := n.envs[id]
	if !ok {
		env = n.rt.NewEnvironment(id)
		n.envs[id] = env
	}
	return env
}

// lookupEnvironment returns the environment with the given id, or nil.
func (n *Node) lookupEnvironment(id uint64) *vm.Environment {
	n.envMu.Lock()
	defer n.envMu.Unlock()
	return n.envs[id]
}
