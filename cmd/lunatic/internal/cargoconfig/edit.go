package cargoconfig

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Apply returns data with plan applied. It first edits the text in
// place, at positions found by go-toml's parser, so comments, key order and
// formatting survive; the result is accepted only if it decodes to exactly
// the original document plus the planned keys. Otherwise (e.g. build given
// as an inline table, which TOML forbids extending) the document is
// re-encoded from the decoded tables: every key is kept, comments and layout
// are not, and kept reports false.
func Apply(data []byte, plan Plan) (out []byte, kept bool, err error) {
	var want map[string]any
	if err := toml.Unmarshal(data, &want); err != nil {
		return nil, false, err
	}
	if want == nil {
		want = map[string]any{}
	}
	if plan.SetTarget {
		setPath(want, plan.Triple, "build", "target")
	}
	if plan.Runner != RunnerKeep {
		setPath(want, LunaticRunner, "target", plan.Triple, "runner")
	}
	if edited, err := editCargoText(data, plan); err == nil && decodesTo(edited, want) {
		return edited, true, nil
	}
	out, err = toml.Marshal(want)
	if err != nil {
		return nil, false, fmt.Errorf("encode config: %w", err)
	}
	return out, false, nil
}

// decodesTo reports whether data is TOML decoding to want.
func decodesTo(data []byte, want map[string]any) bool {
	var got map[string]any
	return toml.Unmarshal(data, &got) == nil && reflect.DeepEqual(got, want)
}

// setPath stores v at the dotted path in doc, creating tables on the way.
func setPath(doc map[string]any, v any, path ...string) {
	for _, k := range path[:len(path)-1] {
		next, ok := doc[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			doc[k] = next
		}
		doc = next
	}
	doc[path[len(path)-1]] = v
}

// textEdit replaces data[at:end] with text (an insertion when at == end).
type textEdit struct {
	at, end int
	text    string
}

var errNoLayout = errors.New("config layout not editable in place")

// editCargoText applies plan as text edits: a new key goes on the line after
// its table's [header], or, for a table that only exists through dotted keys
// (`build.jobs = 2`), as another dotted key after the last of those; a table
// that does not exist is appended at the end; the runner upgrade rewrites the
// value in place.
func editCargoText(data []byte, plan Plan) ([]byte, error) {
	lay, err := scanLayout(data)
	if err != nil {
		return nil, err
	}
	nl := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		nl = "\r\n"
	}
	var edits []textEdit
	var tail []string
	insert := func(at int, line string) {
		prefix := ""
		if at == len(data) && at > 0 && data[at-1] != '\n' {
			prefix = nl
		}
		edits = append(edits, textEdit{at: at, end: at, text: prefix + line + nl})
	}
	// add sets table.key (all parts bare keys) to the string value.
	add := func(table []string, key, value string) {
		kv := fmt.Sprintf("%s = %q", key, value)
		if at, ok := lay.headerEnd[pathKey(table...)]; ok {
			insert(at, kv)
			return
		}
		if spot, ok := lay.dotted[pathKey(table...)]; ok {
			dotted := append(append([]string{}, table[len(spot.within):]...), kv)
			insert(spot.lineEnd, strings.Join(dotted, "."))
			return
		}
		tail = append(tail, "["+strings.Join(table, ".")+"]"+nl+kv+nl)
	}
	if plan.SetTarget {
		add([]string{"build"}, "target", plan.Triple)
	}
	switch plan.Runner {
	case RunnerAdd:
		add([]string{"target", plan.Triple}, "runner", LunaticRunner)
	case RunnerUpgrade:
		r, ok := lay.stringValue[pathKey("target", plan.Triple, "runner")]
		if !ok {
			return nil, errNoLayout
		}
		edits = append(edits, textEdit{at: int(r.Offset), end: int(r.Offset + r.Length), text: fmt.Sprintf("%q", LunaticRunner)})
	}
	return applyEdits(data, edits, tail, nl), nil
}

// applyEdits performs the (non-overlapping) edits and appends the tail
// tables, separated from existing content by a blank line.
func applyEdits(data []byte, edits []textEdit, tail []string, nl string) []byte {
	sort.Slice(edits, func(i, j int) bool { return edits[i].at > edits[j].at })
	out := append([]byte(nil), data...)
	for _, e := range edits {
		out = append(out[:e.at], append([]byte(e.text), out[e.end:]...)...)
	}
	for _, t := range tail {
		if len(bytes.TrimSpace(out)) > 0 {
			if out[len(out)-1] != '\n' {
				out = append(out, nl...)
			}
			out = append(out, nl...)
		}
		out = append(out, t...)
	}
	return out
}

// layout is where things are in a TOML text.
type layout struct {
	headerEnd   map[string]int            // table path → offset just after its [header] line
	stringValue map[string]unstable.Range // key path → raw range of its string value
	dotted      map[string]dottedSpot     // table path → last dotted key line creating it
}

// dottedSpot is a key-value line whose dotted key creates a table.
type dottedSpot struct {
	within  []string // the [table] the line is in
	lineEnd int      // offset just after the line
}

// scanLayout records each [table] header and each string key-value outside
// arrays of tables, by their decoded (unquoted) key path.
func scanLayout(data []byte) (layout, error) {
	lay := layout{
		headerEnd:   map[string]int{},
		stringValue: map[string]unstable.Range{},
		dotted:      map[string]dottedSpot{},
	}
	p := unstable.Parser{}
	p.Reset(data)
	var table []string
	inArray := false
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table:
			var last unstable.Range
			table, last = keyParts(n)
			inArray = false
			lay.headerEnd[pathKey(table...)] = lineEnd(data, int(last.Offset+last.Length))
		case unstable.ArrayTable:
			inArray = true
		case unstable.KeyValue:
			if !inArray {
				lay.addKeyValue(data, table, n)
			}
		}
	}
	if err := p.Error(); err != nil {
		return layout{}, err
	}
	return lay, nil
}

// addKeyValue records a key-value line found inside table.
func (lay *layout) addKeyValue(data []byte, table []string, n *unstable.Node) {
	key, _ := keyParts(n)
	full := append(append([]string{}, table...), key...)
	if v := n.Value(); v.Kind == unstable.String {
		lay.stringValue[pathKey(full...)] = v.Raw
	}
	end := lineEnd(data, int(n.Raw.Offset+n.Raw.Length))
	for i := len(table) + 1; i < len(full); i++ {
		lay.dotted[pathKey(full[:i]...)] = dottedSpot{within: table, lineEnd: end}
	}
}

// keyParts returns the decoded parts of a node's key and the raw range of
// the last part.
func keyParts(n *unstable.Node) ([]string, unstable.Range) {
	var parts []string
	var last unstable.Range
	it := n.Key()
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
		last = it.Node().Raw
	}
	return parts, last
}

// lineEnd returns the offset just after the newline that ends the line
// containing offset from, or len(data) on the last line.
func lineEnd(data []byte, from int) int {
	if i := bytes.IndexByte(data[from:], '\n'); i >= 0 {
		return from + i + 1
	}
	return len(data)
}

// pathKey joins key parts; a NUL in a real key could only cause a false
// match, which Apply's decode check then rejects.
func pathKey(parts ...string) string { return strings.Join(parts, "\x00") }
