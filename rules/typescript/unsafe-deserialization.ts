import serialize from 'node-serialize';
import { unserialize } from 'node-serialize';
import yaml from 'js-yaml';
import Cryo from 'cryo';
import express from 'express';

const app = express();

app.get('/cart', (req, res) => {
  // ruleid: unsafe-deserialization
  const cart = serialize.unserialize(Buffer.from(req.cookies.cart, 'base64').toString());
  res.json(cart);
});

function readSession(raw: string): Record<string, unknown> {
  // ruleid: unsafe-deserialization
  return unserialize(raw);
}

function loadRules(text: string) {
  // ruleid: unsafe-deserialization
  return <Record<string, unknown>>yaml.load(text, { schema: yaml.DEFAULT_FULL_SCHEMA });
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

export { app, readSession, loadRules, restoreJob, loadRulesSafe, saveSession, storeJob };
