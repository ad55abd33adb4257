package cli

import "testing"

func TestParseRustcVersion(t *testing.T) {
	tests := []struct {
		line         string
		major, minor int
		ok           bool
	}{
		{"rustc 1.80.0 (051478957 2024-07-21)", 1, 80, true},
		{"rustc 1.63.0 (4b91a6ea7 2022-08-08)", 1, 63, true},
		{"rustc 1.78.0-nightly (abc 2024-02-01)", 1, 78, true},
		{"rustc 1.77.0-beta.3", 1, 77, true},
		{"rustc 2.0.0", 2, 0, true},
		{"cargo 1.80.0", 0, 0, false},
		{"rustc", 0, 0, false},
		{"rustc x.y", 0, 0, false},
		{"rustc 1", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tc := range tests {
		major, minor, err := parseRustcVersion(tc.line)
		if (err == nil) != tc.ok || major != tc.major || minor != tc.minor {
			t.Errorf("parseRustcVersion(%q) = %d, %d, %v", tc.line, major, minor, err)
		}
	}
}
