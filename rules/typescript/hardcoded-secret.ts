import Stripe from 'stripe';
import { S3Client } from '@aws-sdk/client-s3';

// ruleid: hardcoded-secret
export const stripe = new Stripe('sk_live_4eC39HqLyjWDarjtT7zX9q2V', { apiVersion: '2024-06-20' });

export const s3 = new S3Client({
  region: 'eu-west-1',
  // ruleid: hardcoded-secret
  credentials: { accessKeyId: 'AKIA2JQ7H4XWZ6PLMN3R', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '' },
});

// ruleid: hardcoded-secret
const GOOGLE_MAPS_KEY = 'AIzaSyD4q8W9e0R1t2Y3u4I5o6P7a8S9d0F1g2H';

export async function geocode(address: string): Promise<Response> {
  const url = `https://maps.googleapis.com/maps/api/geocode/json?address=${encodeURIComponent(address)}&key=${GOOGLE_MAPS_KEY}`;
  return fetch(url, { signal: AbortSignal.timeout(5000) });
}

// ok: hardcoded-secret
export const stripeFromEnv = new Stripe(process.env.STRIPE_API_KEY ?? '', { apiVersion: '2024-06-20' });

// ok: hardcoded-secret
export const DOCS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

// ok: hardcoded-secret
export const PEM_HEADER = '-----BEGIN PRIVATE KEY-----';

// ok: hardcoded-secret
export const TEST_KEY = 'sk_test_4eC39HqLyjWDarjtT7zX9q2V';

// A Firebase web config: the API key is a public project identifier.
export const firebaseConfig = {
  // ok: hardcoded-secret
  apiKey: 'AIzaSyB7x2K9m4N6p8Q0r2S4t6U8v0W2x4Y6z8A',
  authDomain: 'orders-prod.firebaseapp.com',
  projectId: 'orders-prod',
  messagingSenderId: '830412556712',
};
