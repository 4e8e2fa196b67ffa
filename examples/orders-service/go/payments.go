package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"time"
)

type PaymentsClient struct {
	base string
	hc   *http.Client
	// GAP: no Timeout; every call through it can hang forever.
	legacy *http.Client
}

func NewPaymentsClient(base string) *PaymentsClient {
	return &PaymentsClient{
		base: base,
		// OK: one shared client with an overall timeout and a pooled transport.
		hc: &http.Client{
			Timeout:   5 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: 32, TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}},
		},
		legacy: &http.Client{},
	}
}

// Reserve holds stock for one line. OK: context deadline, shared client, body closed,
// capped retries with exponential backoff and jitter.
func (c *PaymentsClient) Reserve(ctx context.Context, l Line) error {
	body, _ := json.Marshal(l)
	delay := 100 * time.Millisecond
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		if err = c.post(ctx, "/reservations", body); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay + time.Duration(rand.Int63n(int64(delay)))):
		}
		delay *= 2
	}
	return err
}

func (c *PaymentsClient) post(ctx context.Context, path string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("payments %s: %s", path, resp.Status)
	}
	return nil
}

// Capture charges an order. Every line of it is a gap.
func (c *PaymentsClient) Capture(ctx context.Context, orderID string) error {
	// GAP: the request ignores ctx.
	req, err := http.NewRequest(http.MethodPost, c.base+"/captures/"+orderID, nil)
	if err != nil {
		return err
	}
	for {
		// GAP: no timeout on the legacy client, and the response body is never closed.
		resp, err := c.legacy.Do(req)
		if err == nil && resp.StatusCode < 500 {
			return nil
		}
		// GAP: retries forever, every second on the second.
		time.Sleep(time.Second)
	}
}

// Refund uses a one-off client. GAP: a new Transport per call, with certificate checks off.
func (c *PaymentsClient) Refund(orderID string) error {
	hc := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
	}
	resp, err := hc.Post(c.base+"/refunds/"+orderID, "application/json", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Health is a quick probe. GAP: http.Get uses the default client, which never times out.
func Health(base string) bool {
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
