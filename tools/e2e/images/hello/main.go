// Command hello is the e2e test's workload: a static HTTP server on :8080 that answers every
// request with the pod's hostname, so a client can tell which replica served it.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	host, _ := os.Hostname()
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "hello from %s\n", host)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
