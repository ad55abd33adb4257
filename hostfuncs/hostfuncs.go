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
)

// Instantiator adds one host module (or a group) to a wazero runtime.
type Instantiator func(ctx context.Context, r wazero.Runtime) (api.Closer, error)

// All lists every host module, in the order they are instantiated.
var All = []Instantiator{
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
	metricsapi.Instantiate,
	sqliteapi.Instantiate,
}

// InstantiateAll instantiates every lunatic host module into r.
func InstantiateAll(ctx context.Context, r wazero.Runtime) error {
	for _, inst := range All {
		if _, err := inst(ctx, r); err != nil {
			return fmt.Errorf("host modules: %w", err)
		}
	}
	return nil
}
