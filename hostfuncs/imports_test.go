package hostfuncs_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
)

// TestLunaticRsImportsResolve checks that every host function lunatic-rs 0.14 declares
// exists with exactly its signature, so any program built with the real crate links.
func TestLunaticRsImportsResolve(t *testing.T) {
	rt := hostfuncstest.New(t)
	f, err := os.Open("testdata/lunatic-rs-imports.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		parts := strings.SplitN(line, " ", 3)
		mod, name, want := parts[0], parts[1], parts[2]
		m := rt.Wazero().Module(mod)
		if m == nil {
			t.Errorf("%s::%s: no host module %s", mod, name, mod)
			continue
		}
		d, ok := m.ExportedFunctionDefinitions()[name]
		if !ok {
			t.Errorf("%s::%s: not provided", mod, name)
			continue
		}
		if got := sig(d.ParamTypes()) + " | " + sig(d.ResultTypes()); got != want {
			t.Errorf("%s::%s: signature %q, lunatic-rs declares %q", mod, name, got, want)
		}
	}
	if n < 130 {
		t.Fatalf("read only %d declarations", n)
	}
}

func sig(ts []api.ValueType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = api.ValueTypeName(t)
	}
	return strings.Join(s, ", ")
}
