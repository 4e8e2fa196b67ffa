const { Pool } = require('pg');
const { literal, Sequelize } = require('sequelize');
const { testDbPrefix } = require('./test-config');
const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const ORDERS_TABLE = 'orders';
const ROLE_TYPES = ['root', 'root-custom'];

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

async function sortedOrders(req) {
  // Request data straight into ORDER BY.
  // ruleid: sql-built-from-strings
  return pool.query(`SELECT * FROM orders ORDER BY ${req.query.sort}`);
}

async function ordersIn(ids) {
  // ruleid: sql-built-from-strings
  return pool.query('SELECT * FROM orders WHERE id IN (' + ids.join(',') + ')');
}

async function promoteFirstUsers(queryInterface, teamIds) {
  for (const teamId of teamIds) {
    // ruleid: sql-built-from-strings
    await queryInterface.sequelize.query(`UPDATE users SET "isAdmin" = true WHERE "teamId" = '${teamId}'`);
  }
}

// ---- quiet ----

async function ordersByArchiveState(archived) {
  // A choice between two literals.
  // ok: sql-built-from-strings
  return pool.query(`SELECT id FROM orders WHERE archived = ${archived ? 'true' : 'false'} ORDER BY id`);
}

async function extendLock(manager, key, ownerId, expire) {
  // Unary plus makes the hole a number.
  // ok: sql-built-from-strings
  return manager.execute(`UPDATE locks SET owner_id = ?, expiration = NOW() + INTERVAL '${+expire} SECONDS' WHERE id = ?`, [ownerId, key]);
}

async function trackTables(connection, tableNames) {
  const valueTuples = new Array(tableNames.length).fill('(?, ?)').join(', ');
  // ok: sql-built-from-strings
  return connection.execute(`INSERT INTO tracked_tables (table_name, created_at) VALUES ${valueTuples} ON CONFLICT DO NOTHING`, tableNames.flatMap((name) => [name, new Date()]));
}

async function renameTrackedTable(connection, oldName, newName) {
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

async function dropWorkingTable(tablename) {
  // An identifier position: the table name comes from the database's own catalogue.
  // ok: sql-built-from-strings
  await pool.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
}

async function anyPresent(environment, featureNames) {
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

async function children(parentId, whereConditions) {
  const filter = whereConditions ? `AND (${whereConditions})` : '';
  // A fragment the query generator built; the value goes through replacements.
  // ok: sql-built-from-strings
  return pool.query(`SELECT id FROM documents WHERE parent_id = :parentId ${filter} ORDER BY depth`, { replacements: { parentId } });
}

async function backfillPublishedAt(doc) {
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


const EventType = Object.freeze({ MessageSent: 'MessageSent' });

async function eventsForWorkspace(clickhouse, qb, workspaceId, since) {
  const workspaceIdParam = qb.addQueryValue(workspaceId, 'String');
  // The builder returns a `{v1:String}` placeholder and sends the value apart.
  // ok: sql-built-from-strings
  await clickhouse.query(`SELECT * FROM events WHERE workspace_id = ${workspaceIdParam}`, qb.getQueries());
  // ok: sql-built-from-strings
  return clickhouse.query(`SELECT count() FROM events WHERE workspace_id = ${qb.addQueryValue(workspaceId, 'String')} AND type = '${EventType.MessageSent}'`, qb.getQueries());
}

module.exports = { OrderStore, ordersForCustomer, searchOrders, cancelOrder, ordersByStatus, ordersForCustomerSafe, fromConstantTable, ordersByIds };

async function authorByName(Author, authorName, libraryId) {
  // A Sequelize literal is raw SQL: the quoted name is injected.
  // ruleid: sql-built-from-strings
  return Author.findOne({ where: [literal(`name = '${authorName}' COLLATE NOCASE`), { libraryId }] });
}

function taggedWith(group, value) {
  // ruleid: sql-built-from-strings
  return Sequelize.where(Sequelize.literal(`(SELECT count(*) FROM json_each(${group}) WHERE json_each.value = "${value}")`), { [Sequelize.Op.gte]: 1 });
}

function newestFirst(Author, column) {
  // A column name where an identifier goes, and a bound replacement for the value.
  // ok: sql-built-from-strings
  const order = literal(`${column} DESC`);
  // ok: sql-built-from-strings
  return Author.findAll({ where: literal('name = :name COLLATE NOCASE'), replacements: { name: column }, order: [order] });
}

class PostgresConnector {
  getOrdersSql(customerId) {
    // ruleid: sql-built-from-strings
    return `select id, total from orders where customer_id = '${customerId}'`;
  }

  getTablesSql() {
    // A constant where the value goes.
    // ok: sql-built-from-strings
    return `SELECT * FROM pg_catalog.pg_tables WHERE schemaname = '${DEFAULT_SCHEMA}'`;
  }

  describe(tableName) {
    // Not named for a statement: a message, whatever its words.
    // ok: sql-built-from-strings
    return `select a table: '${tableName}' where you like`;
  }
}
