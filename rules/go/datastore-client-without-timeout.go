package cache

import (
	"context"
	"crypto/tls"
	"testing"
	"time"

	"github.com/gomodule/redigo/redis"
	clientv3 "go.etcd.io/etcd/client/v3"
)

type Settings struct {
	Addr        string
	URL         string
	Password    string
	Endpoints   []string
	DialTimeout time.Duration
}

func newSessionPool(s Settings) *redis.Pool {
	return &redis.Pool{
		MaxIdle:     16,
		IdleTimeout: 240 * time.Second,
		Dial: func() (redis.Conn, error) {
			// ruleid: datastore-client-without-timeout
			return redis.Dial("tcp", s.Addr, redis.DialPassword(s.Password))
		},
	}
}

func openRateLimiter(s Settings) (redis.Conn, error) {
	// ruleid: datastore-client-without-timeout
	return redis.DialURL(s.URL)
}

func openLocks(ctx context.Context, s Settings) (redis.Conn, error) {
	// ruleid: datastore-client-without-timeout
	c, err := redis.DialContext(ctx, "tcp", s.Addr,
		redis.DialDatabase(2),
		redis.DialConnectTimeout(time.Second),
	)
	return c, err
}

func openFeatureFlags(s Settings) (redis.Conn, error) {
	// ok: datastore-client-without-timeout
	return redis.Dial("tcp", s.Addr, redis.DialReadTimeout(time.Second), redis.DialWriteTimeout(time.Second))
}

func openQuotas(s Settings, opts ...redis.DialOption) (redis.Conn, error) {
	// Options built by the caller may carry the timeouts.
	// ok: datastore-client-without-timeout
	return redis.Dial("tcp", s.Addr, opts...)
}

func openCounters(s Settings) (redis.Conn, error) {
	opts := []redis.DialOption{redis.DialPassword(s.Password)}
	opts = append(opts, redis.DialReadTimeout(500*time.Millisecond))
	// ok: datastore-client-without-timeout
	return redis.Dial("tcp", s.Addr, opts...)
}

func openBroker(s Settings, db int) (redis.Conn, error) {
	// ruleid: datastore-client-without-timeout
	opts := []redis.DialOption{redis.DialDatabase(db)}
	if s.Password != "" {
		opts = append(opts, redis.DialPassword(s.Password))
	}
	return redis.Dial("tcp", s.Addr, opts...)
}

func openResults(s Settings) (redis.Conn, error) {
	// ok: datastore-client-without-timeout
	opts := []redis.DialOption{redis.DialReadTimeout(time.Second), redis.DialWriteTimeout(time.Second)}
	return redis.DialURL(s.URL, opts...)
}

func openScrapeTarget(s Settings) (redis.Conn, error) {
	// ruleid: datastore-client-without-timeout
	var options []redis.DialOption
	if s.Password != "" {
		options = append(options, redis.DialPassword(s.Password))
	}
	return redis.DialURL(s.URL, options...)
}

func openBoundedTarget(s Settings) (redis.Conn, error) {
	// ok: datastore-client-without-timeout
	var options []redis.DialOption
	options = append(options, redis.DialReadTimeout(time.Second))
	return redis.DialURL(s.URL, options...)
}

func optionsFor(s Settings) []redis.DialOption {
	// Not dialled here: the caller adds its own.
	// ok: datastore-client-without-timeout
	var options []redis.DialOption
	if s.Password != "" {
		options = append(options, redis.DialPassword(s.Password))
	}
	return options
}

func defaultOptions(s Settings) []redis.DialOption {
	// Handed to a Dial elsewhere, which may add more.
	// ok: datastore-client-without-timeout
	return []redis.DialOption{redis.DialPassword(s.Password)}
}

func openForTest(t *testing.T, s Settings) redis.Conn {
	// ok: datastore-client-without-timeout
	c, err := redis.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newRegistry(s Settings) (*clientv3.Client, error) {
	// ruleid: datastore-client-without-timeout
	return clientv3.New(clientv3.Config{Endpoints: s.Endpoints})
}

func newElection(s Settings) (*clientv3.Client, error) {
	// ruleid: datastore-client-without-timeout
	cfg := clientv3.Config{
		Endpoints: s.Endpoints,
		Username:  "election",
	}
	return clientv3.New(cfg)
}

func newConfigSource(s Settings) (*clientv3.Client, error) {
	// ok: datastore-client-without-timeout
	return clientv3.New(clientv3.Config{Endpoints: s.Endpoints, DialTimeout: 5 * time.Second})
}

func newLeaseKeeper(s Settings) (*clientv3.Client, error) {
	// ok: datastore-client-without-timeout
	cfg := clientv3.Config{Endpoints: s.Endpoints}
	cfg.DialTimeout = s.DialTimeout
	return clientv3.New(cfg)
}

func newSecureWatcher(s Settings) (*clientv3.Client, error) {
	// ok: datastore-client-without-timeout
	return clientv3.New(clientv3.Config{
		Endpoints:   s.Endpoints,
		DialTimeout: 3 * time.Second,
		TLS:         &tls.Config{MinVersion: tls.VersionTLS12},
	})
}
