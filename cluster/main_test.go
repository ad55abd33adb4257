package cluster_test

import (
	"fmt"
	"io"
	"net"
	"os"
	"testing"
)

// echoEnv, when set in the environment of this test binary, makes it an echo server
// instead of running tests: it listens on a loopback port, prints the address on
// stdout, and echoes 8-byte blocks on one connection (tcpProcessPingPong's peer).
const echoEnv = "LUNATIC_CLUSTER_TEST_ECHO"

func TestMain(m *testing.M) {
	if os.Getenv(echoEnv) != "" {
		os.Exit(echoServer())
	}
	os.Exit(m.Run())
}

func echoServer() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(ln.Addr().String())
	c, err := ln.Accept()
	if err != nil {
		return 1
	}
	_ = ln.Close()
	buf := make([]byte, 8)
	for {
		if _, err := io.ReadFull(c, buf); err != nil {
			return 0
		}
		if _, err := c.Write(buf); err != nil {
			return 0
		}
	}
}
