package orders

import (
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"os"
)

type Order struct {
	ID    string
	Total int64
}

func saveOrder(tx *sql.Tx, o Order) {
	_, err := tx.Exec("INSERT INTO orders (id, total) VALUES ($1, $2)", o.ID, o.Total)
	// ruleid: swallowed-exception
	if err != nil {
	}
	// ruleid: swallowed-exception
	if commitErr := tx.Commit(); commitErr != nil {
	}
}

func decodeOrder(r io.Reader) Order {
	var o Order
	// ruleid: swallowed-exception
	if err := json.NewDecoder(r).Decode(&o); err != nil {
		// TODO: handle malformed payloads
	}
	return o
}

func processSafely(fn func()) {
	defer func() {
		// ruleid: swallowed-exception
		recover()
	}()
	fn()
}

func processQuietly(fn func()) {
	defer func() {
		// ruleid: swallowed-exception
		_ = recover()
	}()
	fn()
}

func writeReceipt(path string, data []byte) error {
	f, err := os.Create(path)
	// ok: swallowed-exception
	if err != nil {
		return err
	}
	// An explicit, visible ignore.
	// ok: swallowed-exception
	defer func() { _ = f.Close() }()
	_, err = f.Write(data)
	return err
}

func removeTemp(path string) {
	// ok: swallowed-exception
	if err := os.Remove(path); err != nil {
		// Best effort: the file may already be gone, and the sweeper cleans up the rest.
	}
}

func recoverAndLog(fn func()) {
	defer func() {
		// ok: swallowed-exception
		if r := recover(); r != nil {
			log.Printf("recovered: %v", r)
		}
	}()
	fn()
}

func loadOrder(db *sql.DB, id string) (Order, error) {
	var o Order
	err := db.QueryRow("SELECT id, total FROM orders WHERE id = $1", id).Scan(&o.ID, &o.Total)
	// ok: swallowed-exception
	if err != nil {
		log.Printf("load order %s: %v", id, err)
	}
	return o, err
}
