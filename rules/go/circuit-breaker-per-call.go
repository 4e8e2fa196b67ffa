package rates

import (
	"context"
	"time"

	"github.com/eapache/go-resiliency/breaker"
	"github.com/sony/gobreaker/v2"
)

type Rates map[string]float64

type Client struct {
	cb    *gobreaker.CircuitBreaker[Rates]
	fetch func(context.Context) (Rates, error)
}

func (c *Client) Rates(ctx context.Context) (Rates, error) {
	// ruleid: circuit-breaker-per-call
	cb := gobreaker.NewCircuitBreaker[Rates](gobreaker.Settings{Name: "rates"})
	return cb.Execute(func() (Rates, error) { return c.fetch(ctx) })
}

func (c *Client) Quote(ctx context.Context, send func() error) error {
	// ruleid: circuit-breaker-per-call
	b := breaker.New(3, 1, 5*time.Second)
	return b.Run(send)
}

func (c *Client) Ping(ctx context.Context, ping func() (Rates, error)) (Rates, error) {
	// ruleid: circuit-breaker-per-call
	return gobreaker.NewCircuitBreaker[Rates](gobreaker.Settings{Name: "ping"}).Execute(ping)
}

func NewClient(fetch func(context.Context) (Rates, error)) *Client {
	// ok: circuit-breaker-per-call
	cb := gobreaker.NewCircuitBreaker[Rates](gobreaker.Settings{Name: "rates", Timeout: 30 * time.Second})
	return &Client{cb: cb, fetch: fetch}
}

func (c *Client) RatesGuarded(ctx context.Context) (Rates, error) {
	// ok: circuit-breaker-per-call
	return c.cb.Execute(func() (Rates, error) { return c.fetch(ctx) })
}

func settings(name string) *gobreaker.CircuitBreaker[Rates] {
	// Returned to the caller, who keeps it.
	// ok: circuit-breaker-per-call
	cb := gobreaker.NewCircuitBreaker[Rates](gobreaker.Settings{Name: name})
	return cb
}
