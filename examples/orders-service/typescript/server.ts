// Express API of the orders service (TypeScript).
import fs from 'node:fs';
import path from 'node:path';
import express, { NextFunction, Request, Response } from 'express';
import knexFactory from 'knex';
import pLimit from 'p-limit';
import { Order, PaymentsClient, reserve, reserveSafe } from './payments-client';

interface Config {
  databaseUrl: string;
  reportDir: string;
  port: number;
}

// Start-up: synchronous reads before the server listens are fine.
const config: Config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));

// GAP: disables certificate checks for every outbound connection of the process.
if (process.env.ALLOW_SELF_SIGNED) {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
}

const knex = knexFactory({ client: 'pg', connection: config.databaseUrl });
const payments = new PaymentsClient();
const app = express();
app.use(express.json());

// GAP: sort column and status interpolated into raw SQL.
app.get('/orders', async (req: Request, res: Response) => {
  const rows = await knex.raw(
    `SELECT id, status, total FROM orders WHERE status = '${req.query.status}' ORDER BY ${req.query.sort}`,
  );
  res.json(rows.rows);
});

// FIX: bindings, and an allow-listed sort column.
const SORTABLE = new Set(['created_at', 'total']);
app.get('/v2/orders', async (req: Request, res: Response) => {
  const sort = SORTABLE.has(String(req.query.sort)) ? String(req.query.sort) : 'created_at';
  const rows = await knex.raw('SELECT id, status, total FROM orders WHERE status = ? ORDER BY ??', [
    String(req.query.status),
    sort,
  ]);
  res.json(rows.rows);
});

app.post('/orders/:id/checkout', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const order: Order = await knex('orders').where({ id: req.params.id }).first();
    const reservationId = await reserveSafe(order);
    const charge = await payments.chargeSafe(order);
    res.status(201).json({ reservationId, charge });
  } catch (err: unknown) {
    next(err);
  }
});

// GAP: blocking write of a report inside the handler, and a swallowed cleanup failure of the whole batch.
app.post('/reports/daily', async (req: Request, res: Response) => {
  const rows = await knex('orders').where('created_at', '>=', knex.raw("now() - interval '1 day'"));
  fs.writeFileSync(path.join(config.reportDir, 'daily.json'), JSON.stringify(rows));
  try {
    await knex('report_runs').insert({ kind: 'daily', at: new Date() });
  } catch {}
  res.sendStatus(202);
});

// FIX: async write; a failed bookkeeping insert is logged.
app.post('/v2/reports/daily', async (req: Request, res: Response) => {
  const rows = await knex('orders').where('created_at', '>=', knex.raw("now() - interval '1 day'"));
  await fs.promises.writeFile(path.join(config.reportDir, 'daily.json'), JSON.stringify(rows));
  try {
    await knex('report_runs').insert({ kind: 'daily', at: new Date() });
  } catch (err: unknown) {
    req.log?.warn({ err }, 'report run not recorded');
  }
  res.sendStatus(202);
});

// GAP: one reservation request per order, all at once.
app.post('/orders/bulk-reserve', async (req: Request, res: Response) => {
  const orders: Order[] = req.body.orders;
  const ids = await Promise.all(orders.map(async (order) => reserve(order)));
  res.json(ids);
});

// FIX: bounded concurrency.
const limit = pLimit(8);
app.post('/v2/orders/bulk-reserve', async (req: Request, res: Response) => {
  const orders: Order[] = req.body.orders;
  const ids = await Promise.all(orders.map((order) => limit(() => reserveSafe(order))));
  res.json(ids);
});

async function main(): Promise<void> {
  const tlsKey = fs.readFileSync(process.env.TLS_KEY_FILE ?? '/etc/orders/tls.key');
  app.listen(config.port, () => console.log(`orders-service on ${config.port} (tls key ${tlsKey.length} bytes)`));
}

void main();
