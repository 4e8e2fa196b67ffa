package billing

import (
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stripe/stripe-go/v76"
)

// ruleid: hardcoded-secret
const slackWebhook = "https://hooks.slack.com/services/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"

func init() {
	// ruleid: hardcoded-secret
	stripe.Key = "sk_live_4eC39HqLyjWDarjtT7zX9q2V"
}

func staticCreds(secret string) credentials.StaticCredentialsProvider {
	// ruleid: hardcoded-secret
	return credentials.NewStaticCredentialsProvider("AKIA2JQ7H4XWZ6PLMN3R", secret, "")
}

// ruleid: hardcoded-secret
var signingKey = []byte(`-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIB3k9q2w3e4r5t6y7u8i9o0pPlOkIjUhYgTfRdEsWaQzXcVboAoGCCqGSM49
-----END EC PRIVATE KEY-----`)

func envCreds() credentials.StaticCredentialsProvider {
	// ok: hardcoded-secret
	return credentials.NewStaticCredentialsProvider(os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), "")
}

// ok: hardcoded-secret
const docsKeyID = "AKIAIOSFODNN7EXAMPLE"

func isPrivateKey(pem string) bool {
	// ok: hardcoded-secret
	return strings.HasPrefix(pem, "-----BEGIN RSA PRIVATE KEY-----")
}

func authHeader(req *http.Request) {
	// ok: hardcoded-secret
	req.Header.Set("Authorization", "Bearer "+os.Getenv("GITHUB_TOKEN"))
}

// ok: hardcoded-secret
const testKey = "sk_test_4eC39HqLyjWDarjtT7zX9q2V"
