package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

type InventoryClient struct {
	base   string
	client *http.Client
}

func NewInventoryClient(base string) *InventoryClient {
	return &InventoryClient{base: base, client: &http.Client{}}
}

type PaymentClient struct {
	base string
	http *http.Client
}

func NewPaymentClient(base string) *PaymentClient {
	return &PaymentClient{base: base, http: &http.Client{Timeout: 5 * time.Second}}
}

var shippingClient = &http.Client{}

var pricingClient = &http.Client{Transport: http.DefaultTransport, Timeout: 3 * time.Second}

func fetchOrder(id string) (*http.Response, error) {
	// ruleid: http-call-without-timeout
	return http.Get("https://orders.internal/orders/" + id)
}

func notifyWarehouse(form url.Values) error {
	// ruleid: http-call-without-timeout
	resp, err := http.PostForm("https://warehouse.internal/notify", form)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (c *InventoryClient) Stock(sku string) (int, error) {
	// ruleid: http-call-without-timeout
	resp, err := c.client.Get(c.base + "/stock/" + sku)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var out struct{ Available int }
	return out.Available, json.NewDecoder(resp.Body).Decode(&out)
}

func quoteShipping(ctx context.Context, orderID string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://shipping.internal/quote/"+orderID, nil)
	if err != nil {
		return nil, err
	}
	// The caller's ctx may have no deadline, and the client has none.
	// ruleid: http-call-without-timeout
	return shippingClient.Do(req)
}

func refund(ctx context.Context, chargeID string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://payments.internal/refunds/"+chargeID, nil)
	if err != nil {
		return err
	}
	// ruleid: http-call-without-timeout
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func capture(chargeID string) error {
	client := http.DefaultClient
	// ruleid: http-call-without-timeout
	resp, err := client.Post("https://payments.internal/capture/"+chargeID, "application/json", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (c *PaymentClient) Charge(orderID string) error {
	// The payment client was built with a Timeout.
	// ok: http-call-without-timeout
	resp, err := c.http.Post(c.base+"/charges/"+orderID, "application/json", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func price(sku string) (*http.Response, error) {
	// ok: http-call-without-timeout
	return pricingClient.Get("https://pricing.internal/price/" + sku)
}

func trackShipment(ctx context.Context, id string) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://shipping.internal/track/"+id, nil)
	if err != nil {
		return nil, err
	}
	// The request carries a 2 s deadline.
	// ok: http-call-without-timeout
	return shippingClient.Do(req)
}

func audit(event string) error {
	client := &http.Client{}
	client.Timeout = 4 * time.Second
	// ok: http-call-without-timeout
	resp, err := client.Get("https://audit.internal/events?e=" + url.QueryEscape(event))
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func readCache(cache map[string]string, store interface{ Get(string) string }, key string) string {
	// A Get on something that is not an HTTP client.
	// ok: http-call-without-timeout
	return store.Get(fmt.Sprintf("order:%s", key))
}

func reserve(sku string) error {
	client := &http.Client{Timeout: 0}
	// Timeout: 0 means no timeout.
	// ruleid: http-call-without-timeout
	resp, err := client.Post("https://inventory.internal/reserve/"+sku, "application/json", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func release(sku string) error {
	// A client of the same name elsewhere in the file has no timeout; this one does.
	client := &http.Client{Timeout: 5 * time.Second}
	// ok: http-call-without-timeout
	resp, err := client.Post("https://inventory.internal/release/"+sku, "application/json", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func latestVersion(url string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	// A request with no context on a client with no Timeout: nothing can end the call.
	// ruleid: http-call-without-timeout
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func latestVersionBounded(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req = req.WithContext(ctx)
	// The request is given a bounded context before it is sent.
	// ok: http-call-without-timeout
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
