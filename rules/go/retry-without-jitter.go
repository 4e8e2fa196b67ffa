package payments

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/hashicorp/go-retryablehttp"
)

var errUnavailable = errors.New("payments unavailable")

func charge(ctx context.Context, c *http.Client, req *http.Request) (*http.Response, error) {
	for attempt := 0; attempt < 5; attempt++ {
		resp, err := c.Do(req.WithContext(ctx))
		if err == nil {
			return resp, nil
		}
		// ruleid: retry-without-jitter
		time.Sleep(time.Duration(1<<attempt) * 100 * time.Millisecond)
	}
	return nil, errUnavailable
}

func refund(ctx context.Context, do func() error) error {
	for attempt := 0; attempt < 5; attempt++ {
		if err := do(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		// ruleid: retry-without-jitter
		case <-time.After(time.Duration(math.Pow(2, float64(attempt))) * time.Second):
		}
	}
	return errUnavailable
}

func capturePolicy() backoff.BackOff {
	// ruleid: retry-without-jitter
	return &backoff.ExponentialBackOff{InitialInterval: time.Second, RandomizationFactor: 0, Multiplier: 2,
		MaxInterval: 30 * time.Second, MaxElapsedTime: 2 * time.Minute, Clock: backoff.SystemClock}
}

func newLedgerClient() *http.Client {
	// ruleid: retry-without-jitter
	rc := retryablehttp.NewClient()
	rc.RetryMax = 4
	return rc.StandardClient()
}

func chargeJittered(ctx context.Context, c *http.Client, req *http.Request) (*http.Response, error) {
	for attempt := 0; attempt < 5; attempt++ {
		resp, err := c.Do(req.WithContext(ctx))
		if err == nil {
			return resp, nil
		}
		base := time.Duration(1<<attempt) * 100 * time.Millisecond
		// ok: retry-without-jitter
		time.Sleep(base/2 + time.Duration(rand.Int63n(int64(base/2))))
	}
	return nil, errUnavailable
}

func settlePolicy() backoff.BackOff {
	// Jittered by default (RandomizationFactor 0.5).
	// ok: retry-without-jitter
	return backoff.NewExponentialBackOff()
}

func poll(ctx context.Context, check func() bool) {
	for !check() {
		// A fixed poll interval is not a backoff.
		// ok: retry-without-jitter
		time.Sleep(2 * time.Second)
	}
}
