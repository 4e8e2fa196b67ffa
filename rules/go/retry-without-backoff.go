package orders

import (
	"context"
	"errors"
	"log"
	"math/rand"
	"net"
	"net/http"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/cenkalti/backoff/v4"
	"github.com/eapache/go-resiliency/retrier"
)

const retryDelay = 2 * time.Second

type Event struct{ ID string }

type Publisher interface {
	Publish(ctx context.Context, e Event) error
}

func publishWithRetry(ctx context.Context, p Publisher, e Event) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = p.Publish(ctx, e); err == nil {
			return nil
		}
		// ruleid: retry-without-backoff
		time.Sleep(500 * time.Millisecond)
	}
	return err
}

func chargeWithRetry(ctx context.Context, client *http.Client, req *http.Request) (*http.Response, error) {
	var lastErr error
	for i := 0; i < 3; i++ {
		resp, err := client.Do(req)
		if err != nil {
			lastErr = err
			// ruleid: retry-without-backoff
			time.Sleep(retryDelay)
			continue
		}
		return resp, nil
	}
	return nil, lastErr
}

func reserveWithRetry(ctx context.Context, reserve func(context.Context) error) error {
	var err error
	for attempt := 1; attempt <= 4; attempt++ {
		if err = reserve(ctx); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		// ruleid: retry-without-backoff
		case <-time.After(time.Second):
		}
	}
	return err
}

func releaseWithRetry(ctx context.Context, release func(context.Context) error) error {
	var err error
	// Retries immediately, three times in a row.
	// ruleid: retry-without-backoff
	for i := 0; i < 3; i++ {
		err = release(ctx)
		if err == nil {
			break
		}
	}
	return err
}

func syncStock(sync func() error) error {
	// ruleid: retry-without-backoff
	return backoff.Retry(sync, backoff.WithMaxRetries(backoff.NewConstantBackOff(time.Second), 5))
}

func refundWithRetrier(refund func() error) error {
	// ruleid: retry-without-backoff
	r := retrier.New(retrier.ConstantBackoff(3, 100*time.Millisecond), nil)
	return r.Run(refund)
}

func notifyWithRetryGo(notify func() error) error {
	return retry.Do(notify,
		retry.Attempts(5),
		// ruleid: retry-without-backoff
		retry.DelayType(retry.FixedDelay),
	)
}

func publishWithBackoff(ctx context.Context, p Publisher, e Event) error {
	delay := 100 * time.Millisecond
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = p.Publish(ctx, e); err == nil {
			return nil
		}
		jitter := time.Duration(rand.Int63n(int64(delay / 2)))
		// ok: retry-without-backoff
		time.Sleep(delay + jitter)
		delay *= 2
	}
	return err
}

func chargeWithLinearBackoff(charge func() error) error {
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		if err = charge(); err == nil {
			return nil
		}
		// ok: retry-without-backoff
		time.Sleep(time.Duration(attempt) * time.Second)
	}
	return err
}

func waitForShipment(ctx context.Context, status func() (string, error)) error {
	// A poll, not a retry: a fixed interval is the point.
	for i := 0; i < 60; i++ {
		s, _ := status()
		if s == "shipped" {
			return nil
		}
		// ok: retry-without-backoff
		time.Sleep(5 * time.Second)
	}
	return errors.New("shipment not ready")
}

func fetchFromReplicas(replicas []string, get func(string) error) error {
	var err error
	// Failover across replicas is not a retry of the same call.
	// ok: retry-without-backoff
	for i := 0; i < len(replicas); i++ {
		if err = get(replicas[i]); err == nil {
			return nil
		}
	}
	return err
}

func syncStockExponential(sync func() error) error {
	// ok: retry-without-backoff
	return backoff.Retry(sync, backoff.WithMaxRetries(backoff.NewExponentialBackOff(), 5))
}

