package orders

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/propagation"
)

type StockService struct {
	db         *sql.DB
	checker    *HealthChecker
	propagator propagation.TextMapPropagator
}

type HealthChecker struct{}

func (h *HealthChecker) Start(ctx context.Context) {}

type Message struct {
	Headers map[string]string
	Sku     string
}

func (s *StockService) Reserve(ctx context.Context, sku string, n int) error {
	// ruleid: context-not-propagated
	_, err := s.db.ExecContext(context.Background(), "UPDATE stock SET available = available - $1 WHERE sku = $2", n, sku)
	return err
}

func (s *StockService) Release(parent context.Context, sku string) error {
	// ruleid: context-not-propagated
	ctx, cancel := context.WithTimeout(context.TODO(), 2*time.Second)
	defer cancel()
	_, err := s.db.ExecContext(ctx, "UPDATE stock SET reserved = 0 WHERE sku = $1", sku)
	return err
}

func (s *StockService) ServeStock(w http.ResponseWriter, r *http.Request) {
	// ruleid: context-not-propagated
	row := s.db.QueryRowContext(context.Background(), "SELECT available FROM stock WHERE sku = $1", r.URL.Query().Get("sku"))
	var n int
	if err := row.Scan(&n); err != nil {
		http.Error(w, "not found", http.StatusNotFound)
	}
}

func (s *StockService) Retire(ctx context.Context, sku string) error {
	// Mark the item retired in any case: this removes it from listings over time even if the
	// warehouse sync did not run.
	// ruleid: context-not-propagated
	if _, err := s.db.ExecContext(context.Background(), "UPDATE stock SET retired = true WHERE sku = $1", sku); err != nil {
		return err
	}
	// The audit row is written even if the caller's context was cancelled: it records the attempt.
	// ok: context-not-propagated
	_, err := s.db.ExecContext(context.Background(), "INSERT INTO audit (sku, event) VALUES ($1, 'retire')", sku)
	return err
}

func (s *StockService) Adjust(ctx context.Context, sku string, delta int) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		// Unlock must run even when ctx is already cancelled.
		// ok: context-not-propagated
		_, _ = s.db.ExecContext(context.Background(), "SELECT pg_advisory_unlock(1)")
	}()
	// ok: context-not-propagated
	if _, err = tx.ExecContext(ctx, "UPDATE stock SET available = available + $1 WHERE sku = $2", delta, sku); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (s *StockService) Restock(ctx context.Context, sku string) {
	go func() {
		// Deliberately detached: outlives the request.
		// ok: context-not-propagated
		bg, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.db.ExecContext(bg, "CALL restock($1)", sku); err != nil {
			log.Printf("restock %s: %v", sku, err)
		}
	}()
}

func main() {
	// ok: context-not-propagated
	ctx := context.Background()
	_ = ctx
}

func newShutdownHook(s *StockService) func(context.Context) error {
	// No context parameter here: the `context.Context` belongs to the returned function's type.
	// ok: context-not-propagated
	flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.flush(flushCtx)
	return func(ctx context.Context) error { return s.flush(ctx) }
}

func (s *StockService) Routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/stock", func(w http.ResponseWriter, r *http.Request) {
		// ruleid: context-not-propagated
		row := s.db.QueryRowContext(context.Background(), "SELECT available FROM stock WHERE sku = $1", r.URL.Query().Get("sku"))
		_ = row
	})
	// Set-up code: the handler literal above has a request, this function has no context to pass on.
	// ok: context-not-propagated
	warmCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _ = s.db.ExecContext(warmCtx, "SELECT 1")
	return mux
}

func (s *StockService) Start(ctx context.Context) error {
	// ok: context-not-propagated
	s.checker.Start(context.Background()) //nolint:contextcheck // the checker outlives Start; Stop ends it
	return nil
}

func (s *StockService) Consume(ctx context.Context, msgs <-chan Message) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-msgs:
			// Each message carries its own trace context.
			// ok: context-not-propagated
			msgCtx := context.Background()
			msgCtx = s.propagator.Extract(msgCtx, propagation.MapCarrier(m.Headers))
			_, _ = s.db.ExecContext(msgCtx, "UPDATE stock SET seen = now() WHERE sku = $1", m.Sku)
		}
	}
}

func (s *StockService) withLargeTimeout(parent context.Context) (context.Context, context.CancelFunc) {
	if parent == nil {
		// ok: context-not-propagated
		return context.WithTimeout(context.Background(), time.Minute)
	}
	return context.WithTimeout(parent, time.Minute)
}

type Ack interface {
	Get(ctx context.Context) (bool, error)
}

func (s *StockService) waitAck(ctx context.Context, ack Ack, timeout time.Duration) (bool, error) {
	// The caller's context is not respected here: its short deadline may already
	// have passed while the batch waited to be flushed.
	// ok: context-not-propagated
	ackCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return ack.Get(ackCtx)
}

// ResetTimeout starts a new timeout and copies the values (trace, auth) of the caller's context.
func ResetTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	// ok: context-not-propagated
	fresh, cancel := context.WithTimeout(context.Background(), d)
	return CopyContextValues(fresh, ctx), cancel
}

