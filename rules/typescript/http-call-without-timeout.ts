import https from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';

type Callback = (err: Error | null, value?: unknown) => void;
import axios from 'axios';
import got from 'got';
import request from 'request';
import superagent from 'superagent';

interface Order { id: string; total: number; currency: string }

const PAYMENTS_URL = process.env.PAYMENTS_URL;
const INVENTORY_URL = process.env.INVENTORY_URL;

async function getOrder(orderId: string): Promise<Order> {
  // ruleid: http-call-without-timeout
  const res = await fetch(`${PAYMENTS_URL}/orders/${orderId}`);
  return (await res.json()) as Order;
}

async function createCharge(order: Order) {
  // ruleid: http-call-without-timeout
  const res = await fetch(`${PAYMENTS_URL}/charges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: order.total, currency: order.currency }),
  });
  return res.json();
}

async function reserveStock(sku, qty) {
  // ruleid: http-call-without-timeout
  const { data } = await axios.post(`${INVENTORY_URL}/reservations`, { sku, qty });
  return data;
}

async function stockLevel(sku: string): Promise<number> {
  // ruleid: http-call-without-timeout
  const { data } = await axios.get<number>(`${INVENTORY_URL}/stock/${sku}`, { headers: { accept: 'application/json' } });
  return data;
}

async function refund(chargeId) {
  // ruleid: http-call-without-timeout
  return axios({ method: 'post', url: `${PAYMENTS_URL}/charges/${chargeId}/refund`, timeout: 0 });
}

async function shippingQuote(orderId) {
  // ruleid: http-call-without-timeout
  return got(`https://shipping.internal/quotes/${orderId}`).json();
}

async function cancelReservation(id) {
  // ruleid: http-call-without-timeout
  await axios.delete(`${INVENTORY_URL}/reservations/${id}`);
}

// ---- bounded or opaque: quiet ----

async function getOrderBounded(orderId) {
  // ok: http-call-without-timeout
  const res = await fetch(`${PAYMENTS_URL}/orders/${orderId}`, { signal: AbortSignal.timeout(5000) });
  return res.json();
}

async function forwardSignal(url: string, signal: AbortSignal) {
  // ok: http-call-without-timeout
  return fetch(url, { method: 'GET', signal });
}

async function withOptions(url: string, init: RequestInit) {
  // Options built elsewhere: resbot cannot see inside them.
  // ok: http-call-without-timeout
  return fetch(url, init);
}

async function reserveBounded(sku: string, qty: number) {
  // ok: http-call-without-timeout
  const { data } = await axios.post<{ id: string }>(`${INVENTORY_URL}/reservations`, { sku, qty }, { timeout: 3000 });
  return data;
}

async function stockViaInstance(inventoryApi, sku) {
  // Instance calls are covered by http-client-without-timeout at axios.create().
  // ok: http-call-without-timeout
  return inventoryApi.get(`/stock/${sku}`);
}

async function raced(url) {
  // ok: http-call-without-timeout
  return Promise.race([fetch(url), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000))]);
}

async function wrapped(url) {
  // A wrapper that adds its own timeout is not `fetch`.
  // ok: http-call-without-timeout
  return fetchWithTimeout(url, 5000);
}

async function shippingBounded(orderId) {
  // ok: http-call-without-timeout
  return got(`https://shipping.internal/quotes/${orderId}`, { timeout: { request: 5000 } }).json();
}

async function requestConfig(config) {
  // ok: http-call-without-timeout
  return axios.request({ ...config, url: '/x' });
}

export { getOrder, createCharge, reserveStock, stockLevel, refund, shippingQuote, cancelReservation };

async function sendSms(endpoint, apiKey, to, text, ip) {
  // A spread inside the JSON body says nothing about the request's own options.
  // ruleid: http-call-without-timeout
  return got.post(endpoint, { headers: { authorization: apiKey }, json: { to, text, ...(ip && { ip }) } }).json();
}

async function scheduleReport(endpoint, reportId) {
  // `timeout` here is a field of the request body, not an option of the call.
  // ruleid: http-call-without-timeout
  return got.post(endpoint, { json: { reportId, timeout: 30 } }).json();
}

async function sendSmsBounded(endpoint, apiKey, to, text, ip) {
  // ok: http-call-without-timeout
  return got.post(endpoint, { json: { to, text, ...(ip && { ip }) }, timeout: { request: 5000 } }).json();
}

