package orders

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

type Line struct {
	SKU string
	Qty int
}

type Order struct {
	ID    string
	Lines []Line
}

func reserveAll(ctx context.Context, o Order, reserve func(context.Context, Line) error) {
	var wg sync.WaitGroup
	for _, line := range o.Lines {
		wg.Add(1)
		// ruleid: unbounded-goroutine-fan-out
		go func(l Line) {
			defer wg.Done()
			_ = reserve(ctx, l)
		}(line)
	}
	wg.Wait()
}

func notifyAll(ctx context.Context, orders []Order, notify func(context.Context, Order)) {
	for _, o := range orders {
		// ruleid: unbounded-goroutine-fan-out
		go notify(ctx, o)
	}
}

func priceAll(ctx context.Context, lines []Line, price func(context.Context, Line) error) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, l := range lines {
		// ruleid: unbounded-goroutine-fan-out
		g.Go(func() error {
			return price(ctx, l)
		})
	}
	return g.Wait()
}

func priceAllLimited(ctx context.Context, lines []Line, price func(context.Context, Line) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, l := range lines {
		// ok: unbounded-goroutine-fan-out
		g.Go(func() error {
			return price(ctx, l)
		})
	}
	return g.Wait()
}

func reserveBounded(ctx context.Context, o Order, reserve func(context.Context, Line) error) {
	sem := make(chan struct{}, 10)
	var wg sync.WaitGroup
	for _, line := range o.Lines {
		sem <- struct{}{}
		wg.Add(1)
		// ok: unbounded-goroutine-fan-out
		go func(l Line) {
			defer func() { <-sem; wg.Done() }()
			_ = reserve(ctx, l)
		}(line)
	}
	wg.Wait()
}

func shipWeighted(ctx context.Context, orders []Order, ship func(Order)) error {
	sem := semaphore.NewWeighted(4)
	for _, o := range orders {
		if err := sem.Acquire(ctx, 1); err != nil {
			return err
		}
		// ok: unbounded-goroutine-fan-out
		go func(o Order) {
			defer sem.Release(1)
			ship(o)
		}(o)
	}
	return nil
}

func startWorkers(jobs <-chan Order, workers int, handle func(Order)) {
	// A fixed pool of workers.
	for range workers {
		// ok: unbounded-goroutine-fan-out
		go func() {
			for o := range jobs {
				handle(o)
			}
		}()
	}
}

func warmCaches(ctx context.Context, warm func(context.Context, string)) {
	// ok: unbounded-goroutine-fan-out
	for _, region := range []string{"eu", "us", "ap"} {
		go warm(ctx, region)
	}
}

func broadcast(c *Cluster, msg []byte) {
	var wg sync.WaitGroup
	// One goroutine per cluster peer: the cluster size is configuration, not input.
	for _, peer := range c.peers() {
		wg.Add(1)
		// ok: unbounded-goroutine-fan-out
		go func(p string) { defer wg.Done(); c.send(p, msg) }(peer)
	}
	wg.Wait()
}

type Cluster struct{ members []string }

func (c *Cluster) peers() []string { return c.members }

func (c *Cluster) send(p string, msg []byte) {}

// FanoutStage runs its stages concurrently; the stages are wired in code at start-up.
type FanoutStage []Stage

type Stage interface {
	Exec(ctx context.Context, o Order) error
}

func (fs FanoutStage) Exec(ctx context.Context, o Order) error {
	var wg sync.WaitGroup
	for _, s := range fs {
		wg.Add(1)
		// ok: unbounded-goroutine-fan-out
		go func(s Stage) { defer wg.Done(); _ = s.Exec(ctx, o) }(s)
	}
	wg.Wait()
	return nil
}

type OrderBatch []Order

func (b OrderBatch) Reserve(ctx context.Context, reserve func(context.Context, Order) error) {
	var wg sync.WaitGroup
	for _, o := range b {
		wg.Add(1)
		// ruleid: unbounded-goroutine-fan-out
		go func(o Order) { defer wg.Done(); _ = reserve(ctx, o) }(o)
	}
	wg.Wait()
}
