// Package hostfuncs composes the lunatic host modules: InstantiateAll is the one place that
// knows the full list of namespaces.
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

// InstantiateAll instantiates every lunatic host module into r. Guest metrics
// (lunatic::metrics) are recorded into m; nil records none.
func InstantiateAll(ctx context.Context, r wazero.Runtime, m *metrics.Metrics) error {
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
