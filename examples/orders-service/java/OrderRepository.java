package com.acme.orders;

import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class OrderRepository {

    final JdbcTemplate jdbcTemplate;

    public OrderRepository(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    /** Gap: customer-supplied status concatenated into SQL. */
    public List<OrderView> byStatus(String customerId, String status) {
        String sql = "SELECT * FROM orders WHERE customer_id = ? AND status = '" + status + "'";
        return jdbcTemplate.query(sql, OrderView.MAPPER, customerId);
    }

    /** Correct: every value bound as a parameter. */
    public List<OrderView> byStatusSafe(String customerId, String status) {
        return jdbcTemplate.query("SELECT * FROM orders WHERE customer_id = ? AND status = ?",
                OrderView.MAPPER, customerId, status);
    }

    /** Gap: cart snapshots come back from Redis as Java-serialized bytes. */
    public Cart restoreCart(byte[] snapshot) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(snapshot))) {
            return (Cart) in.readObject();
        }
    }

    /** Gap: export file name taken from the request and run through a shell. */
    public Process exportInvoices(String month) throws Exception {
        return new ProcessBuilder("sh", "-c", "pg_dump -t invoices_" + month + " orders > /exports/" + month + ".sql")
                .start();
    }

    Tax tax(Order order) {
        return jdbcTemplate.queryForObject("SELECT rate FROM tax_rates WHERE region = ?", Tax.MAPPER, order.region());
    }

    Shipping shipping(Order order) {
        return jdbcTemplate.queryForObject("SELECT * FROM shipping_rates WHERE zone = ?", Shipping.MAPPER, order.zone());
    }
}
