package orders

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/lib/pq"
)

type Filter struct {
	Status   string
	Customer string
	Limit    int
}

func ordersByCustomer(ctx context.Context, db *sql.DB, customer string) (*sql.Rows, error) {
	// ruleid: sql-built-from-strings
	return db.QueryContext(ctx, fmt.Sprintf("SELECT id, total FROM orders WHERE customer = '%s'", customer))
}

func cancelOrder(db *sql.DB, id string) error {
	// ruleid: sql-built-from-strings
	_, err := db.Exec("UPDATE orders SET status = 'cancelled' WHERE id = '" + id + "'")
	return err
}

func searchOrders(ctx context.Context, db *sql.DB, f Filter) (*sql.Rows, error) {
	query := "SELECT id, total FROM orders WHERE 1=1"
	if f.Status != "" {
		query += " AND status = '" + f.Status + "'"
	}
	// ruleid: sql-built-from-strings
	return db.QueryContext(ctx, query)
}

func ordersWithCodes(ctx context.Context, db *sql.DB, codes []string) (*sql.Rows, error) {
	q := fmt.Sprintf("SELECT id FROM orders WHERE coupon IN ('%s')", strings.Join(codes, "','"))
	// ruleid: sql-built-from-strings
	return db.QueryContext(ctx, q)
}

func ordersByRefs(ctx context.Context, db *sql.DB, refs []string) (*sql.Rows, error) {
	// ruleid: sql-built-from-strings
	return db.QueryContext(ctx, fmt.Sprintf("SELECT id FROM orders WHERE ref IN (%s)", strings.Join(refs, ",")))
}

func orderByID(ctx context.Context, db *sql.DB, id string) *sql.Row {
	// ok: sql-built-from-strings
	return db.QueryRowContext(ctx, "SELECT id, total FROM orders WHERE id = $1", id)
}

func filterOrders(ctx context.Context, db *sql.DB, f Filter) (*sql.Rows, error) {
	query := "SELECT id, total FROM orders WHERE 1=1"
	var args []any
	if f.Status != "" {
		args = append(args, f.Status)
		query += " AND status = $" + strconv.Itoa(len(args))
	}
	if f.Customer != "" {
		args = append(args, f.Customer)
		query += " AND customer = $" + strconv.Itoa(len(args))
	}
	// Placeholders only; the values travel as arguments.
	// ok: sql-built-from-strings
	return db.QueryContext(ctx, query, args...)
}

func ordersByIDs(ctx context.Context, db *sql.DB, ids []any) (*sql.Rows, error) {
	// ok: sql-built-from-strings
	return db.QueryContext(ctx, "SELECT id, total FROM orders WHERE id IN (?"+strings.Repeat(",?", len(ids)-1)+")", ids...)
}

func archiveTable(ctx context.Context, db *sql.DB, table string) error {
	// ok: sql-built-from-strings
	_, err := db.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE archived_at < now() - interval '90 days'", pq.QuoteIdentifier(table)))
	return err
}

func recentOrders(ctx context.Context, db *sql.DB, limit int) (*sql.Rows, error) {
	// ok: sql-built-from-strings
	return db.QueryContext(ctx, fmt.Sprintf("SELECT id FROM orders ORDER BY created_at DESC LIMIT %d", limit))
}

func auditNote(ctx context.Context, db *sql.DB, id string) error {
	// The formatted string is a bound value, not SQL.
	// ok: sql-built-from-strings
	_, err := db.ExecContext(ctx, "INSERT INTO audit (note) VALUES ($1)", fmt.Sprintf("order %s cancelled", id))
	return err
}

func orderCount(db *sql.DB, table string) (int, error) {
	var n int
	// A table name (an identifier position); values would go through placeholders.
	q := fmt.Sprintf("SELECT count(*) FROM %s", table)
	// ok: sql-built-from-strings
	err := db.QueryRow(q).Scan(&n)
	return n, err
}

func featureRows(ctx context.Context, db *sql.DB, table string, keys []any) (*sql.Rows, error) {
	in := make([]string, len(keys))
	for i := range keys {
		in[i] = "?"
	}
	// `IN (%s)` gets the placeholder list built above; the keys are bound.
	q := fmt.Sprintf("SELECT entity_key, value FROM %s WHERE entity_key IN (%s)", tableID(table), strings.Join(in, ","))
	// ok: sql-built-from-strings
	return db.QueryContext(ctx, q, keys...)
}

func dropColumnIndexes(db *sql.DB, table string, columns []string, limit int) error {
	// SHOW takes names, which no parameter can carry.
	q := fmt.Sprintf("SHOW INDEX FROM %s WHERE column_name IN ('%s')", table, strings.Join(columns, "','"))
	// ok: sql-built-from-strings
	if _, err := db.Query(q); err != nil {
		return err
	}
	// LIMIT takes a row count.
	// ok: sql-built-from-strings
	_, err := db.Query(fmt.Sprintf("SELECT id FROM jobs WHERE state = 'done' LIMIT %d", limit))
	return err
}

func tableID(name string) string { return "features_" + name }

// A dialect helper given only literals returns SQL that code decides.
type dialect struct{ *sql.DB }

func (d dialect) now() string                      { return "NOW()" }
func (d dialect) dateSub(n int, unit string) string { return fmt.Sprintf("DATE_SUB(NOW(), INTERVAL %d %s)", n, unit) }

func validToken(d dialect, token string) (string, error) {
	var user string
	// ok: sql-built-from-strings
	err := d.QueryRow("SELECT username FROM tokens WHERE token = ? AND expires > "+d.now(), token).Scan(&user)
	if err != nil {
		return "", err
	}
	// ok: sql-built-from-strings
	err = d.QueryRow("SELECT user_id FROM resets WHERE token = ? AND created > "+d.dateSub(3, "HOUR"), token).Scan(&user)
	if err != nil {
		return "", err
	}
	// ruleid: sql-built-from-strings
	err = d.QueryRow("SELECT user_id FROM resets WHERE token = '" + strings.TrimSpace(token) + "'").Scan(&user)
	return user, err
}

