package cluster_test

import (
	"testing"

	"github.com/nats-io/nats.go"
)

// rawConn is a plain NATS client of the test cluster.
func rawConn(t testing.TB, url string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}
