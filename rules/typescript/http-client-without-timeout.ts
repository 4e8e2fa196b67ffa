import S3 from 'aws-sdk/clients/s3';
import axios, { AxiosInstance } from 'axios';
import got from 'got';
import ky from 'ky';
import type { CreateAxiosDefaults } from 'axios';
import { Agent, Pool } from 'undici';

const defaults: CreateAxiosDefaults = { timeout: 5000, headers: { 'user-agent': 'orders-service' } };

// ruleid: http-client-without-timeout
export const paymentsApi: AxiosInstance = axios.create({
  baseURL: process.env.PAYMENTS_URL,
  headers: { 'x-service': 'orders' },
});

// ruleid: http-client-without-timeout
export const inventoryApi = axios.create();

// ruleid: http-client-without-timeout
export const shippingApi = axios.create({ baseURL: process.env.SHIPPING_URL, timeout: 0 });

// ruleid: http-client-without-timeout
export const fraudClient = got.extend({ prefixUrl: process.env.FRAUD_URL, retry: { limit: 2 } });

// ruleid: http-client-without-timeout
export const ledgerPool = new Pool(process.env.LEDGER_URL, { connections: 16, headersTimeout: 0 });

// ruleid: http-client-without-timeout
export const catalog = ky.create({ prefixUrl: process.env.CATALOG_URL, timeout: false });

// ok: http-client-without-timeout
export const paymentsBounded = axios.create({ baseURL: process.env.PAYMENTS_URL, timeout: 5000 });

// Shared defaults spread in: cannot see inside, assume they carry a timeout.
// ok: http-client-without-timeout
export const accountsApi = axios.create({ ...defaults, baseURL: process.env.ACCOUNTS_URL });

// ok: http-client-without-timeout
export const configured = axios.create(defaults);

// undici keeps its 300 s headers/body timeouts.
// ok: http-client-without-timeout
export const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 32 });

// ky has a 10 s default timeout.
// ok: http-client-without-timeout
export const catalogDefault = ky.create({ prefixUrl: process.env.CATALOG_URL });

// ok: http-client-without-timeout
export const fraudBounded = got.extend({ prefixUrl: process.env.FRAUD_URL, timeout: { request: 4000 } });

// ruleid: http-client-without-timeout
export const archive = new S3({ endpoint: process.env.ARCHIVE_URL, httpOptions: { agent: new Agent(), timeout: 0 } });

// ok: http-client-without-timeout
export const reports = new S3({ endpoint: process.env.REPORTS_URL, httpOptions: { timeout: 30_000 } });
