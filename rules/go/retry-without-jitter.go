package payments

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"net"
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

func reconnect(ctx context.Context, dial func() error) error {
	wait := 100 * time.Millisecond
	for attempt := 0; attempt < 8; attempt++ {
		if err := dial(); err == nil {
			return nil
		}
		time.Sleep(wait)
		// ruleid: retry-without-jitter
		wait *= 2
	}
	return errUnavailable
}

// exponential doubles a reconnect delay; callers wait with an injected timer.
func exponential(d time.Duration) time.Duration {
	// ruleid: retry-without-jitter
	d *= 2
	if d > time.Minute {
		d = time.Minute
	}
	return d
}

func exponentialJittered(d time.Duration) time.Duration {
	// ok: retry-without-jitter
	d *= 2
	return d/2 + time.Duration(rand.Int63n(int64(d/2)))
}

func sendWithGrowingTimeout(ctx context.Context, send func(context.Context) error) error {
	interval := 500 * time.Millisecond
	for {
		attemptCtx, cancel := context.WithTimeout(ctx, interval)
		err := send(attemptCtx)
		cancel()
		if err == nil || ctx.Err() != nil {
			return err
		}
		// The doubled value bounds the next attempt; nothing sleeps on it.
		// ok: retry-without-jitter
		interval *= 2
	}
}

func growBuffer(buf []byte, size int) []byte {
	// ok: retry-without-jitter
	size *= 2
	return append(make([]byte, 0, size), buf...)
}

func serve(l net.Listener, handle func(net.Conn)) error {
	var tempDelay time.Duration
	for {
		conn, err := l.Accept()
		if err != nil {
			if tempDelay == 0 {
				tempDelay = 5 * time.Millisecond
			} else {
				// A local accept back-off: there is no crowd of clients to spread out.
				// ok: retry-without-jitter
				tempDelay *= 2
			}
			time.Sleep(tempDelay)
			continue
		}
		tempDelay = 0
		go handle(conn)
	}
}

func acquireLease(create func() error) error {
	// ruleid: retry-without-jitter
	backoff := wait.Backoff{
		Duration: 1 * time.Second,
		Steps:    50,
	}
	_ = backoff
	// ruleid: retry-without-jitter
	_ = wait.ExponentialBackoff(wait.Backoff{Duration: time.Second, Factor: 2, Steps: 5}, nil)
	// ok: retry-without-jitter
	spread := wait.Backoff{Duration: time.Second, Factor: 2, Jitter: 0.1, Steps: 5}
	// ok: retry-without-jitter
	other := backoffpkg.Backoff{Duration: time.Second}
	_, _ = spread, other
	return create()
}
