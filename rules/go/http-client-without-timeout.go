package orders

import (
	"io"
	"testing"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/gregjones/httpcache"
	"github.com/hashicorp/go-retryablehttp"
)

// go-retryablehttp retries, but its pooled HTTPClient bounds no attempt.
func newLicenseClient() *http.Client {
	// ruleid: http-client-without-timeout
	c := retryablehttp.NewClient()
	c.RetryMax = 5
	return c.StandardClient()
}

func configureKeygen(sdk *keygenSDK) {
	// Handing the retrying client to an SDK bounds nothing.
	// ruleid: http-client-without-timeout
	c := retryablehttp.NewClient()
	sdk.HTTPClient = c.StandardClient()
}

type keygenSDK struct{ HTTPClient *http.Client }

func newPluginClient() *http.Client {
	// ok: http-client-without-timeout
	hc := retryablehttp.NewClient().StandardClient()
	hc.Timeout = 10 * time.Second
	return hc
}

type oidcConfig struct{ HTTPClient *retryablehttp.Client }

func (c *oidcConfig) client() *retryablehttp.Client {
	if c.HTTPClient == nil {
		// ok: http-client-without-timeout
		return retryablehttp.NewClient()
	}
	return c.HTTPClient
}

func newBoundedLicenseClient() *http.Client {
	// ok: http-client-without-timeout
	c := retryablehttp.NewClient()
	c.HTTPClient.Timeout = 10 * time.Second
	return c.StandardClient()
}

func newCatalogRetryClient(base *http.Client) *retryablehttp.Client {
	// ok: http-client-without-timeout
	c := retryablehttp.NewClient()
	c.HTTPClient = base
	return c
}

// ruleid: http-client-without-timeout
var webhookRetries = retryablehttp.NewClient()

func newWebhookRequest(url string) (*retryablehttp.Request, error) {
	// ok: http-client-without-timeout
	return retryablehttp.NewRequest("POST", url, nil)
}

// A resty client sets no timeout of its own.
// ruleid: http-client-without-timeout
var ssoClient = resty.New().SetRetryCount(3)

func newShareClient(cookie *http.Cookie) *resty.Client {
	// ruleid: http-client-without-timeout
	return resty.New().
		SetBaseURL("https://share.internal").
		SetCookie(cookie)
}

// Built on a client that has its own timeout.
// ok: http-client-without-timeout
var boundedResty = resty.NewWithClient(catalogClient)

// The builder chain sets the client-wide timeout.
// ok: http-client-without-timeout
var boundedSso = resty.New().
	SetRetryCount(3).
	SetTimeout(10 * time.Second)

// ruleid: http-client-without-timeout
var notificationClient = &http.Client{}

// ok: http-client-without-timeout
var catalogClient = &http.Client{Timeout: 5 * time.Second}

// Configured in init, below.
// ok: http-client-without-timeout
var ledgerClient = &http.Client{}

func init() {
	ledgerClient.Timeout = 8 * time.Second
}

type OrderService struct {
	payments *http.Client
	stock    *http.Client
}

func NewOrderService() *OrderService {
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		TLSHandshakeTimeout: 3 * time.Second,
		MaxIdleConnsPerHost: 20,
	}
	return &OrderService{
		// A dialer timeout bounds only the connect phase.
		// ruleid: http-client-without-timeout
		payments: &http.Client{Transport: transport},
		// ok: http-client-without-timeout
		stock: &http.Client{Transport: transport, Timeout: 4 * time.Second},
	}
}

func newWebhookClient() *http.Client {
	// ruleid: http-client-without-timeout
	return &http.Client{Timeout: 0}
}

func newShippingClient() http.Client {
	// ruleid: http-client-without-timeout
	return http.Client{
		CheckRedirect: func(req *http.Request, via []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func newFraudClient() *http.Client {
	// ok: http-client-without-timeout
	c := &http.Client{}
	if v, err := time.ParseDuration(os.Getenv("FRAUD_TIMEOUT")); err == nil {
		c.Timeout = v
	} else {
		c.Timeout = 3 * time.Second
	}
	return c
}

func newTaxClient(timeout time.Duration) *http.Client {
	// ok: http-client-without-timeout
	return &http.Client{Timeout: timeout}
}

// WithUserAgent wraps the caller's client; nil means a default client, as with http.DefaultClient.
func WithUserAgent(client *http.Client, agent string) *http.Client {
	if client == nil {
		// ok: http-client-without-timeout
		client = &http.Client{}
	}
	client.Transport = agentTransport{base: client.Transport, agent: agent}
	return client
}

func (s *ShippingClient) httpClient() *http.Client {
	if s.client == nil {
		// ruleid: http-client-without-timeout
		s.client = &http.Client{}
	}
	return s.client
}

// A test helper kept in a non-test file: only tests call it.
func newTestClient(t *testing.T) *http.Client {
	t.Helper()
	// ok: http-client-without-timeout
	return &http.Client{}
}

// The zero value beside an error: callers return on the error and never use it.
func newProxyClient(proxy string) (http.Client, error) {
	transport, err := proxyTransport(proxy)
	if err != nil {
		// ok: http-client-without-timeout
		return http.Client{}, err
	}
	if transport == nil {
		// ruleid: http-client-without-timeout
		return http.Client{}, nil
	}
	return http.Client{Transport: transport, Timeout: 30 * time.Second}, nil
}

type AdminConfig struct {
	WebServiceURL string
	HTTPClient    *http.Client
}

func DefaultAdminConfig() *AdminConfig {
	return &AdminConfig{
		WebServiceURL: "http://localhost:8080",
		// ruleid: http-client-without-timeout
		HTTPClient: http.DefaultClient,
	}
}

func newJWKSFetcher() *AdminConfig {
	// ruleid: http-client-without-timeout
	hc := http.DefaultClient
	return &AdminConfig{HTTPClient: hc}
}

func newAdminConfig(hc *http.Client) *AdminConfig {
	if hc == nil {
		// The caller passed no client: its choice.
		// ok: http-client-without-timeout
		hc = http.DefaultClient
	}
	// ok: http-client-without-timeout
	return &AdminConfig{HTTPClient: hc}
}

func hydrate(w http.ResponseWriter, r *http.Request, body io.Reader) error {
	req, err := http.NewRequest(http.MethodPost, "https://hydrator.internal/v1", body)
	if err != nil {
		return err
	}
	// Sent with the inbound request's context: that request bounds this one.
	// ok: http-client-without-timeout
	client := http.DefaultClient
	res, err := client.Do(req.WithContext(r.Context()))
	if err != nil {
		return err
	}
	return res.Body.Close()
}

// A caching transport's ready-made client has no Timeout.
func newFlagClient() *http.Client {
	// ruleid: http-client-without-timeout
	return httpcache.NewMemoryCacheTransport().Client()
}

func newFlagStoreClient(cache httpcache.Cache) *http.Client {
	// ruleid: http-client-without-timeout
	client := httpcache.NewTransport(cache).Client()
	client.Transport = httpcache.NewTransport(cache)
	return client
}

func newBoundedFlagClient(timeout time.Duration) *http.Client {
	// ok: http-client-without-timeout
	client := httpcache.NewMemoryCacheTransport().Client()
	client.Timeout = timeout
	return client
}

func newCachingTransport() http.RoundTripper {
	// ok: http-client-without-timeout
	return httpcache.NewMemoryCacheTransport()
}
