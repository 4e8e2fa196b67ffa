package orders

import (
	"testing"
	"net"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"
)

type OrdersClient struct {
	base string
	hc   *http.Client
}

func (c *OrdersClient) Get(ctx context.Context, id string) (*http.Response, error) {
	// ruleid: request-without-context
	req, err := http.NewRequest(http.MethodGet, c.base+"/orders/"+id, nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req)
}

func (c *OrdersClient) Stream(ctx context.Context, id string) (*http.Response, error) {
	// A request-id header copied from the context does not give the request the context.
	// ruleid: request-without-context
	req, err := http.NewRequest(http.MethodGet, c.base+"/orders/"+id+"/stream", nil)
	if err != nil {
		return nil, err
	}
	request_id.InjectToRequest(ctx, req)
	return c.hc.Do(req)
}

func (c *OrdersClient) Audit(ctx context.Context, id string) (*http.Response, error) {
	// Logging the request with its context does not send it with the context.
	// ruleid: request-without-context
	req, err := http.NewRequest(http.MethodGet, c.base+"/orders/"+id+"/audit", nil)
	if err != nil {
		return nil, err
	}
	logRequest(ctx, req)
	return c.hc.Do(req)
}

func (c *OrdersClient) Catalog(ctx context.Context, id string) (*http.Response, error) {
	// A send helper whose name ends in "log" (catalog) still attaches the context.
	// ok: request-without-context
	req, err := http.NewRequest(http.MethodGet, c.base+"/catalog/"+id, nil)
	if err != nil {
		return nil, err
	}
	return c.sendCatalog(ctx, req)
}

func (c *OrdersClient) Create(reqCtx context.Context, body []byte) (*http.Response, error) {
	// ruleid: request-without-context
	req, err := http.NewRequest(http.MethodPost, c.base+"/orders", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req)
}

func (c *OrdersClient) ProxyStatus(w http.ResponseWriter, r *http.Request) {
	// ruleid: request-without-context
	req, _ := http.NewRequest(http.MethodGet, c.base+"/status", nil)
	resp, err := c.hc.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

func (c *OrdersClient) Cancel(ctx context.Context, id string) (*http.Response, error) {
	// ok: request-without-context
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.base+"/orders/"+id, nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req)
}

func (c *OrdersClient) Refund(ctx context.Context, id string) (*http.Response, error) {
	// Older style: the context is attached right after.
	// ok: request-without-context
	req, err := http.NewRequest(http.MethodPost, c.base+"/orders/"+id+"/refund", nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req.WithContext(ctx))
}

func (c *OrdersClient) Ping() error {
	// No context to propagate here.
	// ok: request-without-context
	req, err := http.NewRequest(http.MethodGet, c.base+"/healthz", nil)
	if err != nil {
		return err
	}
	c.hc.Timeout = 2 * time.Second
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(&struct{}{})
}

type requestKey struct{}

func idempotencyKey(ctx context.Context) string {
	key, _ := ctx.Value(requestKey{}).(string)
	return key
}

// createRequestFunc returns a request factory; the sender attaches its context (see Refund).
func (c *OrdersClient) createRequestFunc(path string) func(ctx context.Context, body []byte) (*http.Request, error) {
	return func(ctx context.Context, body []byte) (*http.Request, error) {
		// ok: request-without-context
		req, err := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Idempotency-Key", idempotencyKey(ctx))
		return req, nil
	}
}

// Notify queues one request per endpoint; each should carry the caller's context.
func (c *OrdersClient) Notify(ctx context.Context, id string, note []byte) ([]*http.Request, error) {
	var requests []*http.Request
	req, err := http.NewRequest(http.MethodPost, c.base+"/orders/"+id+"/events", bytes.NewReader(note))
	if err != nil {
		return nil, err
	}
	requests = append(requests, req.WithContext(ctx))

	// The context was attached to the request above, not to this one.
	// ruleid: request-without-context
	req, err = http.NewRequest(http.MethodPut, c.base+"/orders/"+id+"/note", bytes.NewReader(note))
	if err != nil {
		return nil, err
	}
	requests = append(requests, req)
	return requests, nil
}

func (c *OrdersClient) Sync(ctx context.Context, id string) error {
	first, err := http.NewRequest(http.MethodGet, c.base+"/orders/"+id, nil)
	if err != nil {
		return err
	}
	if _, err := c.hc.Do(first.WithContext(ctx)); err != nil {
		return err
	}
	// The context is attached in place before the request is sent.
	// ok: request-without-context
	second, err := http.NewRequest(http.MethodPost, c.base+"/orders/"+id+"/sync", nil)
	if err != nil {
		return err
	}
	second = second.WithContext(ctx)
	_, err = c.hc.Do(second)
	return err
}

// Notifier posts alerts through one helper.
type Notifier struct {
	base string
	hc   *http.Client
}

