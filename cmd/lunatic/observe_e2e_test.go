package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/internal/browser"
)

// TestObserverInBrowser runs the busy guest under `lunatic run --observe
// --observe-actions`, opens the page in headless Chromium and checks what a person would
// see: no console errors, the guest's processes in the table, numbers that move while it
// works, the detail of a supervisor, the tree, and a kill from the page. The screenshot is saved under $LUNATIC_ARTIFACTS (or the test's artifact
// directory: go test -artifacts).
func TestObserverInBrowser(t *testing.T) {
	path := browser.Find()
	if path == "" {
		t.Skip("no Chromium found: install Debian's chromium package (apt-get install chromium) or set LUNATIC_CHROMIUM; .ci/run installs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	cmd := exec.Command(lunaticBin, "run", "--observe=127.0.0.1:0", "--observe-actions", "busy.wasm", "600")
	cmd.Dir = guests
	cmd.Env = []string{"HOME=" + os.Getenv("HOME"), "XDG_CACHE_HOME=" + t.TempDir()}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), "observer page at "); ok {
				urls <- strings.TrimSpace(u)
			}
		}
	}()
	var url string
	select {
	case url = <-urls:
	case <-ctx.Done():
		t.Fatal("lunatic did not print the observer's address")
	}

	b, err := browser.Launch(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	page, err := b.NewPage(ctx, 1360, 860)
	if err != nil {
		t.Fatal(err)
	}
	if err := page.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	wait := func(what, cond string, result any) {
		t.Helper()
		if err := page.WaitFor(ctx, cond, time.Minute, result); err != nil {
			t.Fatalf("%s: %v\nproblems: %q", what, err, page.Problems())
		}
	}

	// The table lists the guest's tree: the root, three supervisors with their names,
	// twelve workers and three slow workers.
	var rows int
	wait("the guest's processes in the table",
		`document.querySelectorAll('#procs tbody tr[data-id]').length >= 19 && document.querySelectorAll('#procs tbody tr[data-id]').length`, &rows)
	var text string
	wait("the root and the named supervisors",
		`(() => { const t = document.querySelector('#procs tbody').textContent;
		  return t.includes('_start') && t.includes('supervisor-1') && t.includes('supervisor-3') && t.includes('main') && t; })()`, &text)

	// The numbers move: wait for two more live updates and compare the messages and fuel
	// totals, and the text shown for them.
	type totals struct {
		Updates  int    `json:"updates"`
		Messages string `json:"messages"`
		Fuel     string `json:"fuel"`
		Text     string `json:"text"`
		Alive    string `json:"alive"`
	}
	read := `({updates: Number(document.body.dataset.updates || 0),
	  messages: document.getElementById('card-messages').dataset.total || '',
	  fuel: document.getElementById('card-fuel').dataset.total || '',
	  text: document.querySelector('#card-messages .sub').textContent,
	  alive: document.getElementById('v-alive').textContent})`
	var before, after totals
	wait("a first live update", `Number(document.body.dataset.updates || 0) > 0 && `+read, &before)
	wait("two more live updates", `Number(document.body.dataset.updates || 0) >= `+strconv.Itoa(before.Updates+2)+` && `+read, &after)
	if !greater(after.Messages, before.Messages) || !greater(after.Fuel, before.Fuel) || after.Text == before.Text {
		t.Errorf("the numbers did not change while the guest worked: before %+v, after %+v", before, after)
	}
	if after.Alive == "" || after.Alive == "0" || after.Alive == "–" {
		t.Errorf("processes alive shows %q", after.Alive)
	}

	// Sort by mailbox (the slow workers' backlog comes first), then open supervisor-1.
	if err := page.Evaluate(ctx, `document.querySelector('#procs th[data-sort="mailbox"]').click()`, nil); err != nil {
		t.Fatal(err)
	}
	wait("the table sorted by mailbox, descending",
		`document.querySelector('#procs th[data-sort="mailbox"]').classList.contains('desc') &&
		 Number(document.querySelector('#procs tbody tr[data-id] td:nth-child(5)').textContent.replace(/,/g, '')) > 0`, nil)
	if err := page.Evaluate(ctx, `document.getElementById('filter').value = 'name:supervisor-1';
	  document.getElementById('filter').dispatchEvent(new Event('input'))`, nil); err != nil {
		t.Fatal(err)
	}
	wait("the filter keeps supervisor-1 only", `(() => { const r = document.querySelectorAll('#procs tbody tr[data-id]');
	  return r.length === 1 && r[0].textContent.includes('supervisor-1'); })()`, nil)
	if err := page.Evaluate(ctx, `document.querySelector('#procs tbody tr[data-id]').click()`, nil); err != nil {
		t.Fatal(err)
	}
	wait("the detail of supervisor-1", `(() => { const d = document.getElementById('detail');
	  return d.querySelector('h2') && d.querySelector('h2').textContent.startsWith('Process #') &&
	    document.getElementById('detail-names').textContent === 'supervisor-1' &&
	    d.textContent.includes('arrive as messages') && d.textContent.includes('busy.wasm') &&
	    d.querySelector('#mailbox-chart polyline'); })()`, nil)

	// The tree: the root, expanded to its three supervisors.
	if err := page.Evaluate(ctx, `document.getElementById('tab-btn-tree').click()`, nil); err != nil {
		t.Fatal(err)
	}
	wait("the root in the tree", `document.querySelector('#tree > li[data-id="1"] .toggle')`, nil)
	if err := page.Evaluate(ctx, `document.querySelector('#tree > li[data-id="1"] .toggle').click()`, nil); err != nil {
		t.Fatal(err)
	}
	wait("three supervisors under the root", `document.querySelectorAll('#tree > li[data-id="1"] > ul > li[data-id]').length === 3`, nil)
	if err := page.Evaluate(ctx, `document.querySelector('#tree > li[data-id="1"] > ul > li[data-id] .toggle').click()`, nil); err != nil {
		t.Fatal(err)
	}
	wait("the workers of the first supervisor", `document.querySelectorAll('#tree > li[data-id="1"] > ul > li[data-id] > ul > li[data-id]').length >= 5`, nil)
	saveScreenshot(ctx, t, page, "observer-tree.png")

	// Back to the table, unfiltered, for the screenshot.
	if err := page.Evaluate(ctx, `document.getElementById('tab-btn-table').click();
	  document.getElementById('filter').value = ''; document.getElementById('filter').dispatchEvent(new Event('input'))`, nil); err != nil {
		t.Fatal(err)
	}
	wait("the whole table again", `document.querySelectorAll('#procs tbody tr[data-id]').length >= 19`, nil)
	if err := page.Evaluate(ctx, `document.querySelector('#procs th[data-sort="id"]').click()`, nil); err != nil {
		t.Fatal(err)
	}
	wait("the table sorted by id", `document.querySelector('#procs tbody tr[data-id]').dataset.id === '1'`, nil)
	// Select a slow worker and let its mailbox chart fill a little.
	if err := page.Evaluate(ctx, `[...document.querySelectorAll('#procs tbody tr[data-id]')]
	  .find((r) => Number(r.children[4].textContent.replace(/,/g, '')) > 0).click()`, nil); err != nil {
		t.Fatal(err)
	}
	wait("a mailbox chart with a few samples", `(() => { const l = document.querySelector('#mailbox-chart polyline');
	  return l && l.getAttribute('points').split(' ').length >= 4; })()`, nil)
	saveScreenshot(ctx, t, page, "observer.png")

	// With --observe-actions the detail has a kill button; the selected slow worker ends
	// and the summary counts a kill.
	if err := page.Evaluate(ctx, `window.confirm = () => true; document.querySelector('#detail button.kill').click()`, nil); err != nil {
		t.Fatal(err)
	}
	wait("the killed process has ended", `(() => { const e = document.querySelector('#detail .ended');
	  return e && e.textContent.endsWith('has ended.'); })()`, nil)
	wait("a kill in the summary", `/killed: [1-9]/.test(document.querySelector('#card-finished .o-killed').title)`, nil)

	if p := page.Problems(); len(p) != 0 {
		t.Errorf("the page reported problems:\n%s", strings.Join(p, "\n"))
	}
}

// saveScreenshot writes the page as PNG under $LUNATIC_ARTIFACTS, or the test's artifact
// directory (kept with go test -artifacts).
func saveScreenshot(ctx context.Context, t *testing.T, page *browser.Page, name string) {
	t.Helper()
	png, err := page.Screenshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("LUNATIC_ARTIFACTS")
	if dir == "" {
		dir = t.ArtifactDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, name)
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}

// greater compares two non-negative decimal integers given as text.
func greater(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}
