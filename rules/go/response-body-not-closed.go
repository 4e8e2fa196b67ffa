package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	clientv3 "go.etcd.io/etcd/client/v3"
)

type Client struct {
	base string
	hc   *http.Client
}

type Order struct{ ID string }

func (c *Client) Order(ctx context.Context, id string) (*Order, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/orders/"+id, nil)
	if err != nil {
		return nil, err
	}
	// ruleid: response-body-not-closed
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	var o Order
	return &o, json.NewDecoder(resp.Body).Decode(&o)
}

func (c *Client) Ping() error {
	// ruleid: response-body-not-closed
	res, err := c.hc.Get(c.base + "/healthz")
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s", res.Status)
	}
	return nil
}

func (c *Client) Notify(form url.Values) (int, error) {
	// ruleid: response-body-not-closed
	notifyResp, err := c.hc.PostForm(c.base+"/notify", form)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(notifyResp.Body)
	return len(body), err
}

func (c *Client) Cancel(ctx context.Context, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.base+"/orders/"+id, nil)
	if err != nil {
		return err
	}
	// ok: response-body-not-closed
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

func (c *Client) Raw(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	// The caller owns the body.
	// ok: response-body-not-closed
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func (c *Client) Status(id string) error {
	// ok: response-body-not-closed
	resp, err := c.hc.Get(c.base + "/orders/" + id + "/status")
	if err != nil {
		return err
	}
	return checkAndClose(resp)
}

func (c *Client) Shipment(id string) error {
	// ok: response-body-not-closed
	resp, err := c.hc.Get(c.base + "/shipments/" + id)
	if err != nil {
		return err
	}
	defer drain(resp.Body)
	return nil
}

func lookup(cache map[string]string, store interface{ Get(string) (string, error) }, key string) string {
	// Not an HTTP response.
	// ok: response-body-not-closed
	val, err := store.Get(key)
	if err != nil {
		return ""
	}
	return val
}

func checkAndClose(resp *http.Response) error {
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, body)
	_ = body.Close()
}

func entries(ctx context.Context, kv clientv3.KV, key string) ([]string, error) {
	// An etcd response, not an HTTP one: nothing to close.
	// ok: response-body-not-closed
	resp, err := kv.Get(ctx, key, clientv3.WithPrefix())
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		out = append(out, string(kv.Value))
	}
	return out, nil
}
