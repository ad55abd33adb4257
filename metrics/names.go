package metrics

import (
	"strings"
	"unicode/utf8"
)

// maxGuestNameLen bounds a guest metric name, in bytes, so the cap on series also bounds
// memory. Longer names are dropped.
const maxGuestNameLen = 200

// guestPrefix is put in front of guest names that would clash with the runtime's own.
const guestPrefix = "guest_"

// sanitizeName turns a guest metric name into a valid Prometheus metric name: every
// character outside [a-zA-Z0-9_] becomes '_' (so "http.requests" is "http_requests"; ':'
// is kept out because Prometheus reserves it for recording rules), and a leading digit
// gets a '_' in front. It returns false for an empty name, a name longer than
// maxGuestNameLen bytes, or bytes that are not UTF-8.
func sanitizeName(raw []byte) (string, bool) {
	if len(raw) == 0 || len(raw) > maxGuestNameLen || !utf8.Valid(raw) {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(raw) + 1)
	if raw[0] >= '0' && raw[0] <= '9' {
		b.WriteByte('_')
	}
	for _, r := range string(raw) {
		if isNameChar(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String(), true
}

func isNameChar(r rune) bool {
	return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
}

// guestName sanitises raw and moves it out of the runtime's namespace: a name that starts
// with "lunatic_" or equals a runtime series name gets the prefix "guest_".
func guestName(raw []byte, reserved map[string]bool) (string, bool) {
	name, ok := sanitizeName(raw)
	if !ok {
		return "", false
	}
	if strings.HasPrefix(name, Namespace+"_") || reserved[name] {
		name = guestPrefix + name
	}
	return name, true
}

// histogramSuffixes are the series names a histogram family adds to its own name.
var histogramSuffixes = [...]string{"_bucket", "_sum", "_count"}
