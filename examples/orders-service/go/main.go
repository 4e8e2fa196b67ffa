// Command orders serves the orders API and fans work out to payments and inventory.
//
// Each gap that resbot should report is marked GAP; the code marked OK is the version to copy.
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
)

type Line struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

type Order struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Lines    []Line `json:"lines"`
}

type API struct {
	store    *Store
	payments *PaymentsClient
}

func (a *API) createOrder(w http.ResponseWriter, r *http.Request) {
	var o Order
	if err := json.NewDecoder(r.Body).Decode(&o); err != nil {
		http.Error(w, "bad order", http.StatusBadRequest)
		return
	}
	// GAP: a fresh background context; the request's cancellation and deadline are dropped.
	if err := a.store.Save(context.Background(), o); err != nil {
		http.Error(w, "cannot save", http.StatusInternalServerError)
		return
	}
	// GAP: one goroutine per order line, however many lines the client sent.
	for _, l := range o.Lines {
		go a.payments.Reserve(r.Context(), l)
	}
	w.WriteHeader(http.StatusAccepted)
}

func (a *API) reserveLines(ctx context.Context, o Order) error {
	// OK: bounded fan-out with errgroup.SetLimit, the request context passed on.
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, l := range o.Lines {
		g.Go(func() error { return a.payments.Reserve(ctx, l) })
	}
	return g.Wait()
}

func (a *API) getOrder(w http.ResponseWriter, r *http.Request) {
	// OK: the request context reaches the database.
	o, err := a.store.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if err := json.NewEncoder(w).Encode(o); err != nil {
		log.Printf("encode order %s: %v", o.ID, err)
	}
}

func main() {
	store, err := OpenStore("postgres://orders@db.internal/orders")
	if err != nil {
		log.Fatal(err)
	}
	api := &API{store: store, payments: NewPaymentsClient("https://payments.internal")}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", api.createOrder)
	mux.HandleFunc("GET /orders/{id}", api.getOrder)

	// GAP: the admin listener has no read timeouts (slowloris).
	go func() { log.Println(http.ListenAndServe(":9090", http.DefaultServeMux)) }()

	// OK: the public server bounds header and body reads.
	srv := &http.Server{
		Addr:              ":8080",
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Fatal(srv.ListenAndServe())
}
