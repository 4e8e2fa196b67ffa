using System;
using System.Data.Common;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Orders.Fulfilment
{
    public sealed class FulfilmentService : IDisposable
    {
        private readonly HttpClient _http;
        private readonly ILogger<FulfilmentService> _logger;
        private readonly Stream _journal;
        private readonly IReceiptStore _receipts;

        public FulfilmentService(HttpClient http, ILogger<FulfilmentService> logger, Stream journal)
        {
            _http = http;
            _logger = logger;
            _journal = journal;
        }

        public async Task NotifyShippingAsync(string orderId, CancellationToken ct)
        {
            try
            {
                await _http.PostAsync($"/shipments/{orderId}", null, ct);
            }
            // ruleid: swallowed-exception
            catch (Exception)
            {
            }
        }

        public async Task<bool> ReserveAsync(string sku, CancellationToken ct)
        {
            try
            {
                var resp = await _http.PostAsync($"/reservations/{sku}", null, ct);
                return resp.IsSuccessStatusCode;
            }
            // ruleid: swallowed-exception
            catch (HttpRequestException ex) { }
            return true;
        }

        public void WriteJournal(byte[] entry)
        {
            // ruleid: swallowed-exception
            try { _journal.Write(entry); } catch { }
        }

        public async Task<string?> FindCustomerAsync(string id, CancellationToken ct)
        {
            string? body = null;
            try
            {
                body = await _http.GetStringAsync($"/customers/{id}", ct);
            }
            // ruleid: swallowed-exception
            catch
            {
            }
            return body;
        }

        // --- correct code ---

        public async Task NotifyBillingAsync(string orderId, CancellationToken ct)
        {
            try
            {
                await _http.PostAsync($"/billing/{orderId}", null, ct);
            }
            // ok: swallowed-exception
            catch (HttpRequestException ex)
            {
                _logger.LogWarning(ex, "Billing notification failed for {OrderId}", orderId);
                throw;
            }
        }

        public async Task PollAsync(CancellationToken ct)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            // ok: swallowed-exception
            catch (OperationCanceledException)
            {
            }
        }

        public void TryWarmCache()
        {
            try
            {
                File.ReadAllBytes("/var/cache/orders.bin");
            }
            // ok: swallowed-exception
            catch (IOException)
            {
                // The cache is optional: a cold start only costs latency.
            }
        }

        public void TryTouch(string path)
        {
            try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
            // ok: swallowed-exception
            catch (IOException ignored) { }
        }

        public void DropExport(string path)
        {
            try { File.Delete(Path.Combine(path, "export.tmp")); }
            // Already gone: nothing to do.
            // ok: swallowed-exception
            catch (DirectoryNotFoundException) { }
        }

        public static Uri? TryParseCallback(string raw)
        {
            try
            {
                return new UriBuilder(Uri.EscapeUriString(raw)).Uri;
            }
            // ok: swallowed-exception
            catch (UriFormatException)
            {
            }
            return null;
        }

        public static decimal? ParseAmount(string raw)
        {
            decimal? amount = null;
            try
            {
                amount = decimal.Parse(raw, System.Globalization.CultureInfo.InvariantCulture);
            }
            // ok: swallowed-exception
            catch
            {
            }
            return amount;
        }

        public async Task SaveReceiptAsync(Receipt receipt, CancellationToken ct)
        {
            try
            {
                await _receipts.InsertAsync(receipt, ct);
            }
            // Already stored by a concurrent delivery: the insert is idempotent.
            catch (InvalidOperationException) { } // ok: swallowed-exception
        }

        public static string FormatRecipient(string name, string email)
        {
            try
            {
                return new Recipient(name, email).ToString();
            }
            catch // Not a valid mailbox: fall back to the bare address. ok: swallowed-exception
            {
            }
            return email;
        }

        public void Abort(System.Net.Sockets.Socket socket)
        {
            try
            {
                socket.Send(Array.Empty<byte>());
            }
            catch
            {
                // ok: swallowed-exception
                try { socket.Dispose(); } catch { }
            }
        }

        public async Task RetryLaterAsync(Exception error, CancellationToken ct)
        {
            try
            {
                _logger.LogWarning(error, "Fulfilment sync failed, retrying");
                await Task.Delay(1000, ct);
            }
            // ok: swallowed-exception
            catch { }
        }

        public static async Task CloseQuietlyAsync(System.Net.WebSockets.WebSocket socket)
        {
            try
            {
                if (socket.State == System.Net.WebSockets.WebSocketState.Open)
                {
                    using var cts = new CancellationTokenSource(5000);
                    await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
                }
            }
            // ok: swallowed-exception
            catch { }
        }

        public static PublicKey? ReadSignerKey(string hex)
        {
            PublicKey? key = null;
            try
            {
                key = new PublicKey(hex);
            }
            // ok: swallowed-exception
            catch { }
            return key;
        }

        public static System.Net.Sockets.TcpClient? ConnectLedger(string host)
        {
            System.Net.Sockets.TcpClient? client = null;
            try
            {
                client = new System.Net.Sockets.TcpClient(host, 7000);
            }
            // ruleid: swallowed-exception
            catch { }
            return client;
        }

        public async Task CopyAttachmentAsync(string from, string to, CancellationToken ct)
        {
            try
            {
                await _attachments.CopyAsync(from, to, ct);
            }
            // ok: swallowed-exception
            catch (AttachmentAlreadyExistsException)
            {
            }
        }

        public async Task EnsureDefaultRowAsync(OrdersDbContext db, CancellationToken ct)
        {
            try
            {
                db.Settings.Add(new SettingsRow { Id = 1 });
                await db.SaveChangesAsync(ct);
            }
            // ok: swallowed-exception
            catch (DbUpdateException)
            {
            }
        }

        public async Task RefreshRatesAsync(CancellationToken ct)
        {
            try
            {
                await _rates.RefreshAsync(ct);
            }
            // The rate source is often down for minutes: do not flood the log.
            catch (TaskCanceledException)
            {
            }
            // ok: swallowed-exception
            catch (HttpRequestException)
            {
            }
        }

        public async Task<string?> ReadLocalNotesAsync(OrderView view, string path)
        {
            try
            {
                view.Notes = await File.ReadAllTextAsync(path);
            }
            // ok: swallowed-exception
            catch { }
            return view.Notes ?? "";
        }

        public async Task<Customer?> LoadCustomerAsync(string id, CancellationToken ct)
        {
            Customer? customer = null;
            try
            {
                customer = await _billingGateway.GetCustomerAsync(id, ct);
            }
            // ruleid: swallowed-exception
            catch (Exception)
            {
            }
            return customer;
        }

        public static string? DeriveSigningKey(string words, string passphrase)
        {
            string? key = null;
            try
            {
                var mnemonic = new Mnemonic(words);
                key = mnemonic.DeriveKey(passphrase).ToString();
            }
            // ok: swallowed-exception
            catch (Exception)
            {
            }
            return key;
        }

        public bool TryReadCachedRates(string path, out RateTable? rates)
        {
            rates = null;
            try
            {
                rates = RateTable.Load(File.ReadAllText(path));
                return true;
            }
            // ok: swallowed-exception
            catch { }
            return false;
        }

        public string EnsureSpoolDir(string root)
        {
            var dir = Path.Combine(root, "spool");
            try
            {
                if (!Directory.Exists(dir))
                    Directory.CreateDirectory(dir);
            }
            // ok: swallowed-exception
            catch { }
            return dir;
        }

        public async Task<Quote?> LatestQuoteAsync(string symbol)
        {
            Quote? quote = null;
            try
            {
                quote = await FetchQuoteFromExchangeAsync(symbol);
            }
            // ruleid: swallowed-exception
            catch { }
            return quote;
        }

        public async Task<RateSnapshot?> CurrentRatesAsync(CancellationToken ct)
        {
            if (_nextRefresh <= DateTimeOffset.UtcNow)
            {
                try
                {
                    await RefreshRatesAsync(ct);
                }
                // ok: swallowed-exception
                catch { } // the failure is recorded in _latest.Error by RefreshRatesAsync
                return _latest;
            }
            return _latest;
        }

        public async Task SummariseAsync(SqliteCommand cmd, string tmpTable, CancellationToken ct)
        {
            try
            {
                await cmd.ExecuteNonQueryAsync(ct);
            }
            finally
            {
                try
                {
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                // ok: swallowed-exception
                catch { }
            }
        }

        public async Task UploadPartsAsync(Stream body, CancellationToken ct)
        {
            try
            {
                await _http.PostAsync("/uploads/parts", new StreamContent(body), ct);
            }
            catch (Exception)
            {
                try
                {
                    await _http.PostAsync("/uploads/abort", null, ct);
                }
                // ok: swallowed-exception
                catch { }
                throw;
            }
        }

        public static long ReadInt64OrDefault(System.Data.IDataReader reader, int index)
        {
            try
            {
                if (!reader.IsDBNull(index))
                    return reader.GetInt64(index);
            }
            // ok: swallowed-exception
            catch { }
            return -1;
        }

        private static readonly Lazy<string> InstallId = new Lazy<string>(() =>
        {
            try
            {
                return File.ReadAllText("/var/lib/orders/install-id").Trim();
            }
            // ok: swallowed-exception
            catch (Exception) { }
            return "unknown";
        });

        public static int ConsoleWidth()
        {
            var width = 80;
            try
            {
                // This can go wrong when no console is attached.
                width = Math.Max(12, Console.WindowWidth);
            }
            // ok: swallowed-exception
            catch { }
            return width;
        }

        public void ReportCrash(Exception ex)
        {
            try { File.WriteAllText("/var/log/orders/crash.txt", ex.ToString()); }
            // ok: swallowed-exception
            catch { }
        }

        public void Dispose()
        {
            // ok: swallowed-exception
            try { _journal.Flush(); } catch { }
            _journal.Dispose();
        }

        public async Task UpgradeSchemaAsync(DbConnection connection)
        {
            // Additive steps run on every start: "already exists" after the first time.
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "CREATE INDEX index_server ON dns_logs (server);";
                try
                {
                    await command.ExecuteNonQueryAsync();
                }
                // ok: swallowed-exception
                catch
                { }
            }
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "ALTER TABLE dns_logs ADD server varchar(255);";
                try
                {
                    await command.ExecuteNonQueryAsync();
                }
                // ok: swallowed-exception
                catch
                { }
            }
            // Changing a column's type should not fail: if it does, nobody is told.
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "ALTER TABLE dns_logs MODIFY COLUMN qtype SMALLINT UNSIGNED;";
                try
                {
                    await command.ExecuteNonQueryAsync();
                }
                // ruleid: swallowed-exception
                catch
                { }
            }
        }
    }
}
