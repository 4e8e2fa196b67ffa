import crypto from 'node:crypto';
import CryptoJS from 'crypto-js';

export function hashPassword(password: string): string {
  // ruleid: weak-hash-for-security
  return crypto.createHash('md5').update(password).digest('hex');
}

export async function verify(user: string, password: string, stored: string): Promise<boolean> {
  // ruleid: weak-hash-for-security
  const hash = crypto.createHash('sha1');
  hash.update(user + password);
  return hash.digest('hex') === stored;
}

export function resetLink(userId: number, secret: string): string {
  // ruleid: weak-hash-for-security
  return `/reset/${userId}/${CryptoJS.SHA1(`${userId}:${secret}`).toString()}`;
}

export class Signer {
  constructor(private readonly key: string) {}

  signRequest(body: string): string {
    // ruleid: weak-hash-for-security
    return crypto.createHash('sha1').update(this.key + body).digest('hex');
  }
}

export function etag(body: Buffer): string {
  // ok: weak-hash-for-security
  return `"${crypto.createHash('md5').update(body).digest('hex')}"`;
}

export function avatarUrl(email: string): string {
  // ok: weak-hash-for-security
  return `https://www.gravatar.com/avatar/${CryptoJS.MD5(email.trim().toLowerCase()).toString()}`;
}

export function signWebhook(secret: string, payload: string): string {
  // ok: weak-hash-for-security
  return crypto.createHmac('sha256', secret).update(payload).digest('hex');
}

export function cacheKey(orderId: number, currency: string): string {
  // ok: weak-hash-for-security
  return crypto.createHash('sha1').update(`${orderId}:${currency}`).digest('hex');
}

export function sessionCacheKey(accessToken: string): string {
  // Only names the cache entry for a random token.
  // ok: weak-hash-for-security
  return `session:${crypto.createHash('sha1').update(accessToken).digest('hex')}`;
}

// The tunnel subdomain is derived from a random 128-bit API key: an identifier, not a stored secret.
export const buildTunnelSubdomain = (apiKey: string): string => {
  // ok: weak-hash-for-security
  return crypto.createHash('md5').update(apiKey).digest('hex');
};
