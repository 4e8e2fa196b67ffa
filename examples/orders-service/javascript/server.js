// Express API of the orders service.
'use strict';

const fs = require('fs');
const path = require('path');
const { exec, execFile } = require('child_process');
const express = require('express');
const { Pool } = require('pg');
const payments = require('./payments-client');

// Start-up: reading config synchronously before listening is fine.
const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));

const pool = new Pool({ connectionString: config.databaseUrl, statement_timeout: 5000 });
const app = express();
app.use(express.json());

// GAP: SQL built from the query string, and a swallowed notification failure.
app.get('/orders', async (req, res) => {
  const { rows } = await pool.query(
    `SELECT id, status, total FROM orders WHERE customer_id = '${req.query.customerId}' ORDER BY created_at DESC`,
  );
  res.json(rows);
});

// FIX: bind parameters.
app.get('/v2/orders', async (req, res) => {
  const { rows } = await pool.query(
    'SELECT id, status, total FROM orders WHERE customer_id = $1 ORDER BY created_at DESC',
    [req.query.customerId],
  );
  res.json(rows);
});

app.post('/orders/:id/pay', async (req, res, next) => {
  try {
    const { rows } = await pool.query('SELECT id, total FROM orders WHERE id = $1', [req.params.id]);
    const charge = await payments.chargeSafe(rows[0]);
    // GAP: the notification failure disappears without a trace.
    notifyCustomer(rows[0]).catch(() => {});
    res.status(201).json(charge);
  } catch (err) {
    next(err);
  }
});

// GAP: blocking file I/O inside the request handler.
app.get('/orders/:id/invoice', async (req, res) => {
  const file = path.join(config.invoiceDir, `${path.basename(req.params.id)}.pdf`);
  if (!fs.existsSync(file)) return res.sendStatus(404);
  res.type('pdf').send(fs.readFileSync(file));
});

// FIX: the promise API keeps the event loop free.
app.get('/v2/orders/:id/invoice', async (req, res, next) => {
  const file = path.join(config.invoiceDir, `${path.basename(req.params.id)}.pdf`);
  try {
    res.type('pdf').send(await fs.promises.readFile(file));
  } catch (err) {
    if (err.code === 'ENOENT') return res.sendStatus(404);
    next(err);
  }
});

// GAP: shell command built from the request.
app.post('/orders/:id/label', (req, res) => {
  exec(`lp -d ${req.body.printer} ${config.labelDir}/${req.params.id}.pdf`, (err) => {
    res.sendStatus(err ? 500 : 202);
  });
});

// FIX: argv array, no shell.
app.post('/v2/orders/:id/label', (req, res) => {
  const file = path.join(config.labelDir, `${path.basename(req.params.id)}.pdf`);
  execFile('lp', ['-d', String(req.body.printer), file], (err) => {
    res.sendStatus(err ? 500 : 202);
  });
});

async function notifyCustomer(order) {
  const res = await fetch(`${config.notifyUrl}/orders/${order.id}/paid`, {
    method: 'POST',
    signal: AbortSignal.timeout(3000),
  });
  if (!res.ok) throw new Error(`notify failed: ${res.status}`);
}

module.exports = { app };