async function discoverTunnel(bridgeOrigin) {
  if (bridgeOrigin) {
    return bridgeOrigin;
  }
  // Only a developer's machine takes this branch, asking the local dev server.
  if (process.env.NODE_ENV === 'development') {
    // ok: http-call-without-timeout
    const response = await fetch('http://localhost:2022/.well-known/tunnel');
    return (await response.json()).origin;
  }
  // ruleid: http-call-without-timeout
  const response = await fetch(`${process.env.DISCOVERY_URL}/tunnel`);
  return (await response.json()).origin;
}

// (A fetch of a same-origin path written as a literal makes the whole module browser code: see
// tests/test_context_conditions.py.)

const ADMIN_BASE = "/api/manage/admin/discord-bot";
const INVOICES_BASE = "https://billing.internal.example.com/v1";

export async function fetchBotConfig(): Promise<unknown> {
  // A same-origin path held in a constant: still a browser fetch.
  // ok: http-call-without-timeout
  const response = await fetch(`${ADMIN_BASE}/config`);
  return response.json();
}

export async function saveBotConfig(token: string): Promise<unknown> {
  const url = `${ADMIN_BASE}/config`;
  // Two names deep: `url` is `${ADMIN_BASE}/config`, and ADMIN_BASE a same-origin path.
  // ok: http-call-without-timeout
  const response = await fetch(url, { method: "POST", body: JSON.stringify({ token }) });
  return response.json();
}

export async function invoice(id: string): Promise<unknown> {
  // A constant with a host is a server call like any other.
  // ruleid: http-call-without-timeout
  const response = await fetch(`${INVOICES_BASE}/invoices/${id}`);
  return response.json();
}

export async function refund(id: string): Promise<unknown> {
  const url = INVOICES_BASE + "/refunds/" + id;
  // ruleid: http-call-without-timeout
  const response = await fetch(url, { method: "POST" });
  return response.json();
}

function searchInterpolation(host: string, coord: { lat: number; lon: number }, cb: (err: unknown) => void) {
  // ruleid: http-call-without-timeout
  superagent
    .get(host + '/search/geojson')
    .query({ lat: coord.lat, lon: coord.lon })
    .end(cb);
}

async function postEvent(url: string, body: object) {
  // ruleid: http-call-without-timeout
  return superagent.post(url).send(body);
}

async function getBounded(url: string) {
  // ok: http-call-without-timeout
  return superagent.get(url).timeout({ response: 2000, deadline: 10000 });
}

// The browser bundle's request to its own origin: superagent in Node needs a host.
async function nameExists(name: string) {
  // ok: http-call-without-timeout
  const res = await superagent.get('/search/exists').query({ q: name });
  return res.body;
}

function fetchPlace(url: string, cb: () => void) {
  // ruleid: http-call-without-timeout
  request({ method: 'GET', url }, cb);
}

function fetchPlaceBounded(url: string, cb: () => void) {
  // ok: http-call-without-timeout
  request({ method: 'GET', url, timeout: 5000 }, cb);
}

function queryService(baseUrl: string, query: object, cb: () => void) {
  const options = { method: 'GET', url: baseUrl + '/v1/search', qs: query };
  // ruleid: http-call-without-timeout
  request(options).on('response', cb);
}

function queryServiceBounded(baseUrl: string, query: object, cb: () => void) {
  const options = { method: 'GET', url: baseUrl + '/v1/search', qs: query };
  options.timeout = 2500;
  // ok: http-call-without-timeout
  request(options).on('response', cb);
}

function queryWith(opts: object, cb: () => void) {
  // Options from the caller: resbot cannot see inside them.
  // ok: http-call-without-timeout
  request(opts, cb);
}

// `qs.timeout` is a query parameter sent to the server (a long poll's wait), not the client's bound.
function pollUpdates(baseUrl: string, limit: number, cb: (err: unknown) => void) {
  const options = { url: baseUrl + '/getUpdates', qs: { limit, timeout: 30 } };
  // ruleid: http-call-without-timeout
  request(options, cb);
  // ruleid: http-call-without-timeout
  request({ url: baseUrl + '/getUpdates', qs: { limit, timeout: 30 } }, cb);
}

// The caller's options, filled in here with the URL and headers: this function makes the request.
function restRequest(client: { baseUrl: string }, options: request.Options, callback: () => void) {
  options.url = client.baseUrl + options.url + '.json';
  options.headers = { Accept: 'application/json' };
  // ruleid: http-call-without-timeout
  request(options, callback);
}

function restRequestBounded(client: { baseUrl: string }, options: request.Options, callback: () => void) {
  options.uri = client.baseUrl + '/v1/status';
  options.timeout = 31000;
  // ok: http-call-without-timeout
  request(options, callback);
}

