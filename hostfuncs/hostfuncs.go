// Package hostfuncs composes the lunatic host modules: InstantiateAll is the one place that
// knows the full list of namespaces. docs/abi/ documents each module, one page per namespace.
package hostfuncs

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/distributedapi"
	"github.com/lunatic-go/lunatic/hostfuncs/errorapi"
	"github.com/lunatic-go/lunatic/hostfuncs/messageapi"
	"github.com/lunatic-go/lunatic/hostfuncs/metricsapi"
	"github.com/lunatic-go/lunatic/hostfuncs/networkingapi"
	"github.com/lunatic-go/lunatic/hostfuncs/processapi"
	"github.com/lunatic-go/lunatic/hostfuncs/registryapi"
	"github.com/lunatic-go/lunatic/hostfuncs/sqliteapi"
	"github.com/lunatic-go/lunatic/hostfuncs/timerapi"
	"github.com/lunatic-go/lunatic/hostfuncs/trapapi"
	"github.com/lunatic-go/lunatic/hostfuncs/versionapi"
	"github.com/lunatic-go/lunatic/hostfuncs/wasiapi"
	"github.com/lunatic-go/lunatic/metrics"
)

// Option configures InstantiateAll.
type Option func(*options)

type options struct {
	metrics *metrics.Metrics
}

// WithMetrics records guest metrics (lunatic::metrics) into m. Without it, or with a nil
// m, the guest metric functions only validate their arguments.
func WithMetrics(m *metrics.Metrics) Option {
	return func(o *options) { o.metrics = m }
}

// InstantiateAll instantiates every lunatic host module into r.
func InstantiateAll(ctx context.Context, r wazero.Runtime, opts ...Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	m := o.metrics
	all := []func(context.Context, wazero.Runtime) (api.Closer, error){
		wasiapi.Instantiate,
		processapi.Instantiate,
		messageapi.Instantiate,
		timerapi.Instantiate,
		errorapi.Instantiate,
		registryapi.Instantiate,
		versionapi.Instantiate,
		trapapi.Instantiate,
		distributedapi.Instantiate,
		networkingapi.Instantiate,
		func(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
			return metricsapi.Instantiate(ctx, r, m)
		},
		sqliteapi.Instantiate,
	}
	for _, inst := range all {
		if _, err := inst(ctx, r); err != nil {
			return fmt.Errorf("host modules: %w", err)
		}
	}
	return nil
}
