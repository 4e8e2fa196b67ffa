import { Pool } from 'pg';
import { literal, Sequelize, type ModelStatic, type Model } from 'sequelize';
import Knex from 'knex';
import { testDbPrefix } from './test-config';

const knex = Knex({ client: 'pg', connection: process.env.DATABASE_URL });

interface OrderRow { id: string; total: number; status: string }

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const ORDERS_TABLE = 'orders';
const ROLE_TYPES = ['root', 'root-custom'];

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

async function sortedOrders(req: { query: { sort: string } }) {
  // Request data straight into ORDER BY.
  // ruleid: sql-built-from-strings
  return pool.query(`SELECT * FROM orders ORDER BY ${req.query.sort}`);
}

async function ordersIn(ids: string[]) {
  // ruleid: sql-built-from-strings
  return pool.query('SELECT * FROM orders WHERE id IN (' + ids.join(',') + ')');
}

async function promoteFirstUsers(queryInterface: any, teamIds: string[]) {
  for (const teamId of teamIds) {
    // ruleid: sql-built-from-strings
    await queryInterface.sequelize.query(`UPDATE users SET "isAdmin" = true WHERE "teamId" = '${teamId}'`);
  }
}

// ---- quiet ----

async function ordersByArchiveState(archived: boolean) {
  // A choice between two literals.
  // ok: sql-built-from-strings
  return pool.query(`SELECT id FROM orders WHERE archived = ${archived ? 'true' : 'false'} ORDER BY id`);
}

async function extendLock(manager: { execute(sql: string, params: unknown[]): Promise<unknown> }, key: string, ownerId: string, expire: number | string) {
  // Unary plus makes the hole a number.
  // ok: sql-built-from-strings
  return manager.execute(`UPDATE locks SET owner_id = ?, expiration = NOW() + INTERVAL '${+expire} SECONDS' WHERE id = ?`, [ownerId, key]);
}

async function trackTables(connection: { execute(sql: string, params: unknown[]): Promise<unknown> }, tableNames: string[]) {
  const valueTuples = new Array(tableNames.length).fill('(?, ?)').join(', ');
  // ok: sql-built-from-strings
  return connection.execute(`INSERT INTO tracked_tables (table_name, created_at) VALUES ${valueTuples} ON CONFLICT DO NOTHING`, tableNames.flatMap((name) => [name, new Date()]));
}

async function renameTrackedTable(connection: { execute(sql: string): Promise<unknown> }, oldName: string, newName: string) {
  // A schema statement: the holes are table names, which cannot be bound.
  // ok: sql-built-from-strings
  return connection.execute(`ALTER TABLE "${oldName}" RENAME TO "${newName}"; UPDATE tracked_tables SET table_name = '${newName}' WHERE table_name = '${oldName}';`);
}

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

async function dropWorkingTable(tablename: string) {
  // An identifier position: the table name comes from the database's own catalogue.
  // ok: sql-built-from-strings
  await pool.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
}

async function anyPresent(environment: string, featureNames: string[]) {
  const joinedNames = featureNames.map(() => '?').join(',');
  // The interpolated local is a generated placeholder list; the values are bound.
  // ok: sql-built-from-strings
  return knex.raw(`SELECT EXISTS (SELECT 1 FROM strategies WHERE environment = ? AND feature_name IN (${joinedNames})) AS present`, [environment, ...featureNames]);
}

async function staleTestDatabases() {
  // An imported constant, not a caller's value.
  // ok: sql-built-from-strings
  return pool.query(`SELECT datname FROM pg_database WHERE datname LIKE '${testDbPrefix}%'`);
}

async function rootRoleUsers() {
  // Built from a constant list.
  // ok: sql-built-from-strings
  return pool.query(`SELECT user_id FROM role_user WHERE role_type IN (${ROLE_TYPES.map((t) => `'${t}'`).join(',')})`);
}

