package orders

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"time"

	"golang.org/x/crypto/ssh"
)

type Config struct {
	InsecureTLS bool
	CA          []byte
	Pin         []byte
}

func newPaymentTransport() *http.Transport {
	return &http.Transport{
		// ruleid: tls-verification-disabled
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
}

func newLedgerTLS() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	// ruleid: tls-verification-disabled
	cfg.InsecureSkipVerify = true
	return cfg
}

func dialWarehouse(addr, user string, signer ssh.Signer) (*ssh.Client, error) {
	return ssh.Dial("tcp", addr, &ssh.ClientConfig{
		User: user,
		Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		// ruleid: tls-verification-disabled
		HostKeyCallback: ssh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

func newInternalTLS(cfg Config) *tls.Config {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(cfg.CA)
	// ok: tls-verification-disabled
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

func newPinnedTLS(cfg Config) *tls.Config {
	return &tls.Config{
		// Verification replaced by certificate pinning below.
		// ok: tls-verification-disabled
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 || string(raw[0]) != string(cfg.Pin) {
				return errors.New("certificate pin mismatch")
			}
			return nil
		},
	}
}

func newDevTLS(cfg Config) *tls.Config {
	// A deliberate, configurable switch (off by default).
	// ok: tls-verification-disabled
	return &tls.Config{InsecureSkipVerify: cfg.InsecureTLS}
}

func strictTLS() *tls.Config {
	// ok: tls-verification-disabled
	return &tls.Config{InsecureSkipVerify: false, MinVersion: tls.VersionTLS13}
}

// Service-mesh upstream: the chain is checked against the mesh CA and the pinned SPIFFE id; only the
// hostname match is skipped.
func meshTransport(root []byte, spiffeID string) *ServersTransport {
	return &ServersTransport{
		// ok: tls-verification-disabled
		InsecureSkipVerify: true,
		RootCAs:            []string{string(root)},
		PeerCertSANs:       []SAN{{Type: "uri", Value: spiffeID}},
	}
}

func internalClient(pool *x509.CertPool) *tls.Config {
	return &tls.Config{
		// ruleid: tls-verification-disabled
		InsecureSkipVerify: true,
		RootCAs:            pool,
	}
}

// Datastore TLS: host verification is an opt-in flag that defaults to false.
func datastoreTLS(cfg *StoreTLS) *tls.Config {
	return &tls.Config{
		// ruleid: tls-verification-disabled
		InsecureSkipVerify: !cfg.EnableHostVerification,
		ServerName:         cfg.ServerName,
	}
}

func tlsForServer(serverName string, verifyHost bool) *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: serverName}
	// ruleid: tls-verification-disabled
	c.InsecureSkipVerify = !verifyHost
	return c
}

func clientTLS(cfg *ClientTLS) *tls.Config {
	// A negated "insecure"-style switch still names the risky choice: left alone like cfg.InsecureTLS.
	// ok: tls-verification-disabled
	return &tls.Config{InsecureSkipVerify: !cfg.Secure}
}

func pinnedTLS(verifyHostname bool, pin []byte) *tls.Config {
	return &tls.Config{
		// ok: tls-verification-disabled
		InsecureSkipVerify: !verifyHostname,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			return checkPin(raw, pin)
		},
	}
}

// certificateExpiry dials only to read the server's chain; the caller checks expiry and the chain itself.
func certificateExpiry(addr, serverName string) (time.Time, error) {
	conn, err := tls.Dial("tcp", addr, &tls.Config{
		ServerName: serverName,
		// ok: tls-verification-disabled
		InsecureSkipVerify: true,
	})
	if err != nil {
		return time.Time{}, err
	}
	defer conn.Close()
	certs := conn.ConnectionState().PeerCertificates
	return certs[0].NotAfter, nil
}
