package testharness

import "testing"

func TestPanicMessages(t *testing.T) {
	hint := "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
	cases := []struct {
		name string
		out  string
		want []string
	}{
		{"none", "just output\n", nil},
		{"old format", "x\nthread 'main' panicked at 'boom', src/lib.rs:3:5\n" + hint, []string{"boom"}},
		{"old format, quotes and lines in the message",
			"thread '<unnamed>' panicked at 'it's 'quoted', see\nnext line', src/lib.rs:3:5\n" + hint,
			[]string{"it's 'quoted', see\nnext line"}},
		{"old format, message with a fake location inside",
			"thread 't' panicked at 'a', b', x.rs:1:2', src/lib.rs:3:5\n",
			[]string{"a', b', x.rs:1:2"}},
		{"old format at the very end", "thread 't' panicked at 'end', src/lib.rs:9:1", []string{"end"}},
		{"new format", "thread 'main' panicked at src/lib.rs:3:5:\nboom\n" + hint, []string{"boom"}},
		{"new format, several lines",
			"thread 'tests::x' panicked at src/lib.rs:3:5:\nassertion `left == right` failed: sums\n  left: 2\n right: 3\n" + hint,
			[]string{"assertion `left == right` failed: sums\n  left: 2\n right: 3"}},
		{"new format without the hint", "thread 't' panicked at a/b.rs:1:1:\nlast words\n", []string{"last words"}},
		{"new format with a backtrace",
			"thread 't' panicked at a.rs:1:1:\nbad\nstack backtrace:\n   0: f\n",
			[]string{"bad"}},
		{"both formats, in order",
			"thread 'child' panicked at a.rs:1:1:\nfirst\nthread 'parent' panicked at 'second', b.rs:2:2\n",
			[]string{"first", "second"}},
		{"not at a line start", "say thread 'x' panicked at 'no', a.rs:1:1\n", nil},
		{"no location", "thread 'x' panicked at 'no location'\n", nil},
	}
	for _, c := range cases {
		equal(t, c.name, panicMessages(c.out), c.want)
	}
}

func TestRustDebugString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          `"plain"`,
		`say "hi"`:       `"say \"hi\""`,
		"tab\there\n":    `"tab\there\n"`,
		`back\slash`:     `"back\\slash"`,
		"it's":           `"it's"`,
		"nul\x00esc\x1b": `"nul\0esc\u{1b}"`,
		"ünïcödé":        `"ünïcödé"`,
	} {
		equal(t, in, rustDebugString(in), want)
	}
}