async function children(parentId: string, whereConditions: string) {
  const filter = whereConditions ? `AND (${whereConditions})` : '';
  // A fragment the query generator built; the value goes through replacements.
  // ok: sql-built-from-strings
  return pool.query(`SELECT id FROM documents WHERE parent_id = :parentId ${filter} ORDER BY depth`, { replacements: { parentId } });
}

async function backfillPublishedAt(doc: { id: string; createdAt: string }) {
  // A date rendered by toISOString cannot carry SQL; the id is bound.
  // ok: sql-built-from-strings
  return pool.query(`UPDATE documents SET published_at = '${new Date(doc.createdAt).toISOString()}' WHERE id = $1`, [doc.id]);
}

async function indexPage(knex, config, page, limit) {
  // A setting from the service's own configuration, not a caller's value.
  // ok: sql-built-from-strings
  await knex.raw(`INSERT INTO pages_vector (path, tokens) VALUES (?, to_tsvector('${config.dictLanguage}', ?))`, [page.path, page.content]);
  // LIMIT takes a row count.
  // ok: sql-built-from-strings
  return knex.raw(`SELECT id FROM pages WHERE published = true LIMIT ${limit}`);
}

function logQuery(logger, orderId) {
  // Not a SQL statement.
  // ok: sql-built-from-strings
  const message = `Order ${orderId} could not be loaded`;
  logger.query(message);
}


interface QueryBuilder { addQueryValue(value: unknown, type: string): string; getQueries(): Record<string, unknown> }

async function eventsForWorkspace(clickhouse: { query(q: string, params: object): Promise<unknown> }, qb: QueryBuilder, workspaceId: string, since: number) {
  const workspaceIdParam = qb.addQueryValue(workspaceId, 'String');
  // The builder returns a `{v1:String}` placeholder and sends the value apart.
  // ok: sql-built-from-strings
  await clickhouse.query(`SELECT * FROM events WHERE workspace_id = ${workspaceIdParam}`, qb.getQueries());
  // ok: sql-built-from-strings
  return clickhouse.query(`SELECT count() FROM events WHERE workspace_id = ${qb.addQueryValue(workspaceId, 'String')} AND type = '${EventType.MessageSent}'`, qb.getQueries());
}

enum EventType { MessageSent = 'MessageSent' }

export { orderExists, ordersForCustomer, searchOrders, cancelOrder, ordersByStatus, ordersForCustomerSafe, fromConstantTable, ordersByIds };

export async function authorByName(Author: ModelStatic<Model>, authorName: string, libraryId: string) {
  // A Sequelize literal is raw SQL: the quoted name is injected.
  // ruleid: sql-built-from-strings
  return Author.findOne({ where: [literal(`name = '${authorName}' COLLATE NOCASE`), { libraryId }] });
}

export function taggedWith(group: string, value: string) {
  // ruleid: sql-built-from-strings
  return Sequelize.where(Sequelize.literal(`(SELECT count(*) FROM json_each(${group}) WHERE json_each.value = "${value}")`), { [Sequelize.Op.gte]: 1 });
}

export function newestFirst(Author: ModelStatic<Model>, column: string) {
  // A column name where an identifier goes, and a bound replacement for the value.
  // ok: sql-built-from-strings
  const order = literal(`${column} DESC`);
  // ok: sql-built-from-strings
  return Author.findAll({ where: literal('name = :name COLLATE NOCASE'), replacements: { name: column }, order: [order] });
}

class PostgresConnector {
  getOrdersSql(customerId: string): string {
    // ruleid: sql-built-from-strings
    return `select id, total from orders where customer_id = '${customerId}'`;
  }

  getTablesSql(): string {
    // A constant where the value goes.
    // ok: sql-built-from-strings
    return `SELECT * FROM pg_catalog.pg_tables WHERE schemaname = '${DEFAULT_SCHEMA}'`;
  }

  describe(tableName: string): string {
    // Not named for a statement: a message, whatever its words.
    // ok: sql-built-from-strings
    return `select a table: '${tableName}' where you like`;
  }
}