func dedupe(spans []Span, hash func(Span) (uint64, error)) []Span {
	seen := map[uint64]bool{}
	var out []Span
	// Iterating over items, skipping the bad ones: not a retry.
	// ok: retry-without-backoff
	for i := 0; i < spanCount(spans); i++ {
		h, err := hash(spans[i])
		if err != nil {
			out = append(out, spans[i])
			continue
		}
		if !seen[h] {
			seen[h] = true
			out = append(out, spans[i])
		}
	}
	return out
}

type Span struct{ ID string }

func spanCount(s []Span) int { return len(s) }

type Consumer struct{ name string }

func (c *Consumer) eventLoop() error { return nil }

func (c *Consumer) start() {
	go func() {
		for {
			if err := c.eventLoop(); err != nil {
				log.Printf("consumer %s recovered from panic: %v", c.name, err)
				// A pause before restarting the event loop after a panic, not a retry of a dependency.
				// ok: retry-without-backoff
				time.Sleep(5 * time.Millisecond)
				continue
			}
			return
		}
	}()
}

func connectOrDie(connect func() error) {
	for attempt := 0; attempt < 5; attempt++ {
		err := connect()
		if err == nil {
			return
		}
		if attempt == 4 {
			panic(err)
		}
		// Giving up with a panic does not make this a supervisor: it is a retry.
		// ruleid: retry-without-backoff
		time.Sleep(time.Second)
	}
}

func waitForInventoryReady(ctx context.Context, client *http.Client, url string) error {
	for range 60 {
		resp, err := client.Get(url)
		if err == nil {
			return resp.Body.Close()
		}
		// A start-up readiness poll: a fixed interval is the point.
		// ok: retry-without-backoff
		time.Sleep(500 * time.Millisecond)
	}
	return errors.New("inventory service is not ready")
}

type Watcher struct {
	quit  chan struct{}
	query func(index uint64, quit chan struct{}) ([]string, uint64, error)
	cache func(instances []string, err error)
}

// watch long-polls the registry; a failed query returns at once and is re-issued straight away.
func (w *Watcher) watch(index uint64) {
	var (
		instances []string
		err       error
	)
	for {
		instances, index, err = w.query(index, w.quit)
		switch {
		case errors.Is(err, context.Canceled):
			return
		// ruleid: retry-without-backoff
		case err != nil:
			log.Printf("registry query: %v", err)
			w.cache(nil, err)
		default:
			w.cache(instances, nil)
		}
	}
}

// watchOrStop gives up on the first error.
func (w *Watcher) watchOrStop(index uint64) {
	var (
		instances []string
		err       error
	)
	for {
		instances, index, err = w.query(index, w.quit)
		switch {
		// ok: retry-without-backoff
		case err != nil:
			w.cache(nil, err)
			return
		default:
			w.cache(instances, nil)
		}
	}
}

func serveTunnel(l net.Listener, handle func(net.Conn)) {
	for {
		conn, err := l.Accept()
		// ruleid: retry-without-backoff
		if err != nil {
			log.Printf("accept: %v", err)
			continue
		}
		go handle(conn)
	}
}

func serveEvents(l net.Listener, closed <-chan struct{}, handle func(net.Conn)) {
	for {
		conn, err := l.Accept()
		select {
		case <-closed:
			return
		default:
			// ruleid: retry-without-backoff
			if err != nil {
				continue
			}
			go handle(conn)
		}
	}
}

func servePeers(ln *net.TCPListener, handle func(net.Conn)) {
	for {
		var err error
		var conn net.Conn
		conn, err = ln.Accept()
		// ruleid: retry-without-backoff
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("accept: %v", err)
			continue
		}
		go handle(conn)
	}
}

func serveWithBackoff(l net.Listener, handle func(net.Conn)) {
	var tempDelay time.Duration
	for {
		conn, err := l.Accept()
		// ok: retry-without-backoff
		if err != nil {
			if tempDelay == 0 {
				tempDelay = 5 * time.Millisecond
			} else if tempDelay *= 2; tempDelay > time.Second {
				tempDelay = time.Second
			}
			time.Sleep(tempDelay)
			continue
		}
		tempDelay = 0
		go handle(conn)
	}
}

