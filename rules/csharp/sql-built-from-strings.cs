using System.Data;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;

namespace Orders.Data
{
    public sealed class Order
    {
        public int Id { get; set; }
        public string CustomerId { get; set; } = "";
    }

    public sealed class OrdersDb : DbContext
    {
        public DbSet<Order> Orders => Set<Order>();
    }

    public sealed class OrderRepository
    {
        private readonly OrdersDb _db;
        private readonly SqlConnection _conn;

        public OrderRepository(OrdersDb db, SqlConnection conn)
        {
            _db = db;
            _conn = conn;
        }

        public async Task<int> CountAsync(string customerId, CancellationToken ct)
        {
            // ruleid: sql-built-from-strings
            using var cmd = new SqlCommand($"SELECT COUNT(*) FROM Orders WHERE CustomerId = '{customerId}'", _conn);
            return (int)(await cmd.ExecuteScalarAsync(ct))!;
        }

        public async Task ArchiveAsync(string status, CancellationToken ct)
        {
            using var cmd = _conn.CreateCommand();
            // ruleid: sql-built-from-strings
            cmd.CommandText = "UPDATE Orders SET Archived = 1 WHERE Status = '" + status + "'";
            await cmd.ExecuteNonQueryAsync(ct);
        }

        public List<Order> ByCustomer(string customerId)
        {
            // ruleid: sql-built-from-strings
            return _db.Orders.FromSqlRaw($"SELECT * FROM Orders WHERE CustomerId = '{customerId}'").ToList();
        }

        public Task<int> PurgeAsync(string region, CancellationToken ct)
        {
            // ruleid: sql-built-from-strings
            return _db.Database.ExecuteSqlRawAsync("DELETE FROM Orders WHERE Region = '" + region + "'", ct);
        }

        public List<Order> ByRegion(string region)
        {
            // ruleid: sql-built-from-strings
            return _db.Orders.FromSqlRaw($"SELECT * FROM Orders WHERE Region = {region}").ToList();
        }

        public Task<IEnumerable<Order>> SearchAsync(string term)
        {
            var sql = $"SELECT * FROM Orders WHERE Notes LIKE '%{term}%'";
            // ruleid: sql-built-from-strings
            return _conn.QueryAsync<Order>(sql);
        }

        public Task<IEnumerable<Order>> ByCouponAsync(string coupon)
        {
            // ruleid: sql-built-from-strings
            return _conn.QueryAsync<Order>(string.Format("SELECT * FROM Orders WHERE Coupon = '{0}'", coupon));
        }

        public Task<IEnumerable<Order>> ByReferenceAsync(string reference)
        {
            var sql = "SELECT * FROM Orders WHERE Reference = '" + reference + "'";
            // ruleid: sql-built-from-strings
            return _conn.QueryAsync<Order>(sql);
        }

        // --- correct code ---

        public async Task EnqueueAsync(int id, string data)
        {
            // A statement split over lines is still one constant: every value is a Dapper parameter.
            const string sqlInsert = "INSERT INTO [orders].[InternalCommands] ([Id], [Data]) VALUES " +
                                     "(@Id, @Data)";
            // ok: sql-built-from-strings
            await _conn.ExecuteAsync(sqlInsert, new { Id = id, Data = data });
        }

        public async Task<int> CountSafeAsync(string customerId, CancellationToken ct)
        {
            // ok: sql-built-from-strings
            using var cmd = new SqlCommand("SELECT COUNT(*) FROM Orders WHERE CustomerId = @customerId", _conn);
            cmd.Parameters.AddWithValue("@customerId", customerId);
            return (int)(await cmd.ExecuteScalarAsync(ct))!;
        }

        public List<Order> ByCustomerSafe(string customerId)
        {
            // ok: sql-built-from-strings
            return _db.Orders.FromSqlInterpolated($"SELECT * FROM Orders WHERE CustomerId = {customerId}").ToList();
        }

        public Task<IEnumerable<Order>> ByIdsAsync(IReadOnlyList<int> ids)
        {
            var paramNames = ids.Select((_, i) => "@p" + i).ToList();
            var args = new DynamicParameters();
            for (var i = 0; i < ids.Count; i++)
            {
                args.Add(paramNames[i], ids[i]);
            }
            // ok: sql-built-from-strings
            return _conn.QueryAsync<Order>($"SELECT * FROM Orders WHERE Id IN ({string.Join(", ", paramNames)})", args);
        }

        public Task<IEnumerable<Order>> ByStatusAsync(string status)
        {
            // ok: sql-built-from-strings
            return _conn.QueryAsync<Order>("SELECT * FROM Orders " + "WHERE Status = @status", new { status });
        }

