const { Pool } = require('pg');
const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const ORDERS_TABLE = 'orders';

async function ordersForCustomer(customerId) {
  // ruleid: sql-built-from-strings
  const { rows } = await pool.query(`SELECT * FROM orders WHERE customer_id = '${customerId}'`);
  return rows;
}

async function searchOrders(db, term, sort) {
  // ruleid: sql-built-from-strings
  return db.query('SELECT id, total FROM orders WHERE note LIKE \'%' + term + '%\' ORDER BY ' + sort);
}

async function cancelOrder(orderId) {
  // ruleid: sql-built-from-strings
  return knex.raw(`UPDATE orders SET status = 'cancelled' WHERE id = ${orderId}`);
}

async function ordersByStatus(connection, status) {
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

async function ordersByIds(ids) {
  // ok: sql-built-from-strings
  const { rows } = await pool.query(`SELECT * FROM orders WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`, ids);
  return rows;
}

async function taggedTemplate(sql, orderId) {
  // A tagged template binds the values.
  // ok: sql-built-from-strings
  return pool.query(sql`SELECT * FROM orders WHERE id = ${orderId}`);
}

async function knexBinding(orderId) {
  // ok: sql-built-from-strings
  return knex.raw('UPDATE orders SET status = ? WHERE id = ?', ['cancelled', orderId]);
}

class OrderStore {
  constructor(db, tableName) {
    this.db = db;
    this.tableName = tableName;
  }

  async exists(id) {
    // The store's own table name; the value is bound.
    // ok: sql-built-from-strings
    return this.db.raw(`SELECT EXISTS (SELECT 1 FROM ${this.tableName} WHERE id = ?) AS present`, [id]);
  }
}

function logQuery(logger, orderId) {
  // Not a SQL statement.
  // ok: sql-built-from-strings
  const message = `Order ${orderId} could not be loaded`;
  logger.query(message);
}

module.exports = { OrderStore, ordersForCustomer, searchOrders, cancelOrder, ordersByStatus, ordersForCustomerSafe, fromConstantTable, ordersByIds };
