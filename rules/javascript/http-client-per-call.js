const axios = require('axios');
const https = require('https');
const express = require('express');
const { Agent, request } = require('undici');

const PAYMENTS_URL = process.env.PAYMENTS_URL;
const app = express();

async function charge(order) {
  // ruleid: http-client-per-call
  const api = axios.create({ baseURL: PAYMENTS_URL, timeout: 5000, httpsAgent: new https.Agent({ keepAlive: true }) });
  const { data } = await api.post('/charges', order);
  return data;
}

app.get('/stock/:sku', async (req, res) => {
  // ruleid: http-client-per-call
  const agent = new https.Agent({ keepAlive: true, ca: process.env.INVENTORY_CA });
  const { data } = await axios.get(`https://inventory.internal/stock/${req.params.sku}`, { httpsAgent: agent, timeout: 3000 });
  res.json(data);
});

async function refund(chargeId) {
  // ruleid: http-client-per-call
  return axios.create({ baseURL: PAYMENTS_URL, timeout: 5000, httpsAgent: new https.Agent({ ca: process.env.PAYMENTS_CA }) }).post(`/charges/${chargeId}/refund`);
}

async function quote(orderId) {
  const { data } = await axios.get(`https://shipping.internal/quotes/${orderId}`, {
    timeout: 3000,
    // ruleid: http-client-per-call
    httpsAgent: new https.Agent({ keepAlive: true }),
  });
  return data;
}

async function fetchLabel(labelId) {
  // ruleid: http-client-per-call
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 5000 } });
  const { body } = await request(`https://labels.internal/labels/${labelId}`, { dispatcher, headersTimeout: 5000, bodyTimeout: 5000 });
  return body.json();
}

// ---- quiet ----

// An axios instance with no agent of its own sends through Node's shared global agent: nothing is lost.
async function sendSms(to, text) {
  // ok: http-client-per-call
  const api = axios.create({ baseURL: process.env.SMS_URL, timeout: 5000 });
  await api.post('/messages', { to, text });
  // ok: http-client-per-call
  return axios.create({ baseURL: process.env.SMS_URL, timeout: 5000 }).get(`/messages/status?to=${to}`);
}

// ok: http-client-per-call
const payments = axios.create({ baseURL: PAYMENTS_URL, timeout: 5000 });
// ok: http-client-per-call
const keepAliveAgent = new https.Agent({ keepAlive: true, maxSockets: 50 });

class InventoryClient {
  constructor(baseURL) {
    // ok: http-client-per-call
    this.http = axios.create({ baseURL, timeout: 3000, httpsAgent: keepAliveAgent });
    // ok: http-client-per-call
    this.admin = axios.create({ baseURL, timeout: 3000, httpsAgent: new https.Agent({ keepAlive: true }) });
  }

  async stock(sku) {
    return this.http.get(`/stock/${sku}`);
  }
}

function createShippingClient(baseURL) {
  // ok: http-client-per-call
  const client = axios.create({ baseURL, timeout: 3000 });
  client.interceptors.response.use((r) => r);
  return client;
}

let ledger;
async function getLedger() {
  // ok: http-client-per-call
  if (!ledger) ledger = axios.create({ baseURL: process.env.LEDGER_URL, timeout: 5000 });
  return ledger;
}

module.exports = { sendSms, charge, refund, quote, fetchLabel, payments, InventoryClient, createShippingClient, getLedger, app };
