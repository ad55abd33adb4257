package testharness

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Panic reports as Rust's default panic hook prints them on stderr.
var (
	// Before Rust 1.73: thread 'NAME' panicked at 'MESSAGE', FILE:LINE:COL
	// The message may span lines and contain quotes; it ends at the first "', " that is
	// followed by a location (a path without quotes) closing the line.
	oldPanicRe = regexp.MustCompile(`(?ms)^thread '[^'\n]*' panicked at '(.*?)', [^'\n]*:\d+:\d+$`)
	// Rust 1.73 and later: thread 'NAME' panicked at FILE:LINE:COL:
	// followed by the message from the next line on.
	newPanicRe = regexp.MustCompile(`(?m)^thread '[^'\n]*' panicked at [^\n]*:\d+:\d+:\n`)
)

// Lines that follow a panic message in the new format and are not part of it.
var panicTrailers = []string{
	"\nnote: run with `RUST_BACKTRACE=",
	"\nstack backtrace:\n",
	"\nnote: Some details are omitted",
}

// panicMessages returns the messages of every panic report in out, in order of
// appearance, in either format.
func panicMessages(out string) []string {
	type found struct {
		at  int
		msg string
	}
	var all []found
	for _, m := range oldPanicRe.FindAllStringSubmatchIndex(out, -1) {
		all = append(all, found{m[0], out[m[2]:m[3]]})
	}
	for _, m := range newPanicRe.FindAllStringIndex(out, -1) {
		all = append(all, found{m[0], newPanicMessage(out[m[1]:])})
	}
	if len(all) == 0 {
		return nil
	}
	sort.Slice(all, func(i, j int) bool { return all[i].at < all[j].at })
	msgs := make([]string, len(all))
	for i, f := range all {
		msgs[i] = f.msg
	}
	return msgs
}

// newPanicMessage cuts the message of a new-format report out of the text after its
// header: up to the hook's note or backtrace, or the next panic report, or the end.
func newPanicMessage(rest string) string {
	end := len(rest)
	for _, t := range panicTrailers {
		if i := strings.Index(rest, t); i >= 0 && i < end {
			end = i
		}
	}
	if loc := newPanicRe.FindStringIndex(rest); loc != nil && loc[0] < end {
		end = loc[0]
	}
	if loc := oldPanicRe.FindStringIndex(rest); loc != nil && loc[0] < end {
		end = loc[0]
	}
	return strings.TrimSuffix(rest[:end], "\n")
}

// rustDebugString quotes s the way Rust's {:?} prints a str, as libtest's notes do.
func rustDebugString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '\n':
			b.WriteString(`\n`)
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case 0:
			b.WriteString(`\0`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u{%x}`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
