// Package browser drives a headless Chromium through the Chrome DevTools Protocol, for
// tests that check a web page in a real browser: load it, read the DOM, collect console
// errors, take screenshots. It uses only the standard library: a minimal WebSocket client
// carries the protocol's JSON messages.
package browser

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Find returns the path of a Chromium-like browser: $LUNATIC_CHROMIUM, or the first of
// chromium, chromium-browser, google-chrome, google-chrome-stable and headless_shell on
// the PATH. It returns "" when there is none.
func Find() string {
	if p := os.Getenv("LUNATIC_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser is a running headless browser and its DevTools connection.
type Browser struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	profile string
	ws      *wsConn

	nextID  atomic.Int64
	mu      sync.Mutex
	pending map[int64]chan response
	pages   map[string]*Page // by session id
	readErr error
}

type response struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// Launch starts the browser at path, headless, with a fresh profile in a temporary
// directory, and connects to it. ctx bounds the start only.
func Launch(ctx context.Context, path string) (*Browser, error) {
	profile, err := os.MkdirTemp("", "lunatic-browser")
	if err != nil {
		return nil, fmt.Errorf("browser profile: %w", err)
	}
	cmd := exec.Command(path,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--no-default-browser-check", "--disable-extensions",
		"--disable-background-networking", "--disable-sync", "--mute-audio",
		"--remote-debugging-port=0", "--user-data-dir="+profile, "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(profile)
		return nil, fmt.Errorf("browser: %w", err)
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(profile)
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	b := &Browser{cmd: cmd, exited: make(chan struct{}), profile: profile, pending: map[int64]chan response{}, pages: map[string]*Page{}}
	// The browser announces its DevTools endpoint on stderr; the rest of stderr is kept
	// for the error message if it never does.
	endpoint := make(chan string, 1)
	var logMu sync.Mutex
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "DevTools listening on "); ok && !sent {
				endpoint <- strings.TrimSpace(u)
				sent = true
				continue
			}
			logMu.Lock()
			if log.Len() < 8192 {
				log.WriteString(line + "\n")
			}
			logMu.Unlock()
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	go func() { _ = cmd.Wait(); close(b.exited) }()
	var url string
	select {
	case url = <-endpoint:
	case <-b.exited:
		logMu.Lock()
		defer logMu.Unlock()
		os.RemoveAll(profile)
		return nil, fmt.Errorf("%s exited before serving DevTools:\n%s", path, log.String())
	case <-ctx.Done():
		b.kill()
		return nil, fmt.Errorf("%s did not serve DevTools: %w", path, ctx.Err())
	}
	if b.ws, err = dialWS(url); err != nil {
		b.kill()
		return nil, err
	}
	go b.readLoop()
	return b, nil
}

// readLoop dispatches responses to their callers and events to their pages.
func (b *Browser) readLoop() {
	for {
		data, err := b.ws.read()
		if err != nil {
			b.mu.Lock()
			b.readErr = fmt.Errorf("devtools connection: %w", err)
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			b.mu.Unlock()
			return
		}
		var m struct {
			ID        int64           `json:"id"`
			Method    string          `json:"method"`
			Params    json.RawMessage `json:"params"`
			SessionID string          `json:"sessionId"`
			response
		}
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch := b.pending[m.ID]; ch != nil {
				delete(b.pending, m.ID)
				ch <- m.response
			}
		} else if p := b.pages[m.SessionID]; p != nil {
			p.event(m.Method, m.Params)
		}
		b.mu.Unlock()
	}
}

// call sends one command (to a page when session is set) and decodes its result.
func (b *Browser) call(ctx context.Context, session, method string, params, result any) error {
	id := b.nextID.Add(1)
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	ch := make(chan response, 1)
	b.mu.Lock()
	if b.readErr != nil {
		b.mu.Unlock()
		return b.readErr
	}
	b.pending[id] = ch
	b.mu.Unlock()
	if err := b.ws.writeText(data); err != nil {
		return err
	}
	select {
	case r, ok := <-ch:
		if !ok {
			b.mu.Lock()
			defer b.mu.Unlock()
			return b.readErr
		}
		if r.Error != nil {
			return fmt.Errorf("%s: %s (%d)", method, r.Error.Message, r.Error.Code)
		}
		if result != nil {
			return json.Unmarshal(r.Result, result)
		}
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// Close asks the browser to quit, kills it if it does not, and removes its profile.
func (b *Browser) Close() {
	if b.ws != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = b.call(ctx, "", "Browser.close", nil, nil)
		cancel()
		select {
		case <-b.exited:
		case <-time.After(10 * time.Second):
		}
		_ = b.ws.close()
	}
	b.kill()
}

func (b *Browser) kill() {
	select {
	case <-b.exited:
	default:
		_ = b.cmd.Process.Kill()
		<-b.exited
	}
	os.RemoveAll(b.profile)
}

// Page is one tab.
type Page struct {
	b       *Browser
	session string

	mu       sync.Mutex
	problems []string
	loaded   chan struct{}
}

// NewPage opens a blank tab of the given viewport size and starts collecting its console
// errors, uncaught exceptions and error log entries (failed requests, policy violations).
func (b *Browser) NewPage(ctx context.Context, width, height int) (*Page, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		return nil, err
	}
	p := &Page{b: b, session: attached.SessionID, loaded: make(chan struct{}, 1)}
	b.mu.Lock()
	b.pages[p.session] = p
	b.mu.Unlock()
	for _, m := range []string{"Page.enable", "Runtime.enable", "Log.enable"} {
		if err := p.Call(ctx, m, nil, nil); err != nil {
			return nil, err
		}
	}
	err := p.Call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false,
	}, nil)
	return p, err
}

