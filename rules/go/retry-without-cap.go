package orders

import (
	"context"
	"errors"
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

var ErrVersionConflict = errors.New("version conflict")

type OrderStore interface {
	Update(ctx context.Context, o *Order) error
	Find(ctx context.Context, id string) (*Order, error)
}

type Order struct {
	ID      string
	Version int64
	Status  string
}

// Optimistic locking: it loops only while another writer won the race; every other error returns.
func updateOptLock(ctx context.Context, s OrderStore, o *Order, status string) (*Order, error) {
	// ok: retry-without-cap
	for {
		dup := *o
		dup.Status = status
		err := s.Update(ctx, &dup)
		if err == nil {
			return &dup, nil
		}
		if !errors.Is(err, ErrVersionConflict) {
			return nil, err
		}
		o, err = s.Find(ctx, o.ID)
		if err != nil {
			return nil, err
		}
	}
}

// A periodic push on a ticker: a failed push waits for the next tick, the exit channel ends it.
func pushStats(exitChan chan struct{}, push func() error, once bool) {
	ticker := time.NewTicker(10 * time.Second)
	defer ticker.Stop()
	// ok: retry-without-cap
	for {
		select {
		case <-exitChan:
			return
		case <-ticker.C:
		}
		if err := push(); err != nil {
			log.Printf("stats push failed: %v", err)
			continue
		}
		if once {
			return
		}
	}
}

type ErrNeedMoreData struct{ FromEnd int64 }

func (e ErrNeedMoreData) Error() string { return "need more data" }

// Grows the read window while the index needs more bytes; any other error returns.
func readIndex(read func(size int) ([]byte, error), parse func([]byte) error) ([]byte, error) {
	size := 1 << 20
	// ok: retry-without-cap
	for {
		b, err := read(size)
		if err != nil {
			return nil, err
		}
		err = parse(b)
		if err == nil {
			return b, nil
		}
		var more ErrNeedMoreData
		if errors.As(err, &more) {
			size = int(more.FromEnd)
			if size <= 0 || size > 100<<20 {
				return nil, ErrNeedMoreData{}
			}
		} else {
			return nil, err
		}
	}
}

var ErrKeyExists = errors.New("key already exists")

// A fresh name per pass: it loops only while the generated key is taken.
func createUniqueKey(put func(key string) error, prefix string) (key string, err error) {
	// ok: retry-without-cap
	for {
		key = prefix + "/" + time.Now().Format(time.RFC3339Nano)
		err = put(key)
		if err == nil || !errors.Is(err, ErrKeyExists) {
			break
		}
	}
	return key, err
}
