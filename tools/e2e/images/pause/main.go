// Command pause is the e2e test's pod sandbox process (registry.k8s.io/pause in the local
// registry): it sleeps until SIGINT or SIGTERM. Kubernetes' own pause is C, not on the Go
// module proxy; containerd only needs a process that holds the pod's namespaces. Like pause.c,
// `-v` prints a version and exits 0: kubeadm's upgrade health check runs a Job of `pause -v`.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-v" {
		fmt.Println("pause (pve-k8s e2e stand-in)")
		return
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
}