function restRequestFromCaller(options: request.Options, callback: () => void) {
  // Only the caller's options, untouched: the caller decides the bound.
  options.json = true;
  // ok: http-call-without-timeout
  request(options, callback);
}

function fetchWithShorthand(url: string, cb: (err: unknown) => void) {
  const timeout = 5000;
  const options = { url, timeout };
  // ok: http-call-without-timeout
  request(options, cb);
  // ok: http-call-without-timeout
  request({ url, timeout }, cb);
}

function ping(cb: () => void) {
  // ruleid: http-call-without-timeout
  request.get(`${INVENTORY_URL}/ping`, cb);
}

// A URL held in a variable: only an options object could carry a timeout.
function fetchFeed(feedUrl: string, cb: (err: unknown) => void) {
  // ruleid: http-call-without-timeout
  request(feedUrl, (err, res, body) => cb(err));
  // ruleid: http-call-without-timeout
  request.get(feedUrl, function (err) { cb(err); });
  // ok: http-call-without-timeout
  request(feedUrl, { timeout: 5000 }, (err) => cb(err));
}

function pingLink(item: { link: string }, cb: () => void) {
  // ruleid: http-call-without-timeout
  request(item.link);
  // ok: http-call-without-timeout
  request(item.name);
}

// Node's own https.request: the timeout option only emits an event.
function fetchCredentials(options: https.RequestOptions, callback: Callback) {
  // ruleid: http-call-without-timeout
  const req = https.request({ ...options, timeout: 10000 }, (res) => collect(res, callback));
  req.on('error', callback);
  req.end();
}

function fetchStatus(url: string, callback: Callback) {
  // ruleid: http-call-without-timeout
  https.get(url, (res) => collect(res, callback)).on('error', callback);
}

function pingRegistry(url: string, callback: Callback) {
  // ruleid: http-call-without-timeout
  const req = https.request(url, { method: 'HEAD' });
  req.on('response', (res) => callback(null, res.statusCode));
  req.end();
}

function fetchCredentialsBounded(options: https.RequestOptions, callback: Callback) {
  // ok: http-call-without-timeout
  const req = https.request(options, (res) => collect(res, callback));
  req.setTimeout(10000, () => req.destroy(new Error('credentials request timed out')));
  req.end();
}

function fetchStatusBounded(url: string, callback: Callback) {
  // ok: http-call-without-timeout
  https.get(url, { timeout: 5000 }, (res) => collect(res, callback)).on('timeout', function (this: ClientRequest) { this.destroy(); });
}

function fetchWithSignal(url: string, callback: Callback) {
  // ok: http-call-without-timeout
  https.get(url, { signal: AbortSignal.timeout(5000) }, (res) => collect(res, callback));
}

// The same module under an upper-case name.
import * as HTTPS from 'node:https';

function callGateway(method: string, path: string, body: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    // ruleid: http-call-without-timeout
    const req = HTTPS.request({ method, host: 'gateway.internal', path, timeout: 15000 });
    req.on('response', resolve);
    req.on('error', reject);
    req.end(body);
  });
}

