package metricsapi

import (
	"testing"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/vm"
)

// TestResourceKindsAgree checks that the kinds host packages report through vm are the
// label values the metrics package knows.
func TestResourceKindsAgree(t *testing.T) {
	pairs := [][2]string{
		{vm.ResourceKindTCPStream, metrics.ResourceTCPStream},
		{vm.ResourceKindTCPListener, metrics.ResourceTCPListener},
		{vm.ResourceKindTLSStream, metrics.ResourceTLSStream},
		{vm.ResourceKindTLSListener, metrics.ResourceTLSListener},
		{vm.ResourceKindUDPSocket, metrics.ResourceUDPSocket},
		{vm.ResourceKindSQLiteConn, metrics.ResourceSQLiteConn},
		{vm.ResourceKindTimer, metrics.ResourceTimer},
	}
	for _, p := range pairs {
		if p[0] != p[1] {
			t.Errorf("vm kind %q != metrics kind %q", p[0], p[1])
		}
	}
}
