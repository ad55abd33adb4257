package testharness

import (
	"os"
	"strings"
	"testing"
)

func TestWasmFuncExports_suite(t *testing.T) {
	wasm, err := os.ReadFile(testmodeGuest("suite"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := wasmFuncExports(wasm)
	if err != nil {
		t.Fatal(err)
	}
	// Function exports only (memory and the two globals are left out), in section order.
	want := []string{"_start"}
	for _, n := range []string{"passes", "fails", "#ignore_suite::ignored"} {
		if strings.HasPrefix(n, "#") {
			want = append(want, "#lunatic_test_"+n)
		} else {
			want = append(want, "#lunatic_test_suite::"+n)
		}
	}
	equal(t, "first exports", got[:4], want)
	equal(t, "last exports", got[len(got)-4:], []string{"main", "_lunatic_spawn_by_index_0.14.1", "_lunatic_catch_trap", "lunatic_alloc"})
	equal(t, "number of function exports", len(got), 21)
}

func TestWasmFuncExports_handWritten(t *testing.T) {
	header := "\x00asm\x01\x00\x00\x00"
	// type section (skipped), then exports: "f" func 0, "m" memory 0, "g" func 1.
	types := "\x01\x04\x01\x60\x00\x00"
	exports := "\x07\x0d\x03" + "\x01f\x00\x00" + "\x01m\x02\x00" + "\x01g\x00\x01"
	got, err := wasmFuncExports([]byte(header + types + exports))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "exports", got, []string{"f", "g"})

	got, err = wasmFuncExports([]byte(header + types))
	equal(t, "no export section", got, []string(nil))
	equal(t, "no export section error", err, error(nil))
}

func TestWasmFuncExports_malformed(t *testing.T) {
	header := "\x00asm\x01\x00\x00\x00"
	for name, wasm := range map[string]string{
		"empty":              "",
		"not wasm":           "\x7fELF\x02\x01\x01\x00",
		"component":          "\x00asm\x0d\x00\x01\x00",
		"section past end":   header + "\x07\x10\x01",
		"truncated LEB":      header + "\x07\x80",
		"overlong LEB":       header + "\x07\x80\x80\x80\x80\x80\x01",
		"LEB beyond u32":     header + "\x07\xff\xff\xff\xff\x7f",
		"name past end":      header + "\x07\x03\x01\x09f",
		"count past entries": header + "\x07\x05\x02\x01f\x00\x00",
	} {
		if got, err := wasmFuncExports([]byte(wasm)); err == nil {
			t.Errorf("%s: got %q and no error", name, got)
		}
	}
}

// The walk never panics and never reads out of bounds, whatever the bytes.
func FuzzWasmFuncExports(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x07\x05\x01\x01f\x00\x00"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x07\xff\xff\xff\xff\x0f"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x00\x02\x01a\x07\x03\x01\x00\x00"))
	f.Fuzz(func(t *testing.T, wasm []byte) {
		_, _ = wasmFuncExports(wasm)
	})
}
