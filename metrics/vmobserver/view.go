package vmobserver

import (
	"cmp"
	"slices"
	"time"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/vm"
)

// Sample walks the live processes for the scrape-time gauges. Each process costs two
// short lock acquisitions; nothing is stopped.
func (o *Observer) Sample() metrics.Sample {
	var s metrics.Sample
	for _, e := range o.environments() {
		for _, p := range e.Processes() {
			n := uint64(p.MailboxLen())
			s.MailboxMessages += n
			s.MailboxMax = max(s.MailboxMax, n)
			s.MemoryBytes += p.MemoryBytes()
		}
	}
	return s
}

// Processes describes every live process.
func (o *Observer) Processes() []metrics.ProcessInfo {
	now := time.Now()
	var out []metrics.ProcessInfo
	for _, e := range o.environments() {
		for _, p := range e.Processes() {
			out = append(out, info(p, now))
		}
	}
	return out
}

// Process describes the live process with the given id, looking in the environments in
// id order.
func (o *Observer) Process(id uint64) (metrics.ProcessInfo, bool) {
	envs := o.environments()
	slices.SortFunc(envs, func(a, b *vm.Environment) int { return cmp.Compare(a.ID(), b.ID()) })
	for _, e := range envs {
		if p := e.Lookup(id); p != nil {
			return info(p, time.Now()), true
		}
	}
	return metrics.ProcessInfo{}, false
}

func info(p *vm.Process, now time.Time) metrics.ProcessInfo {
	links, monitors := p.Links(), p.Monitors()
	slices.Sort(links)
	slices.Sort(monitors)
	return metrics.ProcessInfo{
		ID:          p.ID(),
		Environment: p.Env().ID(),
		Parent:      p.ParentID(),
		Entry:       p.Entry(),
		State:       p.State().String(),
		MailboxLen:  p.MailboxLen(),
		Links:       links,
		Monitors:    monitors,
		FuelUsed:    p.FuelUsed(),
		MemoryBytes: p.MemoryBytes(),
		Started:     p.Started(),
		AgeSeconds:  now.Sub(p.Started()).Seconds(),
	}
}
