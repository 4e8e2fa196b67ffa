package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"time"

	"github.com/ory/graceful"
)

func serveOrders(mux *http.ServeMux) {
	// ruleid: server-without-timeouts
	log.Fatal(http.ListenAndServe(":8080", mux))
}

func serveOrdersTLS(mux *http.ServeMux) {
	// ruleid: server-without-timeouts
	log.Fatal(http.ListenAndServeTLS(":8443", "cert.pem", "key.pem", mux))
}

func newAdminServer(mux *http.ServeMux) *http.Server {
	// ruleid: server-without-timeouts
	return &http.Server{Addr: ":9090", Handler: mux, WriteTimeout: 10 * time.Second}
}

func serveInternal(l net.Listener, mux *http.ServeMux) error {
	// ruleid: server-without-timeouts
	return http.Serve(l, mux)
}

func newPublicServer(mux *http.ServeMux) *http.Server {
	// ok: server-without-timeouts
	return &http.Server{
		Addr:              ":8080",
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

func newMetricsServer(mux *http.ServeMux) *http.Server {
	// ok: server-without-timeouts
	srv := &http.Server{Addr: ":9100", Handler: mux}
	srv.ReadTimeout = 10 * time.Second
	return srv
}

func servePprof() {
	// Debug listener on loopback only.
	// ok: server-without-timeouts
	go func() { log.Println(http.ListenAndServe("localhost:6060", nil)) }()
}

func serve(srv *http.Server) error {
	// The method on a configured server is not the package helper.
	// ok: server-without-timeouts
	return srv.ListenAndServe()
}

func newDebugServer() *http.Server {
	// Loopback only: reachable from the host, not from clients.
	// ok: server-without-timeouts
	return &http.Server{Addr: "127.0.0.1:6060", Handler: http.DefaultServeMux}
}

func newCallbackServer(port int, handler http.Handler) *http.Server {
	// A one-shot login callback receiver on a loopback port picked at run time.
	// ok: server-without-timeouts
	return &http.Server{Addr: fmt.Sprintf("127.0.0.1:%d", port), Handler: handler}
}

func newGracefulServer(mux *http.ServeMux) *http.Server {
	// The helper gives the server its read, read-header, write and idle timeouts.
	// ok: server-without-timeouts
	return graceful.WithDefaults(&http.Server{Addr: ":4466", Handler: mux})
}

func newWrappedServer(mux *http.ServeMux) *http.Server {
	// A helper that says nothing about timeouts does not count.
	// ruleid: server-without-timeouts
	return instrument(&http.Server{Addr: ":4467", Handler: mux})
}

func serveAdmin(host string, port int, mux *http.ServeMux) error {
	// ruleid: server-without-timeouts
	return http.ListenAndServe(fmt.Sprintf("%s:%d", host, port), mux)
}

func instrument(srv *http.Server) *http.Server { return srv }

func serveDocs(port int, mux *http.ServeMux) error {
	// Reviewed for gosec, which checks the same thing: the decision is on the line.
	// ok: server-without-timeouts
	return http.ListenAndServe(fmt.Sprintf(":%d", port), mux) //nolint:gosec // Only for development use.
}

func serveStatic(port int, mux *http.ServeMux) error {
	// ok: server-without-timeouts
	// #nosec G114 -- a developer's static file server
	return http.ListenAndServe(fmt.Sprintf(":%d", port), mux)
}

func servePublic(port int, mux *http.ServeMux) error {
	// A marker for another gosec check is no decision about this one.
	// ruleid: server-without-timeouts
	return http.ListenAndServe(fmt.Sprintf(":%d", port), mux) // #nosec G104
}

// Opt-in profiling listeners (net/http/pprof registers its handlers on the default mux).
func SetupProfiling(enabled bool, host string, port int) {
	if enabled {
		go func() {
			// ok: server-without-timeouts
			_ = http.ListenAndServe(fmt.Sprintf("%s:%d", host, port), nil)
		}()
	}
}

type app struct{ pprofServer, metrics *http.Server }

func (a *app) startDebug(pprofAddr, metricsAddr string, mux *http.ServeMux) {
	if pprofAddr != "" {
		// ok: server-without-timeouts
		a.pprofServer = &http.Server{Addr: pprofAddr, Handler: http.DefaultServeMux}
	}
	// ok: server-without-timeouts
	go http.ListenAndServe(pprofAddr, nil)
	// ruleid: server-without-timeouts
	a.metrics = &http.Server{Addr: metricsAddr, Handler: mux}
	// ruleid: server-without-timeouts
	go http.ListenAndServe(metricsAddr, mux)
}

func serveTemplates(port int, mux *http.ServeMux) {
	// A loopback address held in a variable: only this host's own browser reaches it.
	addr := fmt.Sprintf("localhost:%d", port)
	// ok: server-without-timeouts
	_ = http.ListenAndServe(addr, mux)
}