// Call sends a DevTools command to the page.
func (p *Page) Call(ctx context.Context, method string, params, result any) error {
	return p.b.call(ctx, p.session, method, params, result)
}

// event records what the page reports. It runs on the read loop: it must not block.
func (p *Page) event(method string, params json.RawMessage) {
	switch method {
	case "Page.loadEventFired":
		select {
		case p.loaded <- struct{}{}:
		default:
		}
	case "Runtime.consoleAPICalled":
		var e struct {
			Type string `json:"type"`
			Args []struct {
				Value       any    `json:"value"`
				Description string `json:"description"`
			} `json:"args"`
		}
		if json.Unmarshal(params, &e) == nil && (e.Type == "error" || e.Type == "assert") {
			var parts []string
			for _, a := range e.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, fmt.Sprint(a.Value))
				}
			}
			p.problem("console." + e.Type + ": " + strings.Join(parts, " "))
		}
	case "Runtime.exceptionThrown":
		var e struct {
			Details struct {
				Text      string `json:"text"`
				Exception struct {
					Description string `json:"description"`
				} `json:"exception"`
			} `json:"exceptionDetails"`
		}
		if json.Unmarshal(params, &e) == nil {
			p.problem("exception: " + e.Details.Text + " " + e.Details.Exception.Description)
		}
	case "Log.entryAdded":
		var e struct {
			Entry struct {
				Level string `json:"level"`
				Text  string `json:"text"`
				URL   string `json:"url"`
			} `json:"entry"`
		}
		if json.Unmarshal(params, &e) == nil && e.Entry.Level == "error" {
			p.problem("log: " + e.Entry.Text + " " + e.Entry.URL)
		}
	}
}

func (p *Page) problem(s string) {
	p.mu.Lock()
	p.problems = append(p.problems, strings.TrimSpace(s))
	p.mu.Unlock()
}

// Problems returns the console errors, uncaught exceptions and error log entries seen so
// far.
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(ctx context.Context, url string) error {
	select { // forget a load event of an earlier page
	case <-p.loaded:
	default:
	}
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.Call(ctx, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("navigate to %s: %s", url, nav.ErrorText)
	}
	select {
	case <-p.loaded:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("navigate to %s: no load event: %w", url, ctx.Err())
	}
}

// Evaluate runs a JavaScript expression in the page, awaits it if it is a promise, and
// decodes its value (JSON-serialisable) into result, which may be nil.
func (p *Page) Evaluate(ctx context.Context, expr string, result any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := p.Call(ctx, "Runtime.evaluate", map[string]any{
		"expression": expr, "awaitPromise": true, "returnByValue": true,
	}, &r)
	if err != nil {
		return err
	}
	if d := r.ExceptionDetails; d != nil {
		return fmt.Errorf("evaluate: %s %s", d.Text, d.Exception.Description)
	}
	if result == nil || len(r.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(r.Result.Value, result)
}

// WaitFor evaluates the JavaScript expression cond in the page, again every 50 ms (a
// timer in the page, not a sleep here), until it is truthy, and decodes that value into result (which may be nil). It
// gives up after timeout, returning the last error if cond threw.
func (p *Page) WaitFor(ctx context.Context, cond string, timeout time.Duration, result any) error {
	expr := fmt.Sprintf(`new Promise((resolve, reject) => {
  const deadline = performance.now() + %d;
  let last = null;
  const check = () => {
    try { const v = (%s); if (v) { resolve(v); return; } } catch (e) { last = e; }
    if (performance.now() > deadline) { reject(new Error('timed out waiting for: ' + %q + (last ? ' (last error: ' + last + ')' : ''))); return; }
    setTimeout(check, 50);
  };
  check();
})`, timeout.Milliseconds(), cond, cond)
	return p.Evaluate(ctx, expr, result)
}

// Screenshot captures the viewport as PNG.
func (p *Page) Screenshot(ctx context.Context) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	if err := p.Call(ctx, "Page.captureScreenshot", map[string]any{"format": "png"}, &r); err != nil {
		return nil, err
	}
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		return nil, errors.New("screenshot: bad base64 from the browser")
	}
	return png, nil
}