func serveUntilClosed(l net.Listener, handle func(net.Conn)) error {
	for {
		conn, err := l.Accept()
		// ok: retry-without-backoff
		if err != nil {
			return err
		}
		go handle(conn)
	}
}

func drainMessages(msgs <-chan string, parse func(string) error) {
	for {
		m := <-msgs
		// A bad message is skipped: no accept, nothing to back off from.
		err := parse(m)
		// ok: retry-without-backoff
		if err != nil {
			continue
		}
	}
}

// ---- retries by recursion ----

type Core struct{ doer *http.Client; token string }

func (a *Core) retrievablePost(uri string, retry int) (*http.Response, error) {
	resp, err := a.doer.Post(uri, "application/json", nil)
	if err != nil {
		if retry >= 5 {
			return resp, err
		}
		switch err.(type) {
		case *net.OpError:
			// ruleid: retry-without-backoff
			resp, err = a.retrievablePost(uri, retry+1)
		default:
			return resp, err
		}
	}
	return resp, err
}

func (a *Core) connect(addr string) (net.Conn, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		log.Printf("dial %s: %v, retrying", addr, err)
		// ruleid: retry-without-backoff
		return a.connect(addr)
	}
	return conn, nil
}

func fetchOnce(url string) error {
	_, err := http.Get(url)
	if err != nil {
		// ruleid: retry-without-backoff
		return fetchOnce(url)
	}
	return nil
}

func (a *Core) connectPaced(addr string) (net.Conn, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		time.Sleep(time.Duration(rand.Intn(1000)) * time.Millisecond)
		// ok: retry-without-backoff
		return a.connectPaced(addr)
	}
	return conn, nil
}

func (a *Core) callAuthed(uri string) (*http.Response, error) {
	resp, err := a.doer.Get(uri)
	if err != nil {
		a.token = refreshToken()
		// ok: retry-without-backoff
		return a.callAuthed(uri)
	}
	return resp, nil
}

func (a *Core) load(uri string) (*http.Response, error) {
	resp, err := a.doer.Get(uri)
	if err != nil {
		// A different function: a fallback, not a retry.
		// ok: retry-without-backoff
		return a.loadFromCache(uri)
	}
	return resp, nil
}

func (a *Core) loadFromCache(uri string) (*http.Response, error) { return nil, errors.New(uri) }

func refreshToken() string { return "" }

type cachedRepo struct{ inner *Core }

func (r *cachedRepo) load(uri string) (*http.Response, error) {
	resp, err := r.inner.doer.Get(uri)
	if err != nil {
		// The wrapped repository's method of the same name: a delegation, not a retry.
		// ok: retry-without-backoff
		return r.inner.load(uri)
	}
	return resp, nil
}

func timeRange(name string) (time.Duration, error) {
	d, err := time.ParseDuration(name)
	if err != nil {
		// A default value: a fallback, not the same work again.
		// ok: retry-without-backoff
		return timeRange("168h")
	}
	return d, nil
}

// Trying the next free name: each round creates something else, and it ends when a name is free.
func createUnique(fs vfsLike, doc *fileDoc) error {
	base := doc.Name
	// ok: retry-without-backoff
	for i := 2; i < 100; i++ {
		err := fs.Create(doc)
		if err == nil {
			return nil
		} else if !errors.Is(err, os.ErrExist) {
			return err
		}
		doc.Name = fmt.Sprintf("%s (%d)", base, i)
	}
	return errors.New("no free name")
}

// An optimistic-concurrency update that re-reads the document after a conflict.
func updateWithRetry(db store, id string) error {
	for attempt := 0; attempt < 3; attempt++ {
		doc, err := db.Get(id)
		if err != nil {
			return err
		}
		err = db.Update(doc)
		if err == nil || !IsConflict(err) {
			return err
		}
		// ok: retry-without-backoff
		time.Sleep(1 * time.Second)
	}
	return errors.New("conflict")
}
