package orders

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
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

// Every resource of a deployment, checked at once on each scan.
func scanResources(ctx context.Context, resources []Line, scan func(context.Context, Line)) {
	var wg sync.WaitGroup
	for _, resource := range resources {
		wg.Add(1)
		// ruleid: unbounded-goroutine-fan-out
		go func(r Line) {
			defer wg.Done()
			scan(ctx, r)
		}(resource)
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

// Listeners is the set of listeners built from the configuration file at start-up.
type Listeners map[string]*Listener

type Listener struct{ addr string }

func (l *Listener) Serve(ctx context.Context) {}

func (ls Listeners) Start(ctx context.Context) {
	for _, l := range ls {
		// ok: unbounded-goroutine-fan-out
		go l.Serve(ctx)
	}
}

type Checker struct{ url string }

func (c *Checker) Launch(ctx context.Context) {}

type CheckManager struct{ checkers map[string]*Checker }

func (m *CheckManager) LaunchAll(ctx context.Context) {
	// One long-running checker per configured backend service.
	for _, hc := range m.checkers {
		// ok: unbounded-goroutine-fan-out
		go hc.Launch(ctx)
	}
}

func taskQueue(size int) chan<- func() {
	tasks := make(chan func(), size)
	for range size {
		// ok: unbounded-goroutine-fan-out
		go func() {
			for fn := range tasks {
				fn()
			}
		}()
	}
	return tasks
}

func renewCertificates(ctx context.Context, names string, renew func(context.Context, string)) {
	hosts := strings.Split(names, ",")
	for _, host := range hosts {
		// ok: unbounded-goroutine-fan-out
		go renew(ctx, host)
	}
}

type Store interface {
	ListPendingOrders(ctx context.Context) ([]Order, error)
}

func retryPending(ctx context.Context, store Store, ship func(Order)) error {
	pending, err := store.ListPendingOrders(ctx)
	if err != nil {
		return err
	}
	for _, o := range pending {
		// ruleid: unbounded-goroutine-fan-out
		go ship(o)
	}
	return nil
}

type CancelRequest struct{ OrderIDs []string }

func cancelOrders(ctx context.Context, req *CancelRequest, cancel func(context.Context, string) error) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range req.OrderIDs {
		// ruleid: unbounded-goroutine-fan-out
		g.Go(func() error { return cancel(ctx, id) })
	}
	return g.Wait()
}

type Stream struct{ consumers []string }

func (s *Stream) getConsumers() []string { return s.consumers }

func watchRestored(s *Stream, watch func(string)) {
	// The stream's own consumers, read from its state: not a query sized by a caller.
	if consumers := s.getConsumers(); len(consumers) > 0 {
		for _, c := range consumers {
			// ok: unbounded-goroutine-fan-out
			go watch(c)
		}
	}
}

type BulkShipRequest struct{ Orders []Order }

func handleBulkShip(w http.ResponseWriter, r *http.Request, ship func(context.Context, Order) error) {
	var req BulkShipRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var wg sync.WaitGroup
	for _, o := range req.Orders {
		wg.Add(1)
		// ruleid: unbounded-goroutine-fan-out
		go func(o Order) { defer wg.Done(); _ = ship(r.Context(), o) }(o)
	}
	wg.Wait()
}

type Budget struct{ left int }

func (b *Budget) take() bool { b.left--; return b.left >= 0 }

func cancelTargets(ctx context.Context, budget *Budget, orders []Order, cancel func(context.Context, Order)) {
	var wg sync.WaitGroup
	for _, o := range orders {
		// Each goroutine spends one action of a per-run budget: the loop stops when it is used up.
		if !budget.take() {
			break
		}
		// ok: unbounded-goroutine-fan-out
		wg.Go(func() { cancel(ctx, o) })
	}
	wg.Wait()
}

func syncQueues(ctx context.Context, targets []string, sync func(context.Context, string) error) error {
	// A parameter not named as data: its callers pass a list capped by configuration.
	errs := make(chan error, len(targets))
	for _, t := range targets {
		// ok: unbounded-goroutine-fan-out
		go func(t string) { errs <- sync(ctx, t) }(t)
	}
	var err error
	for range targets {
		if e := <-errs; e != nil {
			err = e
		}
	}
	return err
}

type Conn struct{ addr string }

type Pool struct{ conns map[string]*Conn }

func (p *Pool) getAllConns() []*Conn {
	out := make([]*Conn, 0, len(p.conns))
	for _, c := range p.conns {
		out = append(out, c)
	}
	return out
}

func (p *Pool) pingAll(ctx context.Context, ping func(context.Context, *Conn)) {
	// The pool's own connections, one per host: not data a caller sized.
	conns := p.getAllConns()
	for _, c := range conns {
		// ok: unbounded-goroutine-fan-out
		go ping(ctx, c)
	}
}

func notifyRecipients(ctx context.Context, recipients []string, send func(context.Context, string)) {
	// The slots are taken inside a helper the goroutine calls; the function still bounds the fan-out.
	slots := make(chan struct{}, 20)
	var wg sync.WaitGroup
	for _, to := range recipients {
		wg.Add(1)
		// ok: unbounded-goroutine-fan-out
		go func(to string) {
			defer wg.Done()
			withSlot(slots, func() { send(ctx, to) })
		}(to)
	}
	wg.Wait()
}

func withSlot(slots chan struct{}, fn func()) {
	slots <- struct{}{}
	defer func() { <-slots }()
	fn()
}

type Config struct{ Backends []string }

func startProbes(ctx context.Context, raw []byte, probe func(context.Context, string)) error {
	// A configuration file decoded at start-up: its backends are configured, not sent by a client.
	var cfg Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return err
	}
	for _, b := range cfg.Backends {
		// ok: unbounded-goroutine-fan-out
		go probe(ctx, b)
	}
	return nil
}

type EventBatch struct{ Items []string }

func onMessage(ctx context.Context, msg []byte, index func(context.Context, string)) error {
	var batch EventBatch
	if err := json.Unmarshal(msg, &batch); err != nil {
		return err
	}
	for _, it := range batch.Items {
		// ruleid: unbounded-goroutine-fan-out
		go index(ctx, it)
	}
	return nil
}
