package hostfunc

import (
	"slices"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero/api"
)

func TestParse(t *testing.T) {
	sig, err := Func{Name: "f", Params: "a i32, b i64,c f32, d f64, e v128", Results: "i32, i64"}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	wantParams := []api.ValueType{api.ValueTypeI32, api.ValueTypeI64, api.ValueTypeF32, api.ValueTypeF64, v128}
	if !slices.Equal(sig.Params, wantParams) || !slices.Equal(sig.ParamNames, []string{"a", "b", "c", "d", "e"}) ||
		!slices.Equal(sig.Results, []api.ValueType{api.ValueTypeI32, api.ValueTypeI64}) {
		t.Fatalf("Parse = %+v", sig)
	}
	if sig, err := (Func{Name: "g"}).Parse(); err != nil || sig.Params != nil || sig.Results != nil {
		t.Fatalf("empty signature: %+v, %v", sig, err)
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	for _, f := range []Func{
		{Name: "untyped", Params: "a"},
		{Name: "unnamed", Params: " i32"},
		{Name: "badtype", Params: "a i16"},
		{Name: "badresult", Results: "u32"},
		{Name: "trailing", Params: "a i32,"},
	} {
		if _, err := f.Parse(); err == nil || !strings.Contains(err.Error(), f.Name) {
			t.Errorf("%s: err = %v, want an error naming the function", f.Name, err)
		}
	}
}
