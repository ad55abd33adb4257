package sqlite

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestAccessDir(t *testing.T) {
	cwd := t.TempDir()
	ok(t, os.WriteFile(filepath.Join(cwd, "f.db"), nil, 0o644), "write")
	tests := []struct{ path, want string }{
		{"f.db", cwd},                            // existing file: its parent
		{"new.db", filepath.Join(cwd, "new.db")}, // missing file: the path itself
		{":memory:", filepath.Join(cwd, ":memory:")},
		{"", cwd},
		{"a/./b/../f.db", filepath.Join(cwd, "a/f.db")},
		{"sub/../f.db", cwd},
		{"/x/../../y", "/y"},
	}
	for _, tt := range tests {
		if got := AccessDir(cwd, tt.path); got != tt.want {
			t.Errorf("AccessDir(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestCheckAccess(t *testing.T) {
	cwd := t.TempDir()
	for _, d := range []string{"sub", "ab", "abc"} {
		ok(t, os.Mkdir(filepath.Join(cwd, d), 0o755), "mkdir")
	}
	ok(t, os.WriteFile(filepath.Join(cwd, "sub", "f.db"), nil, 0o644), "write")
	ok(t, os.WriteFile(filepath.Join(cwd, "plain"), nil, 0o644), "write")
	tests := []struct {
		path     string
		preopens []string
		allowed  bool
	}{
		{"x.db", []string{"."}, true},
		{":memory:", []string{"."}, true},
		{"", []string{"."}, true},
		{"sub/f.db", []string{"."}, true},
		{"sub/deeper/new.db", []string{"."}, true},
		{"../outside.db", []string{"."}, false},
		{"/etc/passwd", []string{"."}, false},
		{":memory:", nil, false}, // a fresh config may not even open :memory:
		{"sub/f.db", []string{"sub"}, true},
		{"sub/f.db", []string{filepath.Join(cwd, "sub")}, true},
		{"x.db", []string{"sub"}, false},
		{"sub", []string{"sub"}, true},
		{"abc/x.db", []string{"ab"}, false}, // whole components only
		{"ab/x.db", []string{"abc", "ab"}, true},
		{"x.db", []string{"missing", "plain"}, false},
		{"plain/x.db", []string{"plain"}, false}, // a preopen must be a directory
		{"/etc/passwd", []string{"/"}, true},
		{"sub/../x.db", []string{"sub"}, false},
	}
	for _, tt := range tests {
		err := CheckAccess(cwd, tt.path, tt.preopens)
		if (err == nil) != tt.allowed {
			t.Errorf("CheckAccess(%q, %q) = %v, want allowed=%v", tt.path, tt.preopens, err, tt.allowed)
		}
	}
	err := CheckAccess(cwd, "../no.db", []string{"."})
	var ae *AccessError
	if !errors.As(err, &ae) || err.Error() != "Failed to access '../no.db'" {
		t.Fatalf("error = %v", err)
	}
	if want := `Permission to '"` + filepath.Join(filepath.Dir(cwd), "no.db") + `"' denied`; ae.Reason() != want {
		t.Errorf("Reason = %q, want %q", ae.Reason(), want)
	}
}
