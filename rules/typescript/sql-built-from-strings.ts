import { Pool } from 'pg';
import Knex from 'knex';

const knex = Knex({ client: 'pg', connection: process.env.DATABASE_URL });

interface OrderRow { id: string; total: number; status: string }

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const ORDERS_TABLE = 'orders';

async function ordersForCustomer(customerId: string): Promise<OrderRow[]> {
  // ruleid: sql-built-from-strings
  const { rows } = await pool.query<OrderRow>(`SELECT * FROM orders WHERE customer_id = '${customerId}'`);
  return rows;
}

async function searchOrders(db: Pool, term: string, sort: string) {
  // ruleid: sql-built-from-strings
  return db.query('SELECT id, total FROM orders WHERE note LIKE \'%' + term + '%\' ORDER BY ' + sort);
}

async function cancelOrder(orderId: string) {
  // ruleid: sql-built-from-strings
  return knex.raw(`UPDATE orders SET status = 'cancelled' WHERE id = ${orderId}`);
}

async function ordersByStatus(connection: { execute(sql: string): Promise<unknown> }, status: string) {
  // ruleid: sql-built-from-strings
  const sql = `SELECT id FROM orders WHERE status = '${status}' ORDER BY created_at DESC`;
  return connection.execute(sql);
}

// ---- quiet ----

async function ordersForCustomerSafe(customerId) {
  // ok: sql-built-from-strings
  const { rows } = await pool.query('SELECT * FROM orders WHERE customer_id = $1', [customerId]);
  return rows;
}

async function fromConstantTable(orderId) {
  // A constant table name is not user input.
  // ok: sql-built-from-strings
  const { rows } = await pool.query(`SELECT * FROM ${ORDERS_TABLE} WHERE id = $1`, [orderId]);
  return rows;
}

async function ordersByIds(ids: string[]) {
  // ok: sql-built-from-strings
  const { rows } = await pool.query(`SELECT * FROM orders WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`, ids);
  return rows;
}

async function taggedTemplate(sql: (s: TemplateStringsArray, ...v: unknown[]) => string, orderId: string) {
  // A tagged template binds the values.
  // ok: sql-built-from-strings
  return pool.query(sql`SELECT * FROM orders WHERE id = ${orderId}`);
}

async function knexBinding(orderId) {
  // ok: sql-built-from-strings
  return knex.raw('UPDATE orders SET status = ? WHERE id = ?', ['cancelled', orderId]);
}

const T = { orders: 'orders', orderLines: 'order_lines' } as const;

async function orderExists(id: string) {
  // A table-name constant; the value is bound.
  // ok: sql-built-from-strings
  return knex.raw(`SELECT EXISTS (SELECT 1 FROM ${T.orders} WHERE id = ?) AS present`, [id]);
}

function logQuery(logger, orderId) {
  // Not a SQL statement.
  // ok: sql-built-from-strings
  const message = `Order ${orderId} could not be loaded`;
  logger.query(message);
}

export { orderExists, ordersForCustomer, searchOrders, cancelOrder, ordersByStatus, ordersForCustomerSafe, fromConstantTable, ordersByIds };
