import sqlite3

from sqlalchemy import text

ORDERS_TABLE = "orders"


def find_orders(cursor, customer_id):
    # ruleid: sql-built-from-strings
    cursor.execute(f"SELECT id, total FROM orders WHERE customer_id = '{customer_id}'")
    return cursor.fetchall()


def cancel_order(cursor, order_id):
    # ruleid: sql-built-from-strings
    cursor.execute("UPDATE orders SET status = 'cancelled' WHERE id = %s" % order_id)


async def orders_since(conn, since):
    # ruleid: sql-built-from-strings
    return await conn.fetch("SELECT * FROM orders WHERE created_at > '{}'".format(since))


def search_orders(session, term):
    # ruleid: sql-built-from-strings
    return session.execute(text("SELECT * FROM orders WHERE note LIKE '%" + term + "%'")).all()


def orders_by_status(cursor, status, limit):
    sql = f"SELECT * FROM orders WHERE status = '{status}' LIMIT {limit}"
    # ruleid: sql-built-from-strings
    cursor.execute(sql)
    return cursor.fetchall()


def find_orders_ok(cursor, customer_id):
    # ok: sql-built-from-strings
    cursor.execute("SELECT id, total FROM orders WHERE customer_id = %s", (customer_id,))
    return cursor.fetchall()


def orders_by_ids(cursor, ids):
    placeholders = ", ".join("?" for _ in ids)
    # Only placeholders are interpolated; the values are bound.
    # ok: sql-built-from-strings
    cursor.execute(f"SELECT * FROM orders WHERE id IN ({placeholders})", ids)
    return cursor.fetchall()


def count_orders(cursor):
    # ok: sql-built-from-strings
    cursor.execute(f"SELECT count(*) FROM {ORDERS_TABLE} WHERE status = ?", ("open",))
    return cursor.fetchone()[0]


def search_orders_ok(session, term):
    # ok: sql-built-from-strings
    return session.execute(text("SELECT * FROM orders WHERE note LIKE :term"), {"term": f"%{term}%"}).all()


def log_event(logger, order_id):
    # Not SQL.
    # ok: sql-built-from-strings
    logger.execute(f"notify order {order_id}")


def orders_by_status_ok(cursor, status):
    sql = "SELECT * FROM orders WHERE status = ?"
    # ok: sql-built-from-strings
    cursor.execute(sql, (status,))
    return cursor.fetchall()


def order_field(db, field, order_id):
    # Column name from the caller's allow-list; the value is bound.
    # ok: sql-built-from-strings
    return db.execute(f"SELECT {field} FROM orders WHERE id = ?", (order_id,)).fetchone()


def _table_id(project, table):
    return f"{project}_{table}"


def read_features(cur, project, table, entity_key):
    # The table name is built by a helper; the value is bound.
    # ok: sql-built-from-strings
    cur.execute(f"SELECT feature_name, value FROM {_table_id(project, table)} WHERE entity_key = %s", (entity_key,))
    return cur.fetchall()
