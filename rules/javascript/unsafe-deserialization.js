const serialize = require('node-serialize');
const { unserialize } = require('node-serialize');
const yaml = require('js-yaml');
const Cryo = require('cryo');
const express = require('express');

const app = express();

app.get('/cart', (req, res) => {
  // ruleid: unsafe-deserialization
  const cart = serialize.unserialize(Buffer.from(req.cookies.cart, 'base64').toString());
  res.json(cart);
});

function readSession(raw) {
  // ruleid: unsafe-deserialization
  return unserialize(raw);
}

function loadRules(text) {
  // ruleid: unsafe-deserialization
  return yaml.load(text, { schema: yaml.DEFAULT_FULL_SCHEMA });
}

function restoreJob(message) {
  // ruleid: unsafe-deserialization
  return Cryo.parse(message.body);
}

// ---- quiet ----

app.get('/cart/safe', (req, res) => {
  // ok: unsafe-deserialization
  const cart = JSON.parse(Buffer.from(req.cookies.cart, 'base64').toString());
  res.json(cart);
});

function loadRulesSafe(text) {
  // js-yaml 4: load() uses the safe default schema.
  // ok: unsafe-deserialization
  return yaml.load(text);
}

function saveSession(session) {
  // ok: unsafe-deserialization
  return serialize.serialize(session);
}

function storeJob(job) {
  // ok: unsafe-deserialization
  return Cryo.stringify(job);
}

module.exports = { app, readSession, loadRules, restoreJob, loadRulesSafe, saveSession, storeJob };
