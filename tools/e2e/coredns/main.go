// Command coredns is CoreDNS at the version go.mod pins (tools/e2e/coredns: what kubeadm deploys
// for the e2e spec's version; tools/e2e/coredns-next, whose main.go links here: for its upgrade
// target) with only the plugins of kubeadm's default Corefile. The full plugin set cannot be built from the Go module proxy here
// (a DataDog tracing dependency is refused), and the e2e cluster needs nothing else.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

// directives in CoreDNS's plugin.cfg order (the order plugins run in a server block).
var directives = []string{"reload", "ready", "health", "prometheus", "errors", "log", "loadbalance", "cache", "kubernetes", "loop", "forward"}

func init() { dnsserver.Directives = directives }

func main() { coremain.Run() }
