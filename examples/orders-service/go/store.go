package main

import (
	"context"
	"database/sql"
	"log"
	"os/exec"
	"strconv"
)

type Store struct {
	db *sql.DB
}

func OpenStore(dsn string) (*Store, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	return &Store{db: db}, nil
}

// Save inserts an order. OK: placeholders, the caller's context.
func (s *Store) Save(ctx context.Context, o Order) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO orders (id, customer) VALUES ($1, $2)", o.ID, o.Customer)
	return err
}

// Get loads an order. OK: placeholders.
func (s *Store) Get(ctx context.Context, id string) (Order, error) {
	var o Order
	err := s.db.QueryRowContext(ctx, "SELECT id, customer FROM orders WHERE id = $1", id).Scan(&o.ID, &o.Customer)
	return o, err
}

// Search filters orders. OK: the query grows by placeholders only.
func (s *Store) Search(ctx context.Context, customer string, limit int) (*sql.Rows, error) {
	query := "SELECT id, customer FROM orders WHERE 1=1"
	var args []any
	if customer != "" {
		args = append(args, customer)
		query += " AND customer = $" + strconv.Itoa(len(args))
	}
	args = append(args, limit)
	query += " LIMIT $" + strconv.Itoa(len(args))
	return s.db.QueryContext(ctx, query, args...)
}

// ByCustomer is the old lookup. GAP: the customer name is pasted into the SQL.
func (s *Store) ByCustomer(ctx context.Context, customer string) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, "SELECT id, customer FROM orders WHERE customer = '"+customer+"'")
}

// Archive exports an order. GAP: the order id reaches a shell; the error of the cleanup is dropped.
func (s *Store) Archive(ctx context.Context, id string) error {
	if err := exec.CommandContext(ctx, "sh", "-c", "pg_dump --table=orders_"+id+" > /archive/"+id+".sql").Run(); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM orders WHERE id = $1", id); err != nil {
	}
	// OK: own argv, no shell; the failure is logged.
	if err := exec.CommandContext(ctx, "gzip", "/archive/"+id+".sql").Run(); err != nil {
		log.Printf("compress archive %s: %v", id, err)
	}
	return nil
}
