package sqliteapi_test

import (
	"testing"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/hostfuncs/sqliteapi"
)

// TestABICases runs the cases of testdata/abi.wat, alloc.wat and noalloc.wat, each as its
// own process. The root process has the test's working directory preopened.
func TestABICases(t *testing.T) {
	cases := []struct {
		wasm, entry string
		trap        string // "" = must end normally
	}{
		{abiWasm, "open_ptr0", ""},
		{abiWasm, "len_8_bytes", ""},
		{abiWasm, "zero_len", ""},
		{abiWasm, "no_error", ""},
		{abiWasm, "open_fails", ""},
		{abiWasm, "read_row_no_row", ""},
		{abiWasm, "reentrant_alloc", ""},
		{abiWasm, "path_not_utf8", "lunatic::sqlite::open: string is not valid UTF-8"},
		{abiWasm, "path_oob", "lunatic::sqlite::open: pointer out of bounds"},
		{abiWasm, "id_ptr_oob", "lunatic::sqlite::open: pointer out of bounds"},
		{abiWasm, "len_ptr_oob", "lunatic::sqlite::column_names: pointer out of bounds"},
		{allocWasm, "alloc_traps", "lunatic::sqlite::column_names: lunatic_alloc failed"},
		{allocWasm, "alloc_oob", "lunatic::sqlite::column_names: pointer out of bounds"},
		{noallocWasm, "read_row_no_alloc", "lunatic::sqlite::read_row: the module does not export lunatic_alloc"},
	}
	for _, tc := range cases {
		t.Run(tc.entry, func(t *testing.T) {
			t.Parallel()
			res := hostfuncstest.RunConfig(t, runtime(t), module(t, tc.wasm), tc.entry, config([]string{"."}))
			if tc.trap == "" {
				if res.Death != nil {
					t.Fatalf("want a normal end, got: %v", res.Death)
				}
				return
			}
			mustTrap(t, res, tc.trap)
		})
	}
}

// TestSignatures checks the module's table against the signatures of docs/abi/sqlite.md.
func TestSignatures(t *testing.T) {
	want := map[string]string{
		"open": "i32 i32 i32 -> i64", "query_prepare": "i64 i32 i32 -> i64",
		"execute": "i64 i32 i32 -> i32", "bind_value": "i64 i32 i32 ->",
		"sqlite3_changes": "i64 -> i32", "statement_reset": "i64 ->",
		"last_error": "i64 i32 -> i32", "sqlite3_finalize": "i64 ->",
		"sqlite3_step": "i64 -> i32", "read_column": "i64 i32 i32 -> i32",
		"column_names": "i64 i32 -> i32", "read_row": "i64 i32 -> i32",
		"column_count": "i64 -> i32", "column_name": "i64 i32 i32 -> i32",
	}
	if len(sqliteapi.Functions) != len(want) {
		t.Errorf("%d functions, want %d", len(sqliteapi.Functions), len(want))
	}
	for _, f := range sqliteapi.Functions {
		sig, err := f.Parse()
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, p := range sig.Params {
			got += api.ValueTypeName(p) + " "
		}
		got += "->"
		for _, r := range sig.Results {
			got += " " + api.ValueTypeName(r)
		}
		if want[f.Name] != got {
			t.Errorf("%s: %q, want %q", f.Name, got, want[f.Name])
		}
	}
}
