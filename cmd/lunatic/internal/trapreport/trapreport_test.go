package trapreport

import (
	"errors"
	"testing"
)

func TestDemangle(t *testing.T) {
	cases := map[string]string{
		"_ZN4core9panicking5panic17h0123456789abcdefE":                                               "core::panicking::panic",
		"_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h1111111111111111E":                   "std::rt::lang_start::{{closure}}",
		"_ZN61_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..fmt..Debug$GT$3fmt17h2222222222222222E": "<alloc::vec::Vec<T> as core::fmt::Debug>::fmt",
		"main":      "main",
		"_ZN3fooE":  "foo",
		"_ZN99fooE": "_ZN99fooE",
		"$2":        "$2",
	}
	for in, want := range cases {
		if got := demangle(in); got != want {
			t.Errorf("demangle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTrapReport(t *testing.T) {
	err := errors.New("wasm error: unreachable\nwasm stack trace:\n\t._ZN4core9panicking5panic17h0123456789abcdefE()\n\tlunatic::message.write_data(i32,i32) i32\n\t.main()")
	want := "unreachable\nwasm backtrace:\n    0: core::panicking::panic\n    1: lunatic::message::write_data\n    2: main"
	if got := Format(err); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := Format(errors.New("process killed")); got != "process killed" {
		t.Fatalf("got %q", got)
	}
}