func (n *Notifier) Notify(ctx context.Context, alert []byte) error {
	if _, err := n.doAPIRequest(http.MethodPost, "/alerts", alert); err != nil {
		return err
	}
	return nil
}

// doAPIRequest has no context parameter: Notify's deadline stops here.
func (n *Notifier) doAPIRequest(method, path string, body []byte) (*http.Response, error) {
	// ruleid: request-without-context
	req, err := http.NewRequest(method, n.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	return n.hc.Do(req)
}

// healthCheck is only called from main at start-up, where no context is in scope.
func (n *Notifier) healthCheck() error {
	// ok: request-without-context
	req, err := http.NewRequest(http.MethodGet, n.base+"/-/healthy", nil)
	if err != nil {
		return err
	}
	_, err = n.hc.Do(req)
	return err
}

func startNotifier(n *Notifier) error {
	return n.healthCheck()
}

// remoteVersion fits an interface that passes a context and says, with the blank name, that it does not use
// it: flagged at low confidence only (the client's own timeout may bound the check; cancellation is lost).
func (n *Notifier) remoteVersion(_ context.Context) (*http.Response, error) {
	// ruleid: request-without-context
	req, err := http.NewRequest(http.MethodGet, "https://updates.example.com/latest.json", nil)
	if err != nil {
		return nil, err
	}
	return n.hc.Do(req)
}

// A CONNECT request serialised onto the proxy connection the function holds: no transport sends it, so a
// context on it would bound nothing (the connection's deadline does).
func tunnel(ctx context.Context, conn net.Conn, target string) error {
	// ok: request-without-context
	req, err := http.NewRequest(http.MethodConnect, target, nil)
	if err != nil {
		return err
	}
	return req.Write(conn)
}

// A test helper kept in a non-test file: only tests call it.
func expectStatus(ctx context.Context, t *testing.T, hc *http.Client, url string) {
	// ok: request-without-context
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
}

// The request goes to a send helper together with the context, which attaches it where it sends.
func (n *Notifier) currentUser(ctx context.Context) error {
	// ok: request-without-context
	req, err := http.NewRequest(http.MethodGet, "https://api.example.com/user", nil)
	if err != nil {
		return err
	}
	_, err = n.do(ctx, req, "/user")
	return err
}

func (n *Notifier) do(ctx context.Context, req *http.Request, span string) (*http.Response, error) {
	return n.hc.Do(req.WithContext(ctx))
}

// An interface method that receives the caller's context and discards it.
func (c *OrdersClient) Records(_ context.Context) (*http.Response, error) {
	// ruleid: request-without-context
	req, err := http.NewRequest(http.MethodGet, c.base+"/records", nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req)
}

// A discarded context, but the request is built as a value another function sends with its own.
func (c *OrdersClient) RecordsRequest(_ context.Context) (*http.Request, error) {
	// ok: request-without-context
	return http.NewRequest(http.MethodGet, c.base+"/records", nil)
}

func (c *OrdersClient) PostWithRetry(ctx context.Context, body []byte) ([]byte, error) {
	var out []byte
	err := backoff.Retry(func() error {
		// The closure runs within this call and sees its ctx.
		// ruleid: request-without-context
		req, err := http.NewRequest(http.MethodPost, c.base+"/orders", bytes.NewReader(body))
		if err != nil {
			return err
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		out, err = io.ReadAll(resp.Body)
		return err
	}, backoff.NewExponentialBackOff())
	return out, err
}

func (c *OrdersClient) Traced(ctx context.Context, id string) {
	trace.WithRegion(ctx, "orders/get", func() {
		// ruleid: request-without-context
		req, _ := http.NewRequest(http.MethodGet, c.base+"/orders/"+id, nil)
		resp, err := c.hc.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	})
}

func (c *OrdersClient) NotifyLater(ctx context.Context, id string) {
	// A goroutine's body may outlive the call on purpose.
	go func() {
		// ok: request-without-context
		req, _ := http.NewRequest(http.MethodPost, c.base+"/orders/"+id+"/notify", nil)
		resp, err := c.hc.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

func (c *OrdersClient) Batch(ctx context.Context, ids []string) error {
	return forEach(ids, func(id string) error {
		// ok: request-without-context
		req, err := http.NewRequest(http.MethodGet, c.base+"/orders/"+id, nil)
		if err != nil {
			return err
		}
		resp, err := c.hc.Do(req.WithContext(ctx))
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
}

func (c *OrdersClient) Warm(_ context.Context, ids []string) {
	// No named context to see: the blank parameter is the opt-in shape of its own.
	forEach(ids, func(id string) error {
		// ok: request-without-context
		req, _ := http.NewRequest(http.MethodGet, c.base+"/orders/"+id, nil)
		_, err := c.hc.Do(req)
		return err
	})
}

func (c *OrdersClient) Probe(ctx context.Context, url string) error {
	client := &http.Client{Timeout: 10 * time.Second}
	// Sent through a client with its own timeout: bounded.
	// ok: request-without-context
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
