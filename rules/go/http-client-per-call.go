package orders

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

type PartnerClient struct {
	base  string
	tls   *tls.Config
	hc    *http.Client
	once  sync.Once
	lazy  *http.Client
}

func (c *PartnerClient) Quote(ctx context.Context, sku string) (*http.Response, error) {
	hc := &http.Client{
		// ruleid: http-client-per-call
		Transport: &http.Transport{TLSClientConfig: c.tls},
		Timeout:   5 * time.Second,
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/quote/"+sku, nil)
	if err != nil {
		return nil, err
	}
	return hc.Do(req)
}

func (c *PartnerClient) Broadcast(ctx context.Context, hosts []string) {
	for _, h := range hosts {
		// ruleid: http-client-per-call
		t := &http.Transport{MaxIdleConnsPerHost: 4}
		go ping(ctx, &http.Client{Transport: t, Timeout: 2 * time.Second}, h)
	}
}

func proxyHandler(w http.ResponseWriter, r *http.Request) {
	// ruleid: http-client-per-call
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	forward(w, r, t)
}

func ping(ctx context.Context, hc *http.Client, host string) {}

func forward(w http.ResponseWriter, r *http.Request, rt http.RoundTripper) {}

func NewPartnerClient(base string, cfg *tls.Config) *PartnerClient {
	return &PartnerClient{
		base: base,
		tls:  cfg,
		// Built once, shared by every call.
		// ok: http-client-per-call
		hc: &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 5 * time.Second},
	}
}

func (c *PartnerClient) client() *http.Client {
	c.once.Do(func() {
		// Lazily built once.
		// ok: http-client-per-call
		c.lazy = &http.Client{Transport: &http.Transport{TLSClientConfig: c.tls}, Timeout: 5 * time.Second}
	})
	return c.lazy
}

func (c *PartnerClient) Stock(ctx context.Context, sku string) (*http.Response, error) {
	// A client without a Transport shares http.DefaultTransport: cheap.
	// ok: http-client-per-call
	hc := &http.Client{Timeout: 3 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/stock/"+sku, nil)
	if err != nil {
		return nil, err
	}
	return hc.Do(req)
}

func newTransport(cfg *tls.Config) *http.Transport {
	// ok: http-client-per-call
	return &http.Transport{TLSClientConfig: cfg, MaxIdleConnsPerHost: 32}
}

type ProxyOption struct{ set bool; u *url.URL }

func (o ProxyOption) Get() *url.URL { return o.u }

type PartnerConfig struct {
	TLS   *tls.Config
	Proxy ProxyOption
}

// GetPartnerRoundTripper builds the transport once for the caller, which keeps it.
func GetPartnerRoundTripper(cfg PartnerConfig) (http.RoundTripper, error) {
	// ok: http-client-per-call
	transport := &http.Transport{TLSClientConfig: cfg.TLS}
	if cfg.Proxy.set {
		transport.Proxy = http.ProxyURL(cfg.Proxy.Get())
	}
	return transport, nil
}

func (c *PartnerClient) Reconfigure(cfg PartnerConfig) {
	// Kept on the client; `cfg.Proxy.Get()` reads an option, it sends nothing.
	// ok: http-client-per-call
	c.hc.Transport = &http.Transport{TLSClientConfig: cfg.TLS, Proxy: http.ProxyURL(cfg.Proxy.Get())}
}

type CertSource struct {
	Endpoints []string
	TLS       *tls.Config
	certs     [][]byte
}

// Provision runs once when the configuration loads; the transport serves every endpoint below.
func (s *CertSource) Provision(ctx context.Context) error {
	// ok: http-client-per-call
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = s.TLS
	hc := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	for _, endpoint := range s.Endpoints {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

func (c *PartnerClient) Stock(ctx context.Context, sku string) (*http.Response, error) {
	if c.lazy == nil {
		c.lazy = &http.Client{
			// Built on the first call and kept on the client.
			// ok: http-client-per-call
			Transport: &http.Transport{TLSClientConfig: c.tls},
			Timeout:   5 * time.Second,
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/stock/"+sku, nil)
	if err != nil {
		return nil, err
	}
	return c.lazy.Do(req)
}

func (c *PartnerClient) LocalAgent(ctx context.Context, socket string) (*http.Response, error) {
	hc := &http.Client{
		// No keep-alive: nothing to pool over the unix socket.
		// ok: http-client-per-call
		Transport: &http.Transport{
			DisableKeepAlives: true,
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, "unix", socket)
			},
		},
		Timeout: 5 * time.Second,
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://agent/status", nil)
	if err != nil {
		return nil, err
	}
	return hc.Do(req)
}
