package orders

import (
	"context"
	"log"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/cenkalti/backoff/v4"
)

type Outbox interface {
	Publish(e Event) error
}

type Event struct{ ID string }

func publishForever(o Outbox, e Event) error {
	// ruleid: retry-without-cap
	for {
		if err := o.Publish(e); err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
}

func confirmPayment(confirm func() error) {
	// ruleid: retry-without-cap
	for {
		err := confirm()
		if err != nil {
			log.Printf("confirm failed, retrying: %v", err)
			time.Sleep(2 * time.Second)
			continue
		}
		break
	}
}

func syncInventory(sync func() error) error {
	b := backoff.NewExponentialBackOff()
	// ruleid: retry-without-cap
	b.MaxElapsedTime = 0
	return backoff.Retry(sync, b)
}

func syncPrices(sync func() error) error {
	b := &backoff.ExponentialBackOff{
		InitialInterval:     500 * time.Millisecond,
		RandomizationFactor: 0.5,
		Multiplier:          2,
		MaxInterval:         30 * time.Second,
		// ruleid: retry-without-cap
		MaxElapsedTime:      0,
		Clock:               backoff.SystemClock,
	}
	b.Reset()
	return backoff.Retry(sync, b)
}

func notify(send func() error) error {
	// ruleid: retry-without-cap
	return retry.Do(send, retry.Attempts(0))
}

func publishUntilCancelled(ctx context.Context, o Outbox, e Event) error {
	// ok: retry-without-cap
	for {
		if err := o.Publish(e); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func publishCounted(o Outbox, e Event) error {
	attempts := 0
	// ok: retry-without-cap
	for {
		err := o.Publish(e)
		if err == nil {
			return nil
		}
		attempts++
		if attempts >= 5 {
			return err
		}
		time.Sleep(time.Duration(attempts) * time.Second)
	}
}

func consume(recv func() (Event, error), handle func(Event)) {
	// A consumer loop, not a retry: it runs for the life of the process by design.
	// ok: retry-without-cap
	for {
		evt, err := recv()
		if err != nil {
			log.Printf("receive: %v", err)
			continue
		}
		handle(evt)
	}
}

func syncCapped(sync func() error) error {
	b := backoff.NewExponentialBackOff()
	b.MaxElapsedTime = 2 * time.Minute
	// ok: retry-without-cap
	return retry.Do(sync, retry.Attempts(5))
}

type Consumer struct{ name string }

func (c *Consumer) eventLoop() error { return nil }

func (c *Consumer) start() {
	go func() {
		// A supervisor: restarts the event loop after a recovered panic, ends when it returns cleanly.
		// ok: retry-without-cap
		for {
			if err := c.eventLoop(); err != nil {
				log.Printf("consumer %s recovered from panic: %v", c.name, err)
				time.Sleep(5 * time.Millisecond)
				continue
			}
			return
		}
	}()
}
