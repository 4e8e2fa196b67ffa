const Stripe = require('stripe');
const { S3Client } = require('@aws-sdk/client-s3');

// ruleid: hardcoded-secret
const stripe = new Stripe('sk_live_4eC39HqLyjWDarjtT7zX9q2V');

const s3 = new S3Client({
  region: 'eu-west-1',
  // ruleid: hardcoded-secret
  credentials: { accessKeyId: 'AKIA2JQ7H4XWZ6PLMN3R', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
});

async function publishRelease(tag) {
  return fetch('https://api.github.com/repos/acme/orders/releases', {
    method: 'POST',
    // ruleid: hardcoded-secret
    headers: { Authorization: `token ghp_Zq7Lm2Xc9Vb4Nw1Ks8Jd3Hf6Gt5Ry0Pu2Ei4` },
    body: JSON.stringify({ tag_name: tag }),
    signal: AbortSignal.timeout(5000),
  });
}

// ok: hardcoded-secret
const stripeFromEnv = new Stripe(process.env.STRIPE_API_KEY);

// ok: hardcoded-secret
const DOCS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

// ok: hardcoded-secret
const PLACEHOLDER = 'sk_live_your_key_goes_here_1234';

// ok: hardcoded-secret
const TEST_KEY = 'sk_test_4eC39HqLyjWDarjtT7zX9q2V';

// A Firebase web config: the API key is a public project identifier.
const firebaseConfig = {
  // ok: hardcoded-secret
  apiKey: 'AIzaSyB7x2K9m4N6p8Q0r2S4t6U8v0W2x4Y6z8A',
  authDomain: 'orders-prod.firebaseapp.com',
  projectId: 'orders-prod',
  messagingSenderId: '830412556712',
};

module.exports = { stripe, s3, publishRelease, stripeFromEnv, DOCS_KEY_ID, PLACEHOLDER, TEST_KEY, firebaseConfig };
