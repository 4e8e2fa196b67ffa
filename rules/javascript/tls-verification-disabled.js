const fs = require('fs');
const https = require('https');
const tls = require('tls');
const { Pool } = require('pg');
const { spawn } = require('child_process');

// ruleid: tls-verification-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

// ruleid: tls-verification-disabled
const insecureAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

const db = new Pool({
  connectionString: process.env.DATABASE_URL,
  // ruleid: tls-verification-disabled
  ssl: { rejectUnauthorized: false },
});

function runMigration() {
  return spawn('node', ['migrate.js'], {
    // ruleid: tls-verification-disabled
    env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' },
  });
}

function connectLedger(host) {
  return tls.connect({
    host,
    port: 7000,
    // ruleid: tls-verification-disabled
    checkServerIdentity: () => undefined,
  });
}

// ---- quiet ----

// ok: tls-verification-disabled
const agent = new https.Agent({ keepAlive: true, ca: fs.readFileSync('/etc/ssl/internal-ca.pem') });

// ok: tls-verification-disabled
const strictAgent = new https.Agent({ rejectUnauthorized: true });

// An explicit, configuration-driven opt-in (e.g. local development only).
// ok: tls-verification-disabled
const devAgent = new https.Agent({ rejectUnauthorized: process.env.NODE_ENV === 'production' });

// ok: tls-verification-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';

function devProxyAgent() {
  if (process.env.NODE_ENV === 'development') {
    // The local dev proxy uses a self-signed certificate; never in production.
    // ok: tls-verification-disabled
    return new https.Agent({ rejectUnauthorized: false });
  }
  return undefined;
}

function localSidecar() {
  // A loopback sidecar: nobody sits on this path.
  // ok: tls-verification-disabled
  return tls.connect({ host: '127.0.0.1', port: 15001, rejectUnauthorized: false });
}

function stagingAgent() {
  if (process.env.NODE_ENV === 'production') {
    return new https.Agent({ keepAlive: true });
  }
  // Every other environment, staging included, skips verification.
  // ruleid: tls-verification-disabled
  return new https.Agent({ keepAlive: true, rejectUnauthorized: false });
}

module.exports = { insecureAgent, db, runMigration, connectLedger, agent, strictAgent, devAgent, devProxyAgent, localSidecar, stagingAgent };

function agentFor(serverUrl) {
  const opts = {};
  // Node already skips verification process-wide when the variable is '0': this changes nothing.
  if (serverUrl.startsWith('https://') && process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    // ok: tls-verification-disabled
    opts.httpsAgent = new https.Agent({ rejectUnauthorized: false });
  }
  if (process.env.NODE_TLS_REJECT_UNAUTHORIZED !== '0') {
    // ruleid: tls-verification-disabled
    opts.httpsAgent = new https.Agent({ rejectUnauthorized: false });
  }
  return opts;
}

// Switched off on an options object after it was built.
function webhookOptions(url) {
  const reqOptions = { host: url.hostname, port: url.port, path: url.pathname, method: 'POST' };
  // ruleid: tls-verification-disabled
  reqOptions.rejectUnauthorized = false;
  // ruleid: tls-verification-disabled
  reqOptions['strictSSL'] = false;
  // ok: tls-verification-disabled
  reqOptions.rejectUnauthorized = true;
  // ok: tls-verification-disabled
  reqOptions.rejectUnauthorized = settings.verifyTls;
  return reqOptions;
}

// An insecure mode the operator asks for by name is an opt-in: reported only in opt-in runs (low confidence).
function poolConfig(databaseUrl, sslMode, settings) {
  const options = { connectionString: databaseUrl };
  // ruleid: tls-verification-disabled
  options.ssl = sslMode === 'no-verify' ? { rejectUnauthorized: false } : undefined;
  if (settings.insecureTls) {
    // ruleid: tls-verification-disabled
    options.ssl = { rejectUnauthorized: false };
  }
  if (process.env.WEBHOOK_TLS_REJECT_UNAUTHORIZED === 'false') {
    // ruleid: tls-verification-disabled
    options.rejectUnauthorized = false;
  }
  if (settings.region === 'eu') {
    // ruleid: tls-verification-disabled
    options.ssl = { rejectUnauthorized: false };
  }
  return options;
}
