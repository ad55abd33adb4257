package browser

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// launch starts the browser or skips the test when none is installed.
func launch(t *testing.T) *Browser {
	t.Helper()
	path := Find()
	if path == "" {
		t.Skip("no Chromium found: install Debian's chromium package (apt-get install chromium) or set LUNATIC_CHROMIUM")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := Launch(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// TestPageProblemsAndDOM checks the client on pages whose behaviour is known: the DOM is
// readable, script state changes are awaited, and console errors, exceptions and failed
// requests are all reported.
func TestPageProblemsAndDOM(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><p id="x">hello</p>
<script>setTimeout(() => { document.getElementById('x').textContent = 'later'; }, 300);</script></body></html>`)
	})
	mux.HandleFunc("/bad", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<img src="/missing.png"><script>console.error('boom', 42); undefinedFunction();</script></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	b := launch(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p, err := b.NewPage(ctx, 800, 600)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, srv.URL+"/good"); err != nil {
		t.Fatal(err)
	}
	var text string
	if err := p.WaitFor(ctx, `document.getElementById('x').textContent === 'later' && 'ok'`, 30*time.Second, &text); err != nil || text != "ok" {
		t.Fatalf("WaitFor: %q %v", text, err)
	}
	if err := p.WaitFor(ctx, `false`, 200*time.Millisecond, nil); err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("WaitFor of a false condition: %v", err)
	}
	if got := p.Problems(); len(got) != 0 {
		t.Fatalf("problems on a clean page: %q", got)
	}
	png, err := p.Screenshot(ctx)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("screenshot: %d bytes, %v", len(png), err)
	}

	if err := p.Navigate(ctx, srv.URL+"/bad"); err != nil {
		t.Fatal(err)
	}
	// The failed image request is logged asynchronously; wait for the third problem.
	deadline := time.Now().Add(30 * time.Second)
	for len(p.Problems()) < 3 && time.Now().Before(deadline) {
		if err := p.Evaluate(ctx, `new Promise(r => setTimeout(r, 50))`, nil); err != nil {
			t.Fatal(err)
		}
	}
	all := strings.Join(p.Problems(), "\n")
	for _, want := range []string{"console.error: boom 42", "undefinedFunction is not defined", "404"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
}
