package observer

import (
	"sync"
	"time"

	"github.com/lunatic-go/lunatic/metrics"
)

// Point is the summary at one instant: the gauges, the counters, and the counters' rates
// since the point before.
type Point struct {
	Time            int64              `json:"t"` // Unix milliseconds
	Alive           int64              `json:"alive"`
	SpawnedTotal    uint64             `json:"spawned_total"`
	SpawnedPerSec   float64            `json:"spawned_per_s"`
	FinishedTotal   map[string]uint64  `json:"finished_total"`
	FinishedPerSec  map[string]float64 `json:"finished_per_s"` // by outcome
	MessagesTotal   uint64             `json:"messages_total"` // data messages delivered
	MessagesPerSec  float64            `json:"messages_per_s"`
	MemoryBytes     uint64             `json:"memory_bytes"`
	MailboxMessages uint64             `json:"mailbox_messages"`
	FuelTotal       uint64             `json:"fuel_total"`
	FuelPerSec      float64            `json:"fuel_per_s"`
	Sockets         int64              `json:"sockets"`
	SQLite          int64              `json:"sqlite"`
	Timers          int64              `json:"timers"`
}

// mailboxPoint is one sample of a watched process's mailbox.
type mailboxPoint struct {
	Time int64 `json:"t"`
	Len  int   `json:"len"`
}

// watched is the mailbox history of a process someone has open in the detail view.
type watched struct {
	lastAsked time.Time
	points    []mailboxPoint
}

// watchExpiry is how long a process's mailbox keeps being sampled after the last detail
// request for it.
const watchExpiry = time.Minute

// sampler keeps the summary history and the mailbox histories of watched processes.
type sampler struct {
	m       *metrics.Metrics
	src     source
	snaps   *snapshots
	history int

	mu      sync.Mutex
	points  []Point // oldest first, at most history
	subs    map[chan Point]struct{}
	watches map[procKey]*watched
	prev    metrics.Totals
	prevAt  time.Time
}

func newSampler(m *metrics.Metrics, src source, snaps *snapshots, history int) *sampler {
	return &sampler{m: m, src: src, snaps: snaps, history: history, subs: map[chan Point]struct{}{}, watches: map[procKey]*watched{}}
}

// sample takes one point and the watched mailboxes, and hands the point to subscribers.
func (s *sampler) sample(now time.Time) Point {
	t := s.m.Totals()
	p := Point{
		Time: now.UnixMilli(), Alive: t.Alive, SpawnedTotal: t.Spawned,
		FinishedTotal: t.Finished, FinishedPerSec: make(map[string]float64, len(t.Finished)),
		MessagesTotal: t.MessagesSent, FuelTotal: t.Fuel,
		Sockets: t.SocketsOpen, SQLite: t.SQLiteConnections, Timers: t.TimersPending,
	}
	rows := s.snaps.get().rows
	for i := range rows {
		p.MemoryBytes += rows[i].Memory
		p.MailboxMessages += uint64(rows[i].Mailbox)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.prevAt.IsZero() {
		if dt := now.Sub(s.prevAt).Seconds(); dt > 0 {
			rate := func(now, before uint64) float64 {
				if now < before {
					return 0
				}
				return float64(now-before) / dt
			}
			p.SpawnedPerSec = rate(t.Spawned, s.prev.Spawned)
			p.MessagesPerSec = rate(t.MessagesSent, s.prev.MessagesSent)
			p.FuelPerSec = rate(t.Fuel, s.prev.Fuel)
			for k, v := range t.Finished {
				p.FinishedPerSec[k] = rate(v, s.prev.Finished[k])
			}
		}
	} else {
		for k := range t.Finished {
			p.FinishedPerSec[k] = 0
		}
	}
	s.prev, s.prevAt = t, now
	if len(s.points) == s.history {
		copy(s.points, s.points[1:])
		s.points = s.points[:len(s.points)-1]
	}
	s.points = append(s.points, p)
	s.sampleWatches(now)
	for ch := range s.subs {
		select {
		case ch <- p:
		default: // a slow client misses a point; the next one carries the totals
		}
	}
	return p
}

// sampleWatches records the mailbox of every watched process. Caller holds mu.
func (s *sampler) sampleWatches(now time.Time) {
	for k, w := range s.watches {
		if now.Sub(w.lastAsked) > watchExpiry {
			delete(s.watches, k)
			continue
		}
		p := s.src.lookup(k.env, k.id)
		if p == nil {
			continue
		}
		if len(w.points) == s.history {
			copy(w.points, w.points[1:])
			w.points = w.points[:len(w.points)-1]
		}
		w.points = append(w.points, mailboxPoint{Time: now.UnixMilli(), Len: p.MailboxLen()})
	}
}

// watch starts or extends the sampling of a process's mailbox and returns its history so
// far (now included).
func (s *sampler) watch(k procKey, now time.Time, current int) []mailboxPoint {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.watches[k]
	if w == nil {
		w = &watched{}
		s.watches[k] = w
	}
	w.lastAsked = now
	out := append(make([]mailboxPoint, 0, len(w.points)+1), w.points...)
	return append(out, mailboxPoint{Time: now.UnixMilli(), Len: current})
}

// history returns the points so far, oldest first.
func (s *sampler) historyPoints() []Point {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Point{}, s.points...)
}

// subscribe returns a channel that receives every new point, and the history up to it.
func (s *sampler) subscribe() (chan Point, []Point) {
	ch := make(chan Point, 4)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subs[ch] = struct{}{}
	return ch, append([]Point{}, s.points...)
}

func (s *sampler) unsubscribe(ch chan Point) {
	s.mu.Lock()
	delete(s.subs, ch)
	s.mu.Unlock()
}
