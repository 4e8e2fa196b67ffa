import sqlite3

from sqlalchemy import text

ORDERS_TABLE = "orders"


def find_orders(cursor, customer_id):
    # ruleid: sql-built-from-strings
    cursor.execute(f"SELECT id, total FROM orders WHERE customer_id = '{customer_id}'")
    return cursor.fetchall()


def cancel_order(cursor, reference):
    # ruleid: sql-built-from-strings
    cursor.execute("UPDATE orders SET status = 'cancelled' WHERE reference = '%s'" % reference)


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


def orders_named(cursor, name):
    query = "SELECT * FROM orders WHERE customer_name = '" + name + "'"
    # ruleid: sql-built-from-strings
    cursor.execute(query)
    return cursor.fetchall()


def orders_in(cursor, ids):
    # ruleid: sql-built-from-strings
    cursor.execute(f"SELECT * FROM orders WHERE id IN ({', '.join(ids)})")
    return cursor.fetchall()


def orders_after(cursor, since):
    sql = "SELECT * FROM orders WHERE created_at > '{}'".format(since)
    # ruleid: sql-built-from-strings
    cursor.execute(sql)
    return cursor.fetchall()


def sorted_orders(cursor, request):
    # Request data straight into ORDER BY.
    # ruleid: sql-built-from-strings
    cursor.execute(f"SELECT * FROM orders ORDER BY {request.args['sort']}")
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


def ensure_index(cur, table_name, index_name):
    # Identifiers compared as values in the catalogue: names the code chose, not a caller's data.
    # ok: sql-built-from-strings
    return cur.execute(
        f"SELECT 1 FROM information_schema.statistics WHERE table_name = '{table_name}' AND index_name = '{index_name}'"
    )


def infer_schema(cursor, stage_name, file_format_name):
    # ok: sql-built-from-strings
    cursor.execute(f"SELECT * FROM table(infer_schema(location=>'@\"{stage_name}\"', file_format=>'{file_format_name}'))")


def timestamp_range(cur, timestamp_col, entity_sql):
    # Column and sub-query positions hold SQL built from feature definitions, not values.
    # ok: sql-built-from-strings
    cur.execute(f"SELECT MIN({timestamp_col}), MAX({timestamp_col}) FROM ({entity_sql}) AS t")


def search_vectors(cur, table_name, where_sql, params):
    # A WHERE clause assembled from `?` conditions; the values are bound.
    # ok: sql-built-from-strings
    cur.execute(f"SELECT entity_key FROM {table_name} WHERE {where_sql}", params)


def insert_rows(connection, table_name, column_list, columns, rows):
    insert_template = "insert into {table_name} ({column_list}) values ({place_holders})".format(
        table_name=table_name, column_list=column_list, place_holders=",".join(["?"] * len(columns))
    )
    for row in rows:
        # ok: sql-built-from-strings
        connection.execute(insert_template, row)


def purge_events(cursor, job, pk_list):
    # Integer primary keys: an id-named hole, or ids joined through str(), cannot carry a quote.
    # ok: sql-built-from-strings
    cursor.execute(f"UPDATE roles SET object_id = NULL WHERE id = {job.role_id}")
    # ok: sql-built-from-strings
    cursor.execute(f"DELETE FROM job_events WHERE job_id IN ({','.join(map(str, pk_list))})")
    params = {"parents": "role_parents", "ids": ",".join(str(pk) for pk in pk_list)}
    # ok: sql-built-from-strings
    cursor.execute("SELECT from_role_id FROM %(parents)s WHERE to_role_id IN (%(ids)s)" % params)
    params["ancestors_table"] = "role_ancestors"
    # ok: sql-built-from-strings
    cursor.execute("DELETE FROM %(ancestors_table)s WHERE descendent_id IN (%(ids)s) AND ancestor_id = %(ancestors_table)s.descendent_id" % params)


def cluster_load(cluster, conn, batch_size, offset):
    # Database and cluster names are deployment configuration.
    # ok: sql-built-from-strings
    conn.execute(f"SELECT table, name, type FROM system.columns WHERE database='{conn.database}'")
    # ok: sql-built-from-strings
    conn.execute(f"SELECT sum(value) FROM clusterAllReplicas('{cluster.get_cluster_name()}', 'system', metrics)")
    # LIMIT and OFFSET take row counts.
    # ok: sql-built-from-strings
    conn.execute(f"SELECT * FROM artifact_collection ORDER BY id LIMIT {batch_size} OFFSET {offset}")
    # ok: sql-built-from-strings
    conn.execute(f"PRAGMA busy_timeout = {batch_size}")


def database_connections(cursor, connection):
    # The database name comes from the settings, not from a caller.
    # ok: sql-built-from-strings
    cursor.execute(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{connection.settings_dict['NAME']}'")
    return cursor.fetchone()[0]


def count_created(db, type_id, start, end):
    # web.py's db.query, the statement built into a short-named variable first.
    q2 = (
        "select count(*) as count from thing where type=%d and created >= '%s' and created < '%s'"
        % (type_id, start, end)
    )
    # ruleid: sql-built-from-strings
    return db.query(q2)[0].count


def events_for(client, day, account):
    # ruleid: sql-built-from-strings
    return client.query(f"SELECT * FROM events WHERE day = '{day}' AND account = '{account}'").result()


def recent_users(session, User, db, since):
    # ok: sql-built-from-strings
    users = session.query(User).filter(User.created >= since).all()
    # ok: sql-built-from-strings
    return users, db.query("SELECT id FROM thing WHERE created >= $since", vars={"since": since})