        public Task<int> ResetAsync(CancellationToken ct)
        {
            // ok: sql-built-from-strings
            return _db.Database.ExecuteSqlRawAsync($"TRUNCATE TABLE {nameof(Order)}s", ct);
        }

        private const string Schema = "dbo";
        private const string Table = "Order";

        public Task<IEnumerable<Order>> ByCustomerProcAsync(int customerId)
        {
            // A stored procedure named after the repository's schema and table.
            // ok: sql-built-from-strings
            return _conn.QueryAsync<Order>($"[{Schema}].[{Table}_ReadByCustomerId]", new { CustomerId = customerId },
                commandType: CommandType.StoredProcedure);
        }

        public Task<IEnumerable<Order>> SortedAsync(string column)
        {
            // An identifier position (ORDER BY): the column comes from the caller's allow-list.
            // ok: sql-built-from-strings
            return _conn.QueryAsync<Order>(string.Format("SELECT * FROM Orders ORDER BY {0}", column));
        }

        public long ColumnExists(SqlConnection connection, string table, string column)
        {
            using var cmd = connection.CreateCommand();
            // Table and column names compared in the catalogue: names the code passes, not a caller's data.
            // ok: sql-built-from-strings
            cmd.CommandText = $"SELECT COUNT(1) FROM pragma_table_xinfo('{table}') WHERE lower(name) = '{column}';";
            return (long)cmd.ExecuteScalar()!;
        }

        public void CreateDatabase(SqlConnection connection, string databaseNameQuoted)
        {
            // ok: sql-built-from-strings
            using var cmd = new SqlCommand(
                "IF ((SELECT COUNT(1) FROM sys.databases WHERE [name] = @DatabaseName) = 0) " +
                "CREATE DATABASE " + databaseNameQuoted + ";", connection);
            cmd.ExecuteNonQuery();
        }

        public void RemoveDuplicates(IDbTransaction tran, int seriesId, IEnumerable<int> tagIds)
        {
            // Integer ids: an id-named hole, an id list joined unquoted, or an id's ToString() cannot carry a quote.
            using var cmd = tran.Connection.CreateCommand();
            // ok: sql-built-from-strings
            cmd.CommandText = $"DELETE FROM \"Episodes\" WHERE \"SeriesId\" = {seriesId}";
            cmd.ExecuteNonQuery();
            // ok: sql-built-from-strings
            cmd.CommandText = $"DELETE FROM \"Tags\" WHERE \"Id\" IN ({string.Join(", ", tagIds)})";
            cmd.ExecuteNonQuery();
            // ok: sql-built-from-strings
            cmd.CommandText = string.Format("DELETE FROM \"History\" WHERE \"SeriesId\" = {0}", seriesId.ToString());
            cmd.ExecuteNonQuery();
            var usedTagList = string.Join(",", tagIds);
            // An unquoted IN list holds numbers: strings would need quotes around each item.
            // ok: sql-built-from-strings
            cmd.CommandText = $"DELETE FROM \"Tags\" WHERE NOT \"Id\" IN ({usedTagList})";
            cmd.ExecuteNonQuery();
        }

        public void Tune(SqliteConnection conn, long pageSize, List<string> versions)
        {
            using var cmd = conn.CreateCommand();
            // PRAGMA takes settings, which no parameter can carry.
            // ok: sql-built-from-strings
            cmd.CommandText = $"PRAGMA busy_timeout={DefaultBusyTimeoutMs}";
            cmd.ExecuteNonQuery();
            // A count formatted with a culture is a number.
            // ok: sql-built-from-strings
            cmd.CommandText = "UPDATE version SET Version = " + versions.Count.ToString(CultureInfo.InvariantCulture);
            cmd.ExecuteNonQuery();
            // An enum cast to int is a number.
            // ok: sql-built-from-strings
            cmd.CommandText = $"DELETE FROM {TableName} WHERE status = {(int)CalculationStatus.Spent} OR status = $archive";
            cmd.ExecuteNonQuery();
            // LIMIT takes a row count.
            // ok: sql-built-from-strings
            cmd.CommandText = $"SELECT * FROM LogData ORDER BY Timestamp DESC LIMIT {pageSize}";
            cmd.ExecuteNonQuery();
        }

        public Task PurgeAsync(IEnumerable<string> tableNames)
        {
            var deletes = tableNames.Select(t => $"DELETE FROM \"{t}\";");
            var script = $"""
                PRAGMA foreign_keys = OFF;
                {string.Join('\n', deletes)}
                PRAGMA foreign_keys = ON;
                """;
            // Statements assembled from table names; no value position is filled.
            // ok: sql-built-from-strings
            return _db.Database.ExecuteSqlRawAsync(script);
        }
    }
}
