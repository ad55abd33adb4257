package observer

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/lunatic-go/lunatic/vm"
)

// actionHeader must be present on action requests. A page from another origin cannot set
// it without a CORS preflight, which the observer never grants.
const actionHeader = "X-Lunatic-Observer"

// serveKill kills a process, as the guest's lunatic::process::kill does, when actions are
// on and the request comes from this machine: 204 once it has ended, 202 if it is still
// ending after killWait.
func (o *Observer) serveKill(w http.ResponseWriter, r *http.Request) {
	if !o.opts.Actions {
		writeError(w, http.StatusForbidden, "actions are off: start lunatic with --observe-actions to enable them")
		return
	}
	if why := refuseAction(r); why != "" {
		o.log.Warn("observer: refused an action", "remote", r.RemoteAddr, "host", r.Host, "reason", why)
		writeError(w, http.StatusForbidden, why)
		return
	}
	env, id, ok := processParams(w, r)
	if !ok {
		return
	}
	p := o.src.lookup(env, id)
	if p == nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no live process %d in environment %d", id, env))
		return
	}
	o.log.Info("observer: killing a process", "env", env, "id", id, "remote", r.RemoteAddr)
	p.Kill(vm.ErrKilled)
	// Answer once it has ended, so the page's next look finds it gone; a process stuck
	// where a kill cannot reach it (a blocking WASI call) gets 202 instead.
	select {
	case <-p.Done():
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(killWait):
		w.WriteHeader(http.StatusAccepted)
	case <-r.Context().Done():
	}
}

// killWait bounds how long a kill request waits for the process to end.
const killWait = 2 * time.Second

// refuseAction says why an action request is refused, or "" when it may proceed: it must
// come from a loopback address, name a loopback host (no DNS rebinding), carry the action
// header and not be a cross-site browser request.
func refuseAction(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if a, err := netip.ParseAddr(host); err != nil || !a.Unmap().IsLoopback() {
		return "actions are only accepted from loopback clients"
	}
	if !loopbackHost(r.Host) {
		return "actions are only accepted for a loopback host name (localhost, 127.0.0.1, [::1])"
	}
	if r.Header.Get(actionHeader) == "" {
		return "missing the " + actionHeader + " header"
	}
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
		return "cross-site action refused"
	}
	return ""
}

func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}
