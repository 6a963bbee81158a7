// Command pause is the e2e test's pod sandbox process (registry.k8s.io/pause in the local
// registry): it sleeps until SIGINT or SIGTERM. Kubernetes' own pause is C, not on the Go
// module proxy; containerd only needs a process that holds the pod's namespaces.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
}
