package orders

import (
	"testing"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"

	"example.com/shop/internal/httputil"

	clientv3 "go.etcd.io/etcd/client/v3"
)

type Client struct {
	base    string
	hc      *http.Client
	breaker interface{ Do(func() error) error }
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

func (c *Client) Invoice(id string) error {
	// The Close method handed to a helper that calls it and logs its error.
	// ok: response-body-not-closed
	resp, err := c.hc.Get(c.base + "/invoices/" + id)
	if err != nil {
		return err
	}
	defer logError("closing response body", resp.Body.Close)
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

type Exporter struct{ timeout time.Duration }

func (e *Exporter) getHTTPClient(timeout time.Duration) http.Client {
	return http.Client{Timeout: timeout}
}

func (e *Exporter) namespaces(endpoint string) ([]string, error) {
	get, _ := http.NewRequest(http.MethodGet, endpoint+"/system/namespaces", nil)
	proxyClient := e.getHTTPClient(5 * time.Second)
	// The 404 return leaves the body unread and open.
	// ruleid: response-body-not-closed
	res, err := proxyClient.Do(get)
	if err != nil {
		return nil, err
	}
	if res.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return strings.Split(string(body), ","), nil
}

func (e *Exporter) healthy(ctx context.Context, endpoint string) bool {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/healthz", nil)
	// ruleid: response-body-not-closed
	resp, err := e.getHTTPClient(time.Second).Do(req)
	return err == nil && resp.StatusCode == http.StatusOK
}

func (e *Exporter) ready(ctx context.Context, endpoint string) bool {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/ready", nil)
	// ok: response-body-not-closed
	resp, err := e.getHTTPClient(time.Second).Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func logError(what string, f func() error) {
	if err := f(); err != nil {
		log.Printf("%s: %v", what, err)
	}
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

// IndexService is a search-engine SDK's request builder: `Do(ctx)` returns a decoded result struct.
type IndexService interface {
	BodyString(body string) IndexService
	Do(ctx context.Context) (*IndexResult, error)
}

type IndexResult struct{ Acknowledged bool }

type SearchClient interface {
	CreateIndex(name string) IndexService
}

func createIndex(ctx context.Context, es SearchClient, name, body string) (bool, error) {
	// ok: response-body-not-closed
	resp, err := es.CreateIndex(name).BodyString(body).Do(ctx)
	if err != nil {
		return false, err
	}
	return resp.Acknowledged, nil
}

type Future[T any] interface {
	Ready() bool
	Get(ctx context.Context) (T, error)
}

func outcomeSize(outcome Future[[]byte]) int {
	if outcome.Ready() {
		// ok: response-body-not-closed
		res, _ := outcome.Get(context.Background())
		return len(res)
	}
	return 0
}

// openKeys returns the key set's body; the caller reads and closes it.
func openKeys(uri string) (io.ReadCloser, error) {
	// ok: response-body-not-closed
	resp, err := http.Get(uri)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

type Gateway interface {
	Post(path string, payload any) (*GatewayResult, error)
}

type GatewayResult struct{ Status string }

func charge(gw Gateway, amount int) (string, error) {
	// A payment SDK's result, not an HTTP response.
	// ok: response-body-not-closed
	resp, err := gw.Post("/charges", map[string]int{"amount": amount})
	if err != nil {
		return "", err
	}
	return resp.Status, nil
}

func probe(url string) (bool, error) {
	// A HEAD response has no body to close.
	// ok: response-body-not-closed
	resp, err := http.Head(url)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

func sendAudit(req *http.Request) error {
	// ruleid: response-body-not-closed
	auditResp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	if auditResp.StatusCode >= 300 {
		return fmt.Errorf("audit: %s", auditResp.Status)
	}
	return nil
}

// RestResponse is a REST client's response: the client read and closed the body already.
type RestResponse interface {
	Body() []byte
	StatusCode() int
}

type RestRequest interface {
	Get(url string) (RestResponse, error)
}

func fetchProfile(r RestRequest, url string, out *[]byte) error {
	// ok: response-body-not-closed
	resp, err := r.Get(url)
	if err != nil {
		return err
	}
	*out = resp.Body()
	return nil
}

func (c *Client) Touch(id string) error {
	// ok: response-body-not-closed
	resp, err := c.hc.Post(c.base+"/orders/"+id+"/touch", "application/json", nil)
	if err != nil {
		return err
	}
	// A project helper that reads the rest of the body and closes it.
	httputil.DrainBody(resp.Body)
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("touch: %s", resp.Status)
	}
	return nil
}

func (c *Client) Stats(scheme, path string, out any) error {
	var r io.ReadCloser
	switch scheme {
	case "http":
		// ok: response-body-not-closed
		resp, err := c.hc.Get(c.base + path) //nolint:bodyclose // closed after the switch
		if err != nil {
			return err
		}
		r = resp.Body
	default:
		return fmt.Errorf("unsupported scheme %q", scheme)
	}
	defer r.Close()
	return json.NewDecoder(r).Decode(out)
}

// The response is the function's named result: the bare return hands it to the caller, who closes it.
func (c *Client) send(r *http.Request) (resp *http.Response, err error) {
	err = c.breaker.Do(func() error {
		// ok: response-body-not-closed
		resp, err = c.hc.Do(r)
		return err
	})
	return
}

// A test helper kept in a non-test file (`x/oauth2_test_client.go`): only tests call it.
func expectRedirect(t *testing.T, hc *http.Client, uri string) string {
	// ok: response-body-not-closed
	resp, err := hc.Get(uri)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Header.Get("Location")
}

// A status check returns before the body is read: every other response is left unread and unclosed.
func (c *Client) Image(url string) ([]byte, error) {
	// ruleid: response-body-not-closed
	resp, err := c.hc.Get(url)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("image: %s", resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// A HEAD response has no body: the connection goes back to the pool once the headers are read.
func (c *Client) Exists(url string) (bool, error) {
	req, err := http.NewRequest(http.MethodHead, url, nil)
	if err != nil {
		return false, err
	}
	// ok: response-body-not-closed
	res, err := c.hc.Do(req)
	if err != nil {
		return false, err
	}
	return res.StatusCode == http.StatusOK, nil
}

// The response thrown away: nothing can close its body.
func (s *OAuthScheme) Validate(transport *Transport) error {
	client := transport.Client()
	// ruleid: response-body-not-closed
	_, err := client.Get(s.InfoUrl)
	return err
}

func ping(hc *http.Client, endpoint string, form url.Values) error {
	// ruleid: response-body-not-closed
	_, err := hc.PostForm(endpoint, form)
	if err != nil {
		return err
	}
	// ruleid: response-body-not-closed
	_, err = hc.Post("https://hooks.internal/ping", "application/json", strings.NewReader("{}"))
	return err
}

func warm(cache *Cache, store *Store, hc *http.Client, url string) error {
	// A cache or store read whose value is not needed, and a HEAD request: nothing to close.
	// ok: response-body-not-closed
	_, err := cache.Get(url, 0)
	// ok: response-body-not-closed
	_, _ = store.Get("settings")
	// ok: response-body-not-closed
	_, err = hc.Head(url)
	// A lookup's found flag, not an error: an environment or map read named like an endpoint.
	// ok: response-body-not-closed
	if _, endpointDefined := env.Get(metricsEndpointEV); !endpointDefined {
		return nil
	}
	return err
}

func (c *Client) Receipt(id string) ([]byte, error) {
	resp, err := c.hc.Get(c.base + "/receipts/" + id)
	if err != nil {
		return nil, err
	}
	// The close comes after a status check that returns: the error responses leak.
	// ruleid: response-body-not-closed
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("receipt %s: %s", id, resp.Status)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func (c *Client) Refund(req *http.Request) error {
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	// Reading the error body does not close it either.
	// ruleid: response-body-not-closed
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("refund: %s: %s", resp.Status, msg)
	}
	defer resp.Body.Close()
	return nil
}

func (c *Client) Workspaces(reqs []*http.Request) int {
	ok := 0
	for _, req := range reqs {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		// A loop that skips a bad status before its closing call.
		// ruleid: response-body-not-closed
		if resp.StatusCode != 200 {
			continue
		}
		ok++
		resp.Body.Close()
	}
	return ok
}

func (c *Client) Label(id string) error {
	resp, err := c.hc.Get(c.base + "/labels/" + id)
	if err != nil {
		return err
	}
	// The exit closes the body itself.
	// ok: response-body-not-closed
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("label %s: %s", id, resp.Status)
	}
	defer resp.Body.Close()
	return nil
}

func (c *Client) Manifest(id string) error {
	resp, err := c.hc.Get(c.base + "/manifests/" + id)
	if err != nil {
		return err
	}
	// ... or drains it with a helper.
	// ok: response-body-not-closed
	if resp.StatusCode == http.StatusNotFound {
		drain(resp.Body)
		return nil
	}
	defer resp.Body.Close()
	return nil
}

func (c *Client) Quote(id string) error {
	resp, err := c.hc.Get(c.base + "/quotes/" + id)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// The close is deferred before the check.
	// ok: response-body-not-closed
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("quote %s: %s", id, resp.Status)
	}
	return nil
}

func (c *Client) Track(id string) error {
	resp, err := c.hc.Get(c.base + "/track/" + id)
	if err != nil {
		return err
	}
	// A check that only logs, and stays.
	// ok: response-body-not-closed
	if resp.StatusCode != http.StatusOK {
		log.Printf("track %s: %s", id, resp.Status)
	}
	defer resp.Body.Close()
	return nil
}

func (c *Client) WithAuth(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	// The exit hands the response to the caller, who closes it.
	// ok: response-body-not-closed
	if resp.StatusCode != http.StatusUnauthorized {
		return resp, nil
	}
	defer resp.Body.Close()
	return nil, fmt.Errorf("unauthorized")
}

// A body closed in one branch of a status check and nowhere else.
func (c *Client) UploadResults(payload string) error {
	res, err := http.Post(c.base+"/updateResults", "application/json", strings.NewReader(payload))
	if err != nil {
		return err
	}
	// Closed only on the failures: every successful upload leaks its connection.
	// ruleid: response-body-not-closed
	if res.StatusCode == 201 {
		log.Printf("uploaded")
	} else {
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return fmt.Errorf("upload: %s", body)
	}
	return nil
}

func versionCheck() (string, error) {
	res, err := http.Get("https://version.example.org")
	// Closed only when the check passes: an error status leaks.
	// ruleid: response-body-not-closed
	if err == nil && res.StatusCode == http.StatusOK {
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			return "", err
		}
		return string(body), nil
	}
	return "", err
}

func (c *Client) Rates(out *map[string]float64) error {
	resp, err := c.hc.Get(c.base + "/rates")
	if err != nil {
		return err
	}
	// Closed on the error status only; the decoder leaves the success's body open.
	// ruleid: response-body-not-closed
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("rates: %s", resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *Client) OpenStream() (io.ReadCloser, error) {
	resp, err := c.hc.Get(c.base + "/stream")
	if err != nil {
		return nil, err
	}
	// The success's body goes to the caller, who closes it.
	// ok: response-body-not-closed
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("stream: %s", resp.Status)
	}
	return resp.Body, nil
}

func (c *Client) Publish(payload string) error {
	res, err := c.hc.Post(c.base+"/publish", "application/json", strings.NewReader(payload))
	if err != nil {
		return err
	}
	// Both branches close.
	// ok: response-body-not-closed
	if res.StatusCode == http.StatusAccepted {
		res.Body.Close()
	} else {
		defer res.Body.Close()
		return fmt.Errorf("publish: %s", res.Status)
	}
	return nil
}

func (c *Client) Probe() (*http.Response, error) {
	resp, err := c.hc.Get(c.base + "/probe")
	if err != nil {
		return nil, err
	}
	// The other branch hands the response on.
	// ok: response-body-not-closed
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	} else {
		defer resp.Body.Close()
	}
	return nil, fmt.Errorf("probe: %s", resp.Status)
}
