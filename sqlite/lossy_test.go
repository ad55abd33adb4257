package sqlite

import "testing"

// Expected outputs follow the Unicode "maximal subpart" substitution, which is
// what Rust's String::from_utf8_lossy implements (Unicode 15, §3.9, table 3-8).
func TestLossyMatchesRust(t *testing.T) {
	const r = "\uFFFD"
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain ascii", "plain ascii"},
		{"héllo ✓ 🎉", "héllo ✓ 🎉"},
		{"\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", "a" + r + r + r + "b" + r + "c" + r + r + "d"},
		{"\xff\xfe", r + r},
		{"\xe2\x82", r},                     // truncated 3-byte sequence: one subpart
		{"\xf0\x9f\x98", r},                 // truncated emoji
		{"\xf0\x9f\x98x", r + "x"},          // truncated emoji, then ASCII
		{"\xed\xa0\x80", r + r + r},         // surrogate: ED cannot take A0
		{"\xe0\x80\x80", r + r + r},         // overlong: E0 needs A0..BF
		{"\xf4\x90\x80\x80", r + r + r + r}, // above U+10FFFF
		{"\xc0\xaf", r + r},                 // C0 never starts a sequence
		{"ok\xf4\x8f\xbf\xbf", "ok\U0010FFFF"},
	}
	for _, tt := range tests {
		got := string(appendLossy(nil, []byte(tt.in)))
		if got != tt.want {
			t.Errorf("appendLossy(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := lossyLen([]byte(tt.in)); n != len(tt.want) {
			t.Errorf("lossyLen(%q) = %d, want %d", tt.in, n, len(tt.want))
		}
		if s := lossyString([]byte(tt.in)); s != tt.want {
			t.Errorf("lossyString(%q) = %q, want %q", tt.in, s, tt.want)
		}
	}
}
