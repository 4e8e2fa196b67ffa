package com.acme.orders.persistence;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

public class OrderRepository {

    private static final String ORDERS = "orders";
    private static final Set<String> SORTABLE_COLUMNS = Set.of("created_at", "total", "status");

    private final JdbcTemplate jdbcTemplate;
    private final EntityManager em;
    private final Connection connection;
    private final OrderRowMapper mapper = new OrderRowMapper();

    public OrderRepository(JdbcTemplate jdbcTemplate, EntityManager em, Connection connection) {
        this.jdbcTemplate = jdbcTemplate;
        this.em = em;
        this.connection = connection;
    }

    public List<Order> byCustomer(String customerId) {
        // ruleid: sql-built-from-strings
        return jdbcTemplate.query("SELECT * FROM orders WHERE customer_id = '" + customerId + "'", mapper);
    }

    public ResultSet byStatus(String status) throws SQLException {
        Statement stmt = connection.createStatement();
        String sql = "SELECT id, total FROM orders WHERE status = '" + status + "'";
        // ruleid: sql-built-from-strings
        return stmt.executeQuery(sql);
    }

    public List<?> byCoupon(String coupon) {
        // ruleid: sql-built-from-strings
        return em.createNativeQuery(String.format("SELECT * FROM orders WHERE coupon = '%s'", coupon)).getResultList();
    }

    public int cancel(String orderId, String reason) {
        // ruleid: sql-built-from-strings
        return jdbcTemplate.update("UPDATE orders SET status = 'CANCELLED', reason = '" + reason + "' WHERE id = " + orderId);
    }

    public List<Order> search(String status, String region) {
        String sql = "SELECT * FROM orders WHERE 1 = 1";
        if (status != null) {
            sql += " AND status = '" + status + "'";
        }
        // ruleid: sql-built-from-strings
        return jdbcTemplate.query(sql, mapper);
    }

    public List<Order> byIds(String ids) {
        // ruleid: sql-built-from-strings
        return jdbcTemplate.query("SELECT * FROM orders WHERE id IN (" + ids + ")", mapper);
    }

    public List<Order> byReference(String reference) {
        // ruleid: sql-built-from-strings
        return jdbcTemplate.query("SELECT * FROM orders WHERE reference = " + reference, mapper);
    }

    // --- the correct shapes ---

    public List<Order> byCustomerSafe(String customerId) {
        // ok: sql-built-from-strings
        return jdbcTemplate.query("SELECT * FROM orders WHERE customer_id = ?", mapper, customerId);
    }

    public ResultSet byStatusSafe(String status) throws SQLException {
        PreparedStatement ps = connection.prepareStatement("SELECT id, total FROM orders WHERE status = ?");
        ps.setString(1, status);
        // ok: sql-built-from-strings
        return ps.executeQuery();
    }

    public int countAll() {
        // ok: sql-built-from-strings
        return jdbcTemplate.queryForObject("SELECT count(*) FROM " + ORDERS + " WHERE deleted = false", Integer.class);
    }

    public List<Order> sorted(String column) {
        if (!SORTABLE_COLUMNS.contains(column)) {
            throw new IllegalArgumentException("cannot sort by " + column);
        }
        // ok: sql-built-from-strings
        return jdbcTemplate.query("SELECT * FROM orders ORDER BY " + column, mapper);
    }

    public List<?> byCouponJpql(String coupon) {
        // ok: sql-built-from-strings
        return em.createQuery("SELECT o FROM Order o WHERE o.coupon = :coupon").setParameter("coupon", coupon).getResultList();
    }

    public boolean tableExists(String tableName) {
        // ok: sql-built-from-strings
        return jdbcTemplate.queryForObject(String.format("SELECT COUNT(*) FROM %s", tableName), Integer.class) >= 0;
    }

    public boolean tableExistsViaLocal(String tableName) {
        String sql = String.format("SELECT COUNT(*) FROM %s ", tableName);
        // ok: sql-built-from-strings
        return jdbcTemplate.queryForObject(sql, Integer.class) >= 0;
    }

    public List<Order> byNumber(long orderNumber) {
        // A long cannot carry SQL.
        // ok: sql-built-from-strings
        return jdbcTemplate.query("SELECT * FROM orders WHERE number = " + orderNumber, mapper);
    }

    public void heartbeat(Statement stmt, List<Long> changedIds) throws SQLException {
        long periodNano = TimeUnit.SECONDS.toNanos(PERIOD_SECONDS);
        // A long local cannot carry SQL.
        // ok: sql-built-from-strings
        stmt.executeUpdate("UPDATE settings SET heartbeat = " + periodNano);
        // An unquoted IN list of ids joined with commas holds numbers.
        // ok: sql-built-from-strings
        stmt.executeQuery("select id, content from adapter_config where id in (" + Joiner.on(",").join(changedIds) + ")");
        // SHOW takes names, which no parameter can carry.
        // ok: sql-built-from-strings
        stmt.executeQuery("SHOW COLUMNS FROM orders WHERE field = '" + columnName + "'");
    }

    public int purge(String schemaName) {
        // ok: sql-built-from-strings
        return jdbcTemplate.update("DELETE FROM " + schemaName + ".orders WHERE archived = true");
    }

    // PageHelper appends its ORDER BY clause to the statement as written.
    public void startPage(PageDomain pageDomain, String sort, boolean count) {
        Integer pageNum = pageDomain.getPageNum();
        Integer pageSize = pageDomain.getPageSize();
        // ruleid: sql-built-from-strings
        PageHelper.startPage(pageNum, pageSize, pageDomain.getOrderBy());
        // ruleid: sql-built-from-strings
        PageHelper.orderBy(sort);
        String orderBy = pageDomain.getOrderBy();
        // ruleid: sql-built-from-strings
        PageHelper.startPage(pageNum, pageSize, orderBy);
        String checked = SqlUtil.escapeOrderBySql(pageDomain.getOrderBy());
        // ok: sql-built-from-strings
        PageHelper.startPage(pageNum, pageSize, checked);
        // ok: sql-built-from-strings
        PageHelper.startPage(pageNum, pageSize, "create_time desc");
        // ok: sql-built-from-strings
        PageHelper.startPage(pageNum, pageSize, count);
        // ok: sql-built-from-strings
        PageHelper.startPage(pageNum, pageSize);
        // ok: sql-built-from-strings
        PageHelper.orderBy(SqlUtil.escapeOrderBySql(sort));
    }
}
