package main

import (
	"fmt"
	"strings"
)

// hostSideNote marks the sqlite rows when they come from sqlite/ rather than a guest.
const hostSideNote = "measured host side through the guest wire format, without a guest (hostfuncs/sqliteapi has no benchmark)"

// line is one rendered table row.
type line struct {
	name, what, ours, base, ratio, erl, erlRatio string
}

// resolve turns a row into printable cells.
func resolve(r row, f figures, st statuses) line {
	l := line{name: r.name, what: r.what, erl: "—", erlRatio: "—"}
	ours, base := r.ours, r.base
	ov, ok1 := f.get(ours.key, ours.unit)
	bv, ok2 := f.get(base.key, base.unit)
	if (!ok1 || !ok2) && r.find != nil {
		if o, b, ok := r.find(f); ok {
			ours, base = o, b
			ov, ok1 = f.get(ours.key, ours.unit)
			bv, ok2 = f.get(base.key, base.unit)
		}
	}
	if !ok1 || !ok2 {
		l.ours, l.base, l.ratio = missing(r, st), "", ""
		if ok1 {
			l.ours = formatValue(ov, ours.unit)
		}
		if ok2 {
			l.base = formatValue(bv, base.unit)
		}
		return l
	}
	if strings.HasPrefix(ours.key, pkgSQLite+".") {
		l.what += " — " + hostSideNote
	}
	l.ours, l.base = formatValue(ov, ours.unit), formatValue(bv, base.unit)
	if x, ok := costRatio(ov, bv, ours.unit); ok {
		l.ratio = formatRatio(x)
	}
	if r.erlang.key != "" {
		if ev, ok := f.get(r.erlang.key, r.erlang.unit); ok {
			l.erl = formatValue(ev, r.erlang.unit)
			if x, ok := costRatio(ov, ev, ours.unit); ok && ours.unit == r.erlang.unit {
				l.erlRatio = formatRatio(x)
			}
		}
	}
	return l
}

// missing says why a row has no figure.
func missing(r row, st statuses) string {
	absent := 0
	for _, p := range r.pkgs {
		switch st[p] {
		case "failed":
			return "n/a (benchmark failed, see the log)"
		case "absent":
			absent++
		}
	}
	if absent == len(r.pkgs) {
		return "n/a (benchmark not present)"
	}
	return "n/a (no figure)"
}

// renderTable prints the Markdown table; the Erlang columns only when erlang is set.
func renderTable(rs []row, f figures, st statuses, erlang bool) string {
	var b strings.Builder
	if erlang {
		b.WriteString("| row | what | lunatic (ours) | baseline | ratio | Erlang | ratio to Erlang |\n")
		b.WriteString("|---|---|---:|---:|---:|---:|---:|\n")
	} else {
		b.WriteString("| row | what | lunatic (ours) | baseline | ratio |\n")
		b.WriteString("|---|---|---:|---:|---:|\n")
	}
	for _, r := range rs {
		l := resolve(r, f, st)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |", l.name, l.what, l.ours, l.base, l.ratio)
		if erlang {
			fmt.Fprintf(&b, " %s | %s |", l.erl, l.erlRatio)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
