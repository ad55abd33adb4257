package cluster

import (
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"time"
)

// Defaults of Options.
const (
	DefaultCluster      = "lunatic"
	DefaultTTL          = 3 * time.Second
	DefaultSpawnTimeout = 30 * time.Second
	// minTTL is the smallest membership TTL NATS accepts for expiry markers.
	minTTL = time.Second
	// DirectOff as Options.Direct turns the node's direct listener off.
	DirectOff = "off"
	// embeddedMaxPayload is the largest message the embedded server accepts: 8 MiB, the
	// size NATS recommends as a ceiling (its default is 1 MiB).
	embeddedMaxPayload = 8 << 20
)

// Options configure a node.
type Options struct {
	// Cluster names the cluster: NATS subjects and JetStream buckets are prefixed with it,
	// so several clusters can share one NATS system. Letters, digits, '-' and '_' only.
	// "" means DefaultCluster.
	Cluster string
	// Name is a human-readable node name; it is also the tag "name" unless Tags has one.
	Name string
	// Tags are the node attributes that lookup_nodes queries match.
	Tags map[string]string

	// NATS lists the URLs of an existing NATS server or cluster to join. Empty means the
	// node embeds its own NATS server.
	NATS []string
	// Auth holds credentials and TLS files for NATS (joining or, with Listen, accepted).
	Auth Auth
	// Listen is HOST:PORT where the embedded server accepts other nodes (port 0 picks a
	// free one; see Node.ClientURL). "" opens no port: the node is alone, connected
	// in-process. Ignored when joining.
	Listen string
	// ServerConfig is a nats-server configuration file for the embedded server (cluster
	// routes, authorization, TLS, JetStream limits); Listen, when set, overrides its
	// listen address.
	ServerConfig string
	// StoreDir is where the embedded server keeps JetStream data; "" uses a temporary
	// directory removed when the node closes.
	StoreDir string

	// Direct is HOST:PORT where the node listens for direct connections from other
	// nodes, which carry process messages and spawns between two nodes without NATS
	// (port 0 picks a free one). "" picks the address this node's NATS traffic leaves
	// from, on a free port; DirectOff gives the node no direct path (it still dials the
	// others'). An embedded server without a port (a node alone) gets none either.
	Direct string
	// DirectAdvertise is the HOST:PORT other nodes dial, when it is not the listening
	// address (NAT, containers); port 0 means the listener's port.
	DirectAdvertise string

	// TTL is how long a node stays listed after its last heartbeat (it beats every TTL/3).
	// It applies when this node creates the membership bucket; otherwise the bucket's TTL
	// wins. 0 means DefaultTTL; values under one second are raised to one second.
	TTL time.Duration
	// Replicas is how many NATS servers keep a copy of each JetStream bucket (1 to 5).
	// It applies when this node creates the buckets. On a NATS cluster of three servers,
	// 3 lets the cluster lose any one server; 1 (the default) keeps each bucket on one
	// server only, whose loss stops membership, the registry and module downloads.
	Replicas int
	// SpawnTimeout bounds a remote spawn, module download and compilation included.
	// 0 means DefaultSpawnTimeout.
	SpawnTimeout time.Duration

	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Stdout and Stderr are the streams of processes other nodes spawn here; nil
	// discards their output.
	Stdout, Stderr io.Writer
}

// Auth is how a node authenticates to NATS. User, password and token can also be given
// in the URL (nats://user:pass@host:4222).
type Auth struct {
	// CredsFile is a NATS credentials file (JWT and NKey seed).
	CredsFile string
	// NKeyFile is a file holding an NKey seed.
	NKeyFile string
	// TLSCert and TLSKey are a client certificate and its key.
	TLSCert, TLSKey string
	// TLSCA lists files of root certificates to trust.
	TLSCA []string
}

var clusterName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// withDefaults validates o and fills in its defaults.
func (o Options) withDefaults() (Options, error) {
	if o.Cluster == "" {
		o.Cluster = DefaultCluster
	}
	if !clusterName.MatchString(o.Cluster) {
		return o, fmt.Errorf("cluster name %q: use letters, digits, '-' and '_' only", o.Cluster)
	}
	if o.TTL == 0 {
		o.TTL = DefaultTTL
	}
	if o.TTL < minTTL {
		o.TTL = minTTL
	}
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	if o.Replicas < 1 || o.Replicas > 5 {
		return o, fmt.Errorf("replicas %d: NATS keeps 1 to 5 copies of a bucket", o.Replicas)
	}
	if o.SpawnTimeout <= 0 {
		o.SpawnTimeout = DefaultSpawnTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if len(o.NATS) > 0 && (o.Listen != "" || o.ServerConfig != "") {
		return o, fmt.Errorf("a node either joins NATS servers or embeds one: the NATS URLs exclude Listen and ServerConfig")
	}
	tags := make(map[string]string, len(o.Tags)+1)
	for k, v := range o.Tags {
		tags[k] = v
	}
	if _, ok := tags["name"]; !ok && o.Name != "" {
		tags["name"] = o.Name
	}
	o.Tags = tags
	return o, nil
}