func CopyContextValues(dst, src context.Context) context.Context { return dst }

func (s *StockService) pollWithBudget(ctx context.Context, budget time.Duration, wait func(...context.Context) error) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		return wait(ctx)
	}
	// ok: context-not-propagated
	early, cancel := context.WithDeadline(context.Background(), deadline.Add(-budget))
	defer cancel()
	return wait(ctx, early)
}

type Logger interface{ Error(msg string) }

func GetLogger(ctx context.Context, name string) Logger { return nil }

func (s *StockService) rewritePath(w http.ResponseWriter, r *http.Request) {
	if r.URL.RawPath == "" {
		// ok: context-not-propagated
		GetLogger(context.Background(), "rewrite").Error("empty raw path")
		http.Error(w, "bad path", http.StatusBadRequest)
	}
}

func (s *StockService) Recount(ctx context.Context, sku string) error {
	// Recount the stock of one item.
	// ruleid: context-not-propagated
	_, err := s.db.ExecContext(context.TODO(), "CALL recount($1)", sku)
	return err
}

type Refresher struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (r *Refresher) loop(ctx context.Context) {}

func (r *Refresher) Start(ctx context.Context) error {
	// The refresher's own lifetime: Stop cancels it, not the caller of Start.
	// ok: context-not-propagated
	r.ctx, r.cancel = context.WithCancel(context.Background())
	// ok: context-not-propagated
	go r.loop(context.Background())
	return ctx.Err()
}

type Snapshot struct{ available int }

func (s *StockService) Refresh(ctx context.Context, snap *Snapshot) error {
	// ruleid: context-not-propagated
	row := s.db.QueryRowContext(context.Background(), "SELECT sum(available) FROM stock")
	return row.Scan(&snap.available)
}

func (r *Refresher) Run(ctx context.Context, every time.Duration) error {
	// ok: context-not-propagated
	runCtx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go r.loop(runCtx)
	return nil
}

func (s *StockService) Restock(ctx context.Context, sku string) error {
	// ruleid: context-not-propagated
	restockCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go s.flush(ctx)
	_, err := s.db.ExecContext(restockCtx, "CALL restock($1)", sku)
	return err
}

func (r *Refresher) StartUpdateCheck(ctx context.Context, check func(context.Context) error) {
	go func(context.Context) {
		// ok: context-not-propagated
		checkCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = check(checkCtx)
	}(ctx)
}

func (s *StockService) RunBatch(ctx context.Context, run func(context.Context) error, limit time.Duration) error {
	// ok: context-not-propagated
	batchCtx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	return run(batchCtx) //nolint:contextcheck
}

func (s *StockService) StreamLevels(w http.ResponseWriter, r *http.Request) {
	// ok: context-not-propagated
	subCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	requestCtx := r.Context()
	levels := s.subscribe(subCtx)
	for {
		select {
		case <-requestCtx.Done():
			return
		case lvl := <-levels:
			_, _ = w.Write(lvl)
		}
	}
}

func (s *StockService) Adjust(ctx context.Context, sku string, delta int) error {
	_, err := s.db.ExecContext(ctx, "UPDATE stock SET available = available + $1 WHERE sku = $2", delta, sku)
	if err != nil {
		// ok: context-not-propagated
		stockLogIf(context.Background(), err)
		// ok: context-not-propagated
		auditLogInternal(context.Background(), "stock.adjust", sku)
	}
	return err
}

func stockLogIf(ctx context.Context, err error) {
	if err != nil {
		log.Printf("stock: %v", err)
	}
}

func auditLogInternal(ctx context.Context, event, subject string) {
	log.Printf("audit %s %s", event, subject)
}

func (s *StockService) Open(ctx context.Context, sku string) error {
	if _, err := s.db.ExecContext(ctx, "INSERT INTO stock (sku) VALUES ($1)", sku); err != nil {
		return err
	}
	if err := s.publish(ctx, sku); err != nil {
		// Undo the insert.
		// ok: context-not-propagated
		if _, derr := s.deleteStock(context.Background(), sku); derr != nil {
			log.Printf("rollback %s: %v", sku, derr)
		}
		return err
	}
	return nil
}

func (s *StockService) publish(ctx context.Context, sku string) error { return nil }

func (s *StockService) deleteStock(ctx context.Context, sku string) (int64, error) { return 0, nil }

func (s *StockService) Lookup(ctx context.Context, sku string) error {
	if err := s.publish(ctx, sku); err != nil {
		// Not compensation: a fresh read on the failure path.
		// ruleid: context-not-propagated
		_, qerr := s.db.QueryContext(context.Background(), "SELECT 1 FROM stock WHERE sku = $1", sku)
		return qerr
	}
	return nil
}

func forwardQuietly(outReq *http.Request) {
	if outReq.Method == http.MethodGet {
		// ok: context-not-propagated
		quietReq := outReq.WithContext(context.Background())
		*outReq = *quietReq
	}
}
