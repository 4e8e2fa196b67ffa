const crypto = require('crypto');
const md5 = require('md5');

function hashPassword(password) {
  // ruleid: weak-hash-for-security
  return crypto.createHash('md5').update(password).digest('hex');
}

async function verify(user, password, stored) {
  // ruleid: weak-hash-for-security
  const hash = crypto.createHash('sha1');
  hash.update(user + password);
  return hash.digest('hex') === stored;
}

function resetLink(userId, secret) {
  // ruleid: weak-hash-for-security
  return `/reset/${userId}/${md5(`${userId}:${secret}`)}`;
}

class Signer {
  signRequest(body) {
    // ruleid: weak-hash-for-security
    return crypto.createHash('sha1').update(this.key + body).digest('hex');
  }
}

function etag(body) {
  // ok: weak-hash-for-security
  return `"${crypto.createHash('md5').update(body).digest('hex')}"`;
}

function avatarUrl(email) {
  // ok: weak-hash-for-security
  return `https://www.gravatar.com/avatar/${md5(email.trim().toLowerCase())}`;
}

function signWebhook(secret, payload) {
  // ok: weak-hash-for-security
  return crypto.createHmac('sha256', secret).update(payload).digest('hex');
}

function cacheKey(orderId, currency) {
  // ok: weak-hash-for-security
  return crypto.createHash('sha1').update(`${orderId}:${currency}`).digest('hex');
}

module.exports = { sessionCacheKey, hashPassword, verify, resetLink, Signer, etag, avatarUrl, signWebhook, cacheKey };

function sessionCacheKey(accessToken) {
  // Only names the cache entry for a random token.
  // ok: weak-hash-for-security
  return `session:${crypto.createHash('sha1').update(accessToken).digest('hex')}`;
}

// The tunnel subdomain is derived from a random 128-bit API key: an identifier, not a stored secret.
const tunnelSubdomain = (apiKey) => {
  // ok: weak-hash-for-security
  return crypto.createHash('md5').update(apiKey).digest('hex');
};

module.exports.tunnelSubdomain = tunnelSubdomain;
