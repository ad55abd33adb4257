// Package observer serves the live web view of a running lunatic program: a page at "/"
// (summary with charts, a process table paged and sorted by the server, the supervision
// tree, one process's detail) and the JSON API behind it under /api/. It sits in front of
// the metrics handler, so /metrics and /processes stay on the same listener.
//
// Everything the page needs is embedded in the binary (plain HTML, CSS and JavaScript,
// no CDN). The view is read-only unless Options.Actions is set; even then actions are
// refused unless they come from a loopback client.
package observer
