package sqlite

import (
	"fmt"
	"time"
)

// DefaultBusyTimeout is how long a connection waits for a lock held by another
// connection before a statement fails with SQLITE_BUSY, unless Options says
// otherwise.
const DefaultBusyTimeout = 30 * time.Second

// Options tune how Open prepares a connection. The zero value is the
// recommended setting: WAL journal, synchronous=NORMAL, DefaultBusyTimeout.
type Options struct {
	// BusyTimeout bounds the wait for a lock held by another connection
	// (sqlite3_busy_timeout). Zero means DefaultBusyTimeout; a negative
	// value fails at once with SQLITE_BUSY.
	BusyTimeout time.Duration
	// JournalMode is the PRAGMA journal_mode applied on open: "" means
	// "WAL"; "KEEP" leaves the database's mode alone; otherwise one of
	// DELETE, TRUNCATE, PERSIST, MEMORY, WAL, OFF.
	JournalMode string
	// Synchronous is the PRAGMA synchronous applied on open: "" means
	// "NORMAL" (safe against corruption in WAL mode, and no fsync per
	// commit); "KEEP" leaves SQLite's default (FULL); otherwise one of
	// OFF, NORMAL, FULL, EXTRA.
	Synchronous string
}

// setupSQL returns the pragmas Open runs on a fresh connection, after the busy
// timeout is set (so that switching into WAL queues behind other writers).
func (o Options) setupSQL() (string, error) {
	journal, err := pick(o.JournalMode, "WAL", "DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF")
	if err != nil {
		return "", fmt.Errorf("journal mode: %w", err)
	}
	syncMode, err := pick(o.Synchronous, "NORMAL", "OFF", "NORMAL", "FULL", "EXTRA")
	if err != nil {
		return "", fmt.Errorf("synchronous: %w", err)
	}
	sql := ""
	if journal != "KEEP" {
		sql += "PRAGMA journal_mode=" + journal + ";"
	}
	if syncMode != "KEEP" {
		sql += "PRAGMA synchronous=" + syncMode + ";"
	}
	return sql, nil
}

// busyDuration is the effective BusyTimeout.
func (o Options) busyDuration() time.Duration {
	return time.Duration(o.busyMillis()) * time.Millisecond
}

// busyMillis is BusyTimeout in the unit sqlite3_busy_timeout takes.
func (o Options) busyMillis() int32 {
	switch d := o.BusyTimeout; {
	case d == 0:
		return int32(DefaultBusyTimeout / time.Millisecond)
	case d < 0:
		return 0
	case d >= time.Duration(1<<31-1)*time.Millisecond:
		return 1<<31 - 1
	default:
		return int32(d / time.Millisecond)
	}
}

// pick returns def for "", v for "KEEP" or any allowed value, and an error
// otherwise. The values end up in SQL text, so only known words pass.
func pick(v, def string, allowed ...string) (string, error) {
	if v == "" {
		return def, nil
	}
	if v == "KEEP" {
		return v, nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", fmt.Errorf("unsupported value %q", v)
}