function callGatewayBounded(method: string, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    // ok: http-call-without-timeout
    const req = HTTPS.request({ method, host: 'gateway.internal', path });
    req.setTimeout(15000, () => req.destroy(new Error('gateway request timed out')));
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

// The module chosen by the URL's scheme, kept in a variable.
import http from 'node:http';

function fetchKeys(uri: string, options: Record<string, unknown> & { timeout?: number }, callback: (err: Error | null, body?: string) => void) {
  const { protocol } = new URL(uri);
  const lib = protocol === 'https:' ? https : http;
  // ruleid: http-call-without-timeout
  lib.request({ ...options, timeout: options.timeout }, (res) => collect(res, callback)).on('error', callback).end();
}

function downloadLogo(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
  const parsed = new URL(url);
  let handler: typeof https | typeof http;
  switch (parsed.protocol) {
    case 'https:':
      handler = https;
      break;
    default:
      handler = http;
  }
  return new Promise((resolve, reject) => {
    // ruleid: http-call-without-timeout
    const req = handler.request({ host: parsed.host, path: parsed.pathname, headers }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function downloadLogoBounded(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
  const parsed = new URL(url);
  let handler: typeof https | typeof http;
  switch (parsed.protocol) {
    case 'https:':
      handler = https;
      break;
    default:
      handler = http;
  }
  return new Promise((resolve, reject) => {
    // ok: http-call-without-timeout
    const req = handler.request({ host: parsed.host, path: parsed.pathname, headers, signal: AbortSignal.timeout(5000) }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function fetchKeysPlain(uri: string, callback: (err: Error | null, body?: string) => void) {
  const transport = uri.startsWith('https:') ? require('https') : require('http');
  // ruleid: http-call-without-timeout
  transport.get(uri, (res) => collect(res, callback)).on('error', callback);
}

function fetchKeysBounded(uri: string, callback: (err: Error | null, body?: string) => void) {
  const lib = uri.startsWith('https:') ? https : http;
  // ok: http-call-without-timeout
  const req = lib.get(uri, { timeout: 5000 }, (res) => collect(res, callback));
  req.on('timeout', () => req.destroy(new Error('keys request timed out')));
}

function fetchFromCache(cache: { enabled: boolean; get(k: string, cb: unknown): void }, uri: string, callback: unknown) {
  const store = cache.enabled ? cache : cache;
  // ok: http-call-without-timeout
  store.get(uri, callback);
}

function collect(res: IncomingMessage, callback: Callback) {
  let data = '';
  res.on('data', (d) => (data += d));
  res.on('end', () => callback(null, data));
}

// request wrapped by util.promisify.
import { promisify } from 'util';
const rp: (opts: object) => Promise<{ statusCode: number; body: unknown }> = promisify(request);

async function checkVersion(version: string) {
  // ruleid: http-call-without-timeout
  const { statusCode } = await rp({ url: `https://updates.example.com/?v=${version}`, method: 'GET', json: true });
  // ok: http-call-without-timeout
  const { body } = await rp({ url: 'https://updates.example.com/notes', json: true, timeout: 5000 });
  return { statusCode, body };
}

// An edge route's fonts, bundled beside the module: files of the deployment, not a network call.
export async function loadFonts() {
  const interUrl = new URL('../public/fonts/Inter-Regular.ttf', import.meta.url);
  // ok: http-call-without-timeout
  const regular = await fetch(interUrl).then((res) => res.arrayBuffer());
  // ok: http-call-without-timeout
  const bold = await fetch(new URL("../public/fonts/Inter-Bold.ttf", import.meta.url), { cache: "force-cache" }).then((res) => res.arrayBuffer());
  // A URL against a remote base is a network call.
  // ruleid: http-call-without-timeout
  const logo = await fetch(new URL("/brand/logo.png", process.env.CDN_BASE_URL)).then((res) => res.arrayBuffer());
  return { regular, bold, logo };
}

// A Request that carries its own signal bounds the fetch that sends it.
export async function fetchMetadata(clientId: string) {
  const request = new Request(clientId, { redirect: 'error', signal: AbortSignal.timeout(5_000) });
  // ok: http-call-without-timeout
  const metadata = await fetch(request);
  // ok: http-call-without-timeout
  const jwks = await fetch(new Request(`${clientId}/jwks.json`, { signal: AbortSignal.timeout(5_000) }));
  const plain = new Request(clientId, { redirect: 'error' });
  // ruleid: http-call-without-timeout
  const again = await fetch(plain);
  return { metadata, jwks, again };
}

// A `fetch` handed in by the caller (a function context's, with its own timeout) is not the global one.
const sendEvent = async (event: { id: string }, { fetch, log }: { fetch: typeof globalThis.fetch; log: (m: string) => void }) => {
  // ok: http-call-without-timeout
  const res = await fetch(`${process.env.EVENTS_URL}/track`, { method: 'POST', body: JSON.stringify(event) });
  log(String(res.status));
};

async function lookupCompany(ctx: { fetch: typeof globalThis.fetch }, id: string) {
  const { fetch } = ctx;
  // ok: http-call-without-timeout
  return fetch(`${process.env.EVENTS_URL}/companies/${id}`);
}

async function createContact(ctx: { jsonFetch: unknown }, body: string) {
  // The context's fetch is not taken here: this is the global one.
  // ruleid: http-call-without-timeout
  return fetch(`${process.env.EVENTS_URL}/contacts`, { method: 'POST', body });
}

export function notifyModerators(webhookUrl, submission, log) {
  // A webhook post fired and forgotten: no request waits on it.
  // ok: http-call-without-timeout
  axios.post(webhookUrl, { content: submission.title }).then(() => log.info('sent')).catch((err) => log.error(err));
}

export function completions(endpoint, data) {
  return new Promise((resolve, reject) => {
    // Its result settles the caller's promise: the caller waits.
    // ruleid: http-call-without-timeout
    axios.post(endpoint, data).then((body) => resolve(body)).catch((err) => reject(err));
  });
}

export function proxyStatus(req, res, statusUrl) {
  // The handler answers from the chain: the request waits.
  // ruleid: http-call-without-timeout
  axios.get(statusUrl).then((r) => res.json(r.data)).catch(() => res.status(502).end());
}
