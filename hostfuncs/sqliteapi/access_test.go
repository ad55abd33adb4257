package sqliteapi

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/sqlite"
)

func dirs(ds ...string) []permissions.Preopen {
	out := make([]permissions.Preopen, len(ds))
	for i, d := range ds {
		out[i] = permissions.Preopen{Host: d, Guest: "/g"}
	}
	return out
}

func TestPermit(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(root, "in")
	out := filepath.Join(root, "out")
	for _, d := range []string{in, out, filepath.Join(in, "sub")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	symlink := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	symlink("../out", "in/up")                 // leads out
	symlink("sub", "in/down")                  // stays in
	symlink("../out/new.db", "in/dangling.db") // dangling, target outside
	symlink("in", "alias")                     // a preopen named through a link

	cases := []struct {
		name     string
		cwd      string
		path     string
		preopens []permissions.Preopen
		want     string // the name for SQLite; "-" = refused
	}{
		{"memory needs no dirs", root, ":memory:", nil, ":memory:"},
		{"temporary db needs the cwd", in, "", nil, "-"},
		{"file inside", root, filepath.Join(in, "a.db"), dirs(in), filepath.Join(in, "a.db")},
		{"relative to cwd", in, "sub/a.db", dirs("."), filepath.Join(in, "sub/a.db")},
		{"relative preopen", root, "in/a.db", dirs("in"), filepath.Join(in, "a.db")},
		{"outside", root, filepath.Join(out, "a.db"), dirs(in), "-"},
		{"dot dot", root, filepath.Join(in, "../out/a.db"), dirs(in), "-"},
		{"no preopens", root, filepath.Join(in, "a.db"), nil, "-"},
		{"link out", root, filepath.Join(in, "up/a.db"), dirs(in), "-"},
		{"link in", root, filepath.Join(in, "down/a.db"), dirs(in), filepath.Join(in, "sub/a.db")},
		{"dangling link", root, filepath.Join(in, "dangling.db"), dirs(in), "-"},
		{"preopen through a link", root, filepath.Join(root, "alias/a.db"), dirs(filepath.Join(root, "alias")), filepath.Join(in, "a.db")},
		{"NUL byte", root, filepath.Join(in, "a\x00.db"), dirs(in), "-"},
		{"root preopen", root, filepath.Join(out, "a.db"), dirs("/"), filepath.Join(out, "a.db")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := permit(tc.cwd, tc.path, tc.preopens)
			if tc.want == "-" {
				var ae *sqlite.AccessError
				if !errors.As(err, &ae) {
					t.Fatalf("permit = %q, %v; want an *sqlite.AccessError", got, err)
				}
				if ae.Error() != "Failed to access '"+tc.path+"'" {
					t.Errorf("error text %q", ae.Error())
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("permit = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := permit(in, "", dirs(in)); err != nil {
		t.Errorf("temporary database with the cwd preopened: %v", err)
	}
}
