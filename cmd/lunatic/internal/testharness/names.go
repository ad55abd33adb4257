package testharness

import "strings"

// testExportPrefix starts the export name of every #[lunatic::test] function.
const testExportPrefix = "#lunatic_test_"

// testCase is one test of a test binary, decoded from its export name.
type testCase struct {
	// Name is the name libtest would give the test: the module path below the crate plus
	// the function name ("tests::adds"), used for filters, output and sorting.
	Name string
	// Export is the export that runs the test.
	Export      string
	Ignored     bool
	ShouldPanic bool
	// Expected is the text a should_panic test's panic message must contain ("" = any).
	Expected string
}

// decodeTestExport decodes an export name written by lunatic-rs' #[lunatic::test] macro:
//
//	#lunatic_test_ [#ignore_] [#panic_ EXPECTED #] crate::module::function
//
// where every '#' in EXPECTED is escaped as `\#`. ok is false for exports that are not
// tests. The crate name, which module_path!() puts first, is dropped from Name so that
// names, filters and --exact match what libtest (and IDEs computing test paths) use.
func decodeTestExport(export string) (tc testCase, ok bool) {
	rest, ok := strings.CutPrefix(export, testExportPrefix)
	if !ok {
		return testCase{}, false
	}
	tc.Export = export
	if r, ignored := strings.CutPrefix(rest, "#ignore_"); ignored {
		tc.Ignored, rest = true, r
	}
	if r, panics := strings.CutPrefix(rest, "#panic_"); panics {
		if end := unescapedHash(r); end >= 0 {
			tc.ShouldPanic = true
			tc.Expected = strings.ReplaceAll(r[:end], `\#`, "#")
			rest = r[end+1:]
		}
		// Without a closing '#' the name is malformed; it is kept whole, as a plain test,
		// so that it still shows up rather than vanishing.
	}
	tc.Name = libtestName(rest)
	return tc, true
}

// unescapedHash returns the index of the first '#' in s not preceded by a backslash, or -1.
func unescapedHash(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || s[i-1] != '\\') {
			return i
		}
	}
	return -1
}

// libtestName drops the leading crate segment of a module_path!()-based test path.
func libtestName(path string) string {
	if _, below, ok := strings.Cut(path, "::"); ok && below != "" {
		return below
	}
	return path
}

// discoverTests decodes every test export of a module, in export order.
func discoverTests(exports []string) []testCase {
	var tests []testCase
	for _, e := range exports {
		if tc, ok := decodeTestExport(e); ok {
			tests = append(tests, tc)
		}
	}
	return tests
}
