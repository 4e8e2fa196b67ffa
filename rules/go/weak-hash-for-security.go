package auth

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

func hashPassword(password string) string {
	// ruleid: weak-hash-for-security
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

func (s *Signer) SignRequest(body []byte) string {
	// ruleid: weak-hash-for-security
	h := sha1.New()
	h.Write(s.key)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func resetLink(userID int, secret string) string {
	// ruleid: weak-hash-for-security
	digest := sha1.Sum([]byte(fmt.Sprintf("%d:%s", userID, secret)))
	return fmt.Sprintf("/reset/%d/%x", userID, digest)
}

func etag(body []byte) string {
	// ok: weak-hash-for-security
	sum := md5.Sum(body)
	return fmt.Sprintf("%q", hex.EncodeToString(sum[:]))
}

func checksum(r io.Reader) (string, error) {
	// ok: weak-hash-for-security
	h := md5.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func signWebhook(secret, payload []byte) string {
	// ok: weak-hash-for-security
	mac := hmac.New(sha256.New, secret)
	mac.Write(payload)
	return hex.EncodeToString(mac.Sum(nil))
}

func cacheKey(orderID int, currency string) string {
	// ok: weak-hash-for-security
	return fmt.Sprintf("%x", sha1.Sum([]byte(fmt.Sprintf("%d:%s", orderID, currency))))
}
