using System;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace Orders.Api
{
    public sealed record Order(string Id, decimal Total);
    public sealed record OrderPair(Order? First, Order? Second);

    public sealed class OrderLookup
    {
        private readonly HttpClient _http;

        public OrderLookup(HttpClient http) => _http = http;

        public Order? Get(string id)
        {
            // ruleid: sync-over-async
            return _http.GetFromJsonAsync<Order>($"/orders/{id}").Result;
        }

        public string Status(string id)
        {
            // ruleid: sync-over-async
            return _http.GetStringAsync($"/orders/{id}/status").GetAwaiter().GetResult();
        }

        public async Task<string> ExplainFailureAsync(string id, HttpContent form)
        {
            var posted = await _http.PostAsync($"/orders/{id}/confirm", form);
            // The body was buffered before the await returned: nothing left to wait for.
            // ok: sync-over-async
            var detail = posted.Content.ReadAsStringAsync().Result;
            HttpResponseMessage audit;
            audit = await _http.GetAsync($"/orders/{id}/audit").ConfigureAwait(false);
            // ok: sync-over-async
            var trail = audit.Content.ReadAsByteArrayAsync().Result;
            var streamed = await _http.GetAsync($"/orders/{id}/export", HttpCompletionOption.ResponseHeadersRead);
            // Headers only: the body is still on the wire.
            // ruleid: sync-over-async
            var export = streamed.Content.ReadAsStringAsync().Result;
            return detail + trail.Length + export;
        }

        public async Task<string> DescribeAsync(HttpResponseMessage handedIn)
        {
            await Task.Yield();
            // Not read here: nothing says the body is buffered.
            // ruleid: sync-over-async
            return handedIn.Content.ReadAsStringAsync().Result;
        }

        public Order? Seed(string path)
        {
            // A whole local file: bounded local I/O, not a remote wait.
            // ok: sync-over-async
            var json = File.ReadAllTextAsync(path).Result;
            // ok: sync-over-async
            System.IO.File.WriteAllTextAsync(path + ".seen", json).Wait();
            // ruleid: sync-over-async
            var remote = _http.GetStringAsync($"/seeds/{path}").Result;
            return System.Text.Json.JsonSerializer.Deserialize<Order>(json + remote);
        }

        public void Cancel(string id)
        {
            var pending = _http.DeleteAsync($"/orders/{id}");
            // ruleid: sync-over-async
            pending.Wait();
        }

        public decimal Totals(Task<decimal> net, Task<decimal> tax)
        {
            // ruleid: sync-over-async
            Task.WaitAll(net, tax);
            // The wait above is the blocking part; these read completed tasks.
            // ok: sync-over-async
            return net.Result + tax.Result;
        }

        public string ReadOne(Task<string> stdout, Task<string> stderr, bool wantErrors)
        {
            // ruleid: sync-over-async
            return (wantErrors ? stderr : stdout).GetAwaiter().GetResult();
        }

        public string ReadBoth(Task<string> stdout, Task<string> stderr, bool wantErrors)
        {
            // ruleid: sync-over-async
            Task.WaitAll(stdout, stderr);
            // The wait above is reported; whichever task is picked has completed.
            // ok: sync-over-async
            return (wantErrors ? stderr : stdout).GetAwaiter().GetResult();
        }

        // --- correct code ---

        // A fast path on a task known to be complete: the state is checked before the result is read.
        public OrderPair Pair(Task<Order> first, Task<Order> second)
        {
            // ok: sync-over-async
            var a = first.Status == TaskStatus.RanToCompletion ? first.GetAwaiter().GetResult() : default;
            var b = second.IsCompletedSuccessfully ? second.Result : default;
            return new OrderPair(a, b);
        }

        public static void Complete(Task<Order> task, TaskCompletionSource<Order> source)
        {
            switch (task.Status)
            {
                case TaskStatus.Faulted:
                    source.TrySetException(task.Exception!.InnerExceptions);
                    break;
                case TaskStatus.RanToCompletion:
                    source.TrySetResult(task.Result); // ok: sync-over-async
                    break;
            }
        }

        public async Task<decimal> TotalsAsync(string id, CancellationToken ct)
        {
            var net = _http.GetFromJsonAsync<decimal>($"/orders/{id}/net", ct);
            var tax = _http.GetFromJsonAsync<decimal>($"/orders/{id}/tax", ct);
            await Task.WhenAll(net, tax);
            // ok: sync-over-async
            return net.Result + tax.Result;
        }

        public ValueTask<Order?> CachedAsync(ValueTask<Order?> pending)
        {
            // ok: sync-over-async
            return pending.IsCompletedSuccessfully ? new ValueTask<Order?>(pending.Result) : pending;
        }

        public async Task<Order?> FirstOfAsync(Task<Order?> primary, Task<Order?> replica)
        {
            if (await Task.WhenAny(primary, replica).ConfigureAwait(false) == primary && primary.IsCompletedSuccessfully)
            {
                // Completed already: WhenAny returned it.
                // ok: sync-over-async
                return primary.GetAwaiter().GetResult();
            }
            return await replica.ConfigureAwait(false);
        }

        public ActionResult<Order> Wrap(ActionResult<Order> result)
        {
            // ActionResult<T>.Result is not a task.
            // ok: sync-over-async
            return result.Result is null ? result : result;
        }
    }

    public interface IAccessCheck
    {
        Task<bool> CanRead(string orgId);
        ValidationOutcome Validate(Order order);
    }

    public sealed record ValidationOutcome(bool Result);

    public sealed class ReportsController : ControllerBase
    {
        private readonly IAccessCheck _access;

        public ReportsController(IAccessCheck access) => _access = access;

        public async Task<IActionResult> Get(string orgId)
        {
            if (!await _access.CanRead(orgId))
            {
                return NotFound();
            }
            return Ok();
        }

        public async Task<IActionResult> Import(Order[] orders, string[] orgIds)
        {
            // The file awaits CanRead elsewhere: it returns a task although its name has no Async suffix.
            // ruleid: sync-over-async
            if (orgIds.Any(o => _access.CanRead(o).Result == false))
            {
                return NotFound();
            }
            // Validate is never awaited: its Result is a plain property.
            // ok: sync-over-async
            if (orders.Any(o => _access.Validate(o).Result == false))
            {
                return BadRequest();
            }
            await Task.Yield();
            return Ok();
        }
    }

    public static class AsyncBridge
    {
        private static readonly TaskFactory Factory = new TaskFactory(TaskScheduler.Default);

        // The sync bridge itself: its callers decide to block.
        public static TResult Run<TResult>(Func<Task<TResult>> func)
        {
            // ok: sync-over-async
            return Factory.StartNew(func).Unwrap().GetAwaiter().GetResult();
        }

        public static async Task<IReadOnlyList<decimal>> QuotesAsync(IRateProvider rates, string[] pairs)
        {
            var fetching = pairs.ToDictionary(p => p, p => rates.GetRateAsync(p));
            await Task.WhenAll(fetching.Select(f => f.Value).ToArray());
            // ok: sync-over-async
            return pairs.Select(p => fetching[p].GetAwaiter().GetResult()).ToList();
        }

        public static IReadOnlyList<decimal> QuotesBlocking(IRateProvider rates, string[] pairs)
        {
            var pending = pairs.ToDictionary(p => p, p => rates.GetRateAsync(p));
            // ruleid: sync-over-async
            return pairs.Select(p => pending[p].GetAwaiter().GetResult()).ToList();
        }
    }

    public class CurrencyTable
    {
        private static readonly HashSet<string> Known;

        static CurrencyTable()
        {
            var provider = new EmbeddedCurrencyProvider();
            // It's OK that this is sync: it runs once, reading an embedded resource.
            Known = provider.LoadAsync(default).GetAwaiter().GetResult().ToHashSet(); // ok: sync-over-async
        }

        public string Describe(IRateProvider rates)
        {
            // Fetch the latest rate for the banner.
            // ruleid: sync-over-async
            return rates.GetRateAsync("BTC_USD").GetAwaiter().GetResult().ToString();
        }

        public string Legacy(IRateProvider rates)
        {
#pragma warning disable VSTHRD002 // Called only from the legacy sync plugin API, which has no async overload.
            // ok: sync-over-async
            return rates.GetRateAsync("BTC_EUR").Result.ToString();
#pragma warning restore VSTHRD002
        }

        public string Keys(IRateProvider rates)
        {
#pragma warning disable S4462 // Calls to "async" methods should not be blocking
            // Justification: the token validation library's key resolver delegate is synchronous.
            // ok: sync-over-async
            return rates.GetRateAsync("BTC_GBP").GetAwaiter().GetResult().ToString();
#pragma warning restore S4462
        }
    }

    public sealed class ListSync
    {
        private readonly TaskFactory _factory = new TaskFactory(TaskCreationOptions.LongRunning, TaskContinuationOptions.None);

        public void FetchAll(System.Collections.Generic.IList<Action> fetchers)
        {
            var tasks = new System.Collections.Generic.List<Task>();
            foreach (var fetch in fetchers)
            {
                tasks.Add(_factory.StartNew(() => { fetch(); }));
            }
            // Fork-join over synchronous fetches on their own threads.
            // ok: sync-over-async
            Task.WaitAll(tasks.ToArray());
        }

        public void RefreshAll(System.Collections.Generic.IList<string> urls, HttpClient http)
        {
            var tasks = urls.Select(u => Task.Run(async () => await http.GetStringAsync(u))).ToArray();
            // ruleid: sync-over-async
            Task.WaitAll(tasks);
        }

        public async Task<string> FirstConnected(Task<string> primary, Task<string> fallback)
        {
            Task<string> winner = primary;
            await Task.WhenAll(primary, fallback).ConfigureAwait(false);
            // ok: sync-over-async
            return winner.Result;
        }

        public void Download(HttpClient http, string url)
        {
            // The thread-pool hack: no synchronization context is captured on the pool thread.
            Task.Run(() => http.GetStringAsync(url)).GetAwaiter().GetResult(); // ok: sync-over-async
        }
    }

    // A stream over an async-only store: Stream forces the sync members to exist.
    public sealed class BlobStream : System.IO.Stream
    {
        private readonly IBlobStore _store;
        private long _position;

        public BlobStream(IBlobStore store) => _store = store;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var reading = ReadAsync(buffer, offset, count, timeout.Token);
            return reading.GetAwaiter().GetResult(); // ok: sync-over-async
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            var read = await _store.ReadAsync(_position, buffer.AsMemory(offset, count), ct);
            _position += read;
            return read;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            var writing = WriteAsync(buffer, offset, count, CancellationToken.None);
            writing.Wait(); // ok: sync-over-async
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            _store.AppendAsync(buffer.AsMemory(offset, count), ct);

        public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult(); // ok: sync-over-async

        public override Task FlushAsync(CancellationToken ct) => _store.CommitAsync(ct);

        // An override that blocks on some other call, not on its own async twin.
        public override void SetLength(long value)
        {
            // ruleid: sync-over-async
            _store.TruncateAsync(value, CancellationToken.None).GetAwaiter().GetResult();
        }

        public override long Seek(long offset, System.IO.SeekOrigin origin) => throw new NotSupportedException();
    }

    // A stream over a raw disk: the sync Read loads its buffer through some other async call, and the class
    // offers ReadAsync / DisposeAsync for callers that can await.
    public sealed class SectorStream : System.IO.Stream
    {
        private readonly IRawDisk _disk;
        private readonly byte[] _buffer = new byte[4096];
        private bool _loaded;

        public SectorStream(IRawDisk disk) => _disk = disk;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _buffer.Length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_loaded)
            {
                // ok: sync-over-async
                _disk.ReadBytesAsync(0, _buffer, CancellationToken.None).GetAwaiter().GetResult();
                _loaded = true;
            }
            return CopyOut(buffer, offset, count);
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            if (!_loaded)
            {
                await _disk.ReadBytesAsync(0, _buffer, ct);
                _loaded = true;
            }
            return CopyOut(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            // ok: sync-over-async
            _disk.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await _disk.FlushAsync(CancellationToken.None);
            await base.DisposeAsync();
        }

        public override void Flush() { }
        public override long Seek(long offset, System.IO.SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        private int CopyOut(byte[] buffer, int offset, int count) => count;
    }

    public sealed class KeyringSession : IDisposable
    {
        private readonly IKeyringConnection _session;

        public KeyringSession(IKeyringConnection session) => _session = session;

        public void Refresh(CancellationToken ct)
        {
            var pending = _session.RefreshAsync(ct);
            // A token is no time limit.
            // ruleid: sync-over-async
            pending.Wait(ct);
        }

        public void Dispose()
        {
            // No DisposeAsync to offer instead, and no bound on the wait.
            // ruleid: sync-over-async
            try { _session.CloseAsync().Wait(); } catch { }
        }
    }

    public static class ProcessRunner
    {
        public static (int, string, string) Run(Process process, TimeSpan limit)
        {
            var outputTask = process.StandardOutput.ReadToEndAsync();
            var errorTask = process.StandardError.ReadToEndAsync();
            // A bounded wait: the caller handles the timeout.
            // ok: sync-over-async
            if (!Task.WaitAll([outputTask, errorTask], limit))
            {
                process.Kill();
                return (-1, "", "timed out");
            }
            // ok: sync-over-async
            return (process.ExitCode, outputTask.Result, errorTask.Result);
        }

        public static string RunTool(Process process, int timeoutMs)
        {
            var outputTask = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeoutMs))
            {
                process.Kill();
                throw new TimeoutException();
            }
            // The process has exited: its output pipe is closed.
            // ok: sync-over-async
            return outputTask.Result;
        }

        public static FolderStatus? StatusOrNull(IStatusClient client, string path)
        {
            var statusTask = client.GetFolderStatusAsync(path);
            // ok: sync-over-async
            if (!statusTask.Wait(TimeSpan.FromMilliseconds(100)))
            {
                return null;
            }
            // ok: sync-over-async
            return statusTask.Result;
        }
    }

    public static class TaskBridge
    {
        // The project's sync bridge: call sites of Await() are where the blocking is decided.
        public static T Await<T>(this Task<T> task)
        {
            // ok: sync-over-async
            return task.ConfigureAwait(false).GetAwaiter().GetResult();
        }

        // The End half of an APM pair blocks by contract, normally from the completion callback.
        public static TResult End<TResult>(IAsyncResult asyncResult)
        {
            var task = (Task<TResult>)asyncResult;
            // ok: sync-over-async
            return task.GetAwaiter().GetResult();
        }
    }

    public sealed class Startup
    {
        public void Configure(Microsoft.AspNetCore.Builder.IApplicationBuilder app, IServiceProvider services)
        {
            StartSchedulerAsync(services).GetAwaiter().GetResult(); // ok: sync-over-async
        }

        private static Task StartSchedulerAsync(IServiceProvider services) => Task.CompletedTask;
    }

    // A file-system reader over a raw disk image: block-device reads of bounded size, not remote calls.
    public sealed class BootSectorReader
    {
        private readonly IPartition m_partition;
        private readonly IRawDisk _disk;
        private readonly byte[] _bootSector = new byte[512];

        public BootSectorReader(IPartition partition, IRawDisk disk)
        {
            m_partition = partition;
            _disk = disk;
            // ok: sync-over-async
            using (var stream = partition.OpenReadAsync(CancellationToken.None).Result)
            {
                stream.ReadExactly(_bootSector);
            }
        }

        public void Flush(long offset, byte[] buffer)
        {
            // ok: sync-over-async
            _disk.WriteBytesAsync(offset, buffer.AsMemory(), CancellationToken.None).GetAwaiter().GetResult();
        }

        public Stream Open(CancellationToken ct)
        {
            // ok: sync-over-async
            return m_partition.OpenReadAsync(ct).Result;
        }
    }

    public sealed class InProcessHost
    {
        private readonly string[] _args;

        public InProcessHost(string[] args) => _args = args;

        public void Start()
        {
            var thread = new Thread(RunAgent) { IsBackground = true, Name = "Agent Runner" };
            thread.Start();
        }

        // The dedicated thread runs the agent program to completion.
        private void RunAgent()
        {
            // ok: sync-over-async
            Agent.Program.MainAsync(_args).ConfigureAwait(false).GetAwaiter().GetResult();
        }
    }

    public static class ProxyEndpoints
    {
        public static ProxyConfigLoader Map(IServiceProvider services)
        {
            var loader = services.GetRequiredService<ProxyConfigLoader>();
            // Loading the config is async but startup is sync. We want this to block so that a bad
            // config stops the app from starting and every route is ready before the first request.
            // Later reloads are async.
            // ok: sync-over-async
            loader.InitialLoadAsync().GetAwaiter().GetResult();
            return loader;
        }

        public static ProxyConfigLoader Reload(ProxyConfigLoader loader)
        {
            // A comment that explains something else does not acknowledge the blocking.
            // ruleid: sync-over-async
            loader.ReloadAsync().GetAwaiter().GetResult();
            return loader;
        }
    }

    public sealed class JobScope
    {
        private readonly IServiceScope _scope;

        public JobScope(IServiceScope scope) => _scope = scope;

        public void DisposeScope()
        {
            if (_scope is IAsyncDisposable asyncDisposable)
            {
                // Scopes are disposed on the worker's own dedicated thread, while the task completes on
                // the thread pool, so no deadlock can happen here.
#pragma warning disable CA2012
                // ok: sync-over-async
                asyncDisposable.DisposeAsync().ConfigureAwait(false).GetAwaiter().GetResult();
#pragma warning restore CA2012
                return;
            }
            _scope.Dispose();
        }

        public void WaitForHeartbeat(HeartbeatProcess heartbeat, CancellationToken shutdownToken)
        {
            // TODO: expose the wait handle so this no longer performs sync-over-async (next major).
            // ok: sync-over-async
            heartbeat.WaitAsync(Timeout.InfiniteTimeSpan, shutdownToken).GetAwaiter().GetResult();
        }

        public void WaitForDrain(HeartbeatProcess heartbeat, CancellationToken shutdownToken)
        {
            // Deadlocks here took the service down twice; the drain must finish before the scope goes.
            // ruleid: sync-over-async
            heartbeat.DrainAsync(shutdownToken).GetAwaiter().GetResult();
        }
    }

    public sealed class RemoteSettingsProvider : ConfigurationProvider
    {
        private readonly HttpClient _http = new();

        public override void Load()
        {
            // ok: sync-over-async
            Data = FetchAsync().ConfigureAwait(false).GetAwaiter().GetResult();
        }

        public IDictionary<string, string?> Reload()
        {
            // ruleid: sync-over-async
            return FetchAsync().ConfigureAwait(false).GetAwaiter().GetResult();
        }

        private async Task<IDictionary<string, string?>> FetchAsync() =>
            await _http.GetFromJsonAsync<Dictionary<string, string?>>("https://settings.internal/v1") ?? new();
    }

    public sealed class ReplyDispatcher
    {
        public Task<object?> ToResponse(Task<Order> pending) =>
            // ok: sync-over-async
            pending.ContinueWith(t => (object?)t.GetAwaiter().GetResult(), TaskContinuationOptions.ExecuteSynchronously);

        public Task<object?> Unwrap(Task pending) =>
            pending.ContinueWith<object?>(t =>
            {
                // ok: sync-over-async
                t.GetAwaiter().GetResult();
                return null;
            });

        public Task<object?> ToResponseBlocking(Task<Order> pending, Task<Order> other) =>
            // ruleid: sync-over-async
            pending.ContinueWith(t => (object?)other.GetAwaiter().GetResult());

        public async Task<object?> Invoke(Task<Order> awaitable)
        {
            await awaitable;
            // ok: sync-over-async
            return awaitable.GetAwaiter().GetResult();
        }

        public async Task<object?> InvokeOther(Task<Order> awaitable, Task<Order> later)
        {
            await awaitable;
            // ruleid: sync-over-async
            return later.GetAwaiter().GetResult();
        }

        public static bool Drained(Task loop, TimeSpan limit)
        {
            // ok: sync-over-async
            return loop.Wait(limit);
        }

        public static bool DrainedOrCancelled(Task loop, CancellationToken token)
        {
            // ruleid: sync-over-async
            return loop.Wait(token) || token.IsCancellationRequested;
        }

        public Order Cached(Task<Order> refresh)
        {
            // Refreshed by the warm-up service before start, so getting the result here is non-blocking.
            // ok: sync-over-async
            return refresh.GetAwaiter().GetResult();
        }
    }

    public sealed class StatsService
    {
        private readonly Func<Task<string>> _connect;

        public StatsService(Func<Task<string>> connect) => _connect = connect;

        public Task<string> ConnectionAsync()
        {
            // ruleid: sync-over-async
            var connection = Task.Run(() => _connect()).Result;
            return Task.FromResult(connection);
        }

        public async Task WarmUpAsync()
        {
            // ruleid: sync-over-async
            Task.Factory.StartNew(() => _connect()).Wait();
            // ok: sync-over-async
            var ready = await Task.Run(() => _connect());
            Console.WriteLine(ready);
        }
    }

    public sealed class FlagFetcher
    {
        private readonly HttpClient _http = new HttpClient();

        public async Task<string> GetAllFlagsAsync(Uri uri)
        {
            try
            {
                return await _http.GetStringAsync(uri);
            }
            catch (HttpRequestException)
            {
                // ruleid: sync-over-async
                System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(1)).Wait();
                return await _http.GetStringAsync(uri);
            }
        }

        public async Task RestartAsync(Uri uri)
        {
            // ruleid: sync-over-async
            Task.Delay(1000).Wait();
            // ok: sync-over-async
            await Task.Delay(1000);
            // ok: sync-over-async
            await Task.Delay(1000).ContinueWith(_ => Console.WriteLine("restarting"));
            // ruleid: sync-over-async
            Task.Delay(TimeSpan.FromMilliseconds(250)).Wait();
            await _http.GetStringAsync(uri);
        }

        // ok: sync-over-async
        public Task WarmAsync() => Task.Delay(1000).ContinueWith(_ => Console.WriteLine("warm"));
    }

    public sealed class TimerListener
    {
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

        private void OnTimer(object sender, EventArgs e)
        {
            // HandleTimerEvent is declared below returning a task: the timer thread blocks on it.
            // ruleid: sync-over-async
            HandleTimerEvent().Wait();
        }

        public void Start()
        {
            Task.Run(async () =>
            {
                // ruleid: sync-over-async
                var loaded = LoadNextSong().Result;
                // Gate returns a SemaphoreSlim, not a task: its Wait takes the lock.
                // ok: sync-over-async
                Gate().Wait();
                await Task.Delay(loaded ? 1000 : 10);
            });
        }

        private SemaphoreSlim Gate() => _gate;

        internal async Task HandleTimerEvent() => await Task.Delay(10);

        private Task<bool> LoadNextSong() => Task.FromResult(true);
    }

    public class HtmlImport
    {
        private readonly IBrowsingContext _context = BrowsingContext.New(Configuration.Default);

        public async Task<int> ImportAsync(string html)
        {
            // An HTML string parsed in memory: the task is done when it is returned.
            // ok: sync-over-async
            var doc = _context.OpenAsync(req => req.Content(html)).Result;
            await Task.Yield();
            return doc.Images.Length;
        }
    }

    public sealed record ScriptResponse(bool Success, string Result);

    public interface IScriptRunner
    {
        ScriptResponse Run(string script);
    }

    public sealed class RuleEvaluator
    {
        private readonly IScriptRunner _runner;
        private readonly HttpClient _http;

        public RuleEvaluator(IScriptRunner runner, HttpClient http)
        {
            _runner = runner;
            _http = http;
        }

        public async Task<bool> EvaluateAsync(string script)
        {
            await Task.Yield();
            // A synchronous runner's response: its `Result` is a string, not a task's.
            var response = _runner.Run(script);
            // ok: sync-over-async
            return response.Success && bool.Parse(response.Result);
        }

        public async Task<string> FetchRulesAsync(string url)
        {
            await Task.Yield();
            var download = Task.Run(() => _http.GetStringAsync(url));
            // ruleid: sync-over-async
            return download.Result;
        }

        public async Task<string> FetchRulesOnFactoryAsync(string url)
        {
            await Task.Yield();
            var download = Task.Factory.StartNew(() => File.ReadAllText(url));
            // ruleid: sync-over-async
            return download.Result;
        }
    }

    public static class Program
    {
        public static void Main(string[] args)
        {
            using var http = new HttpClient();
            // ok: sync-over-async
            var health = http.GetStringAsync("https://orders.internal/health").GetAwaiter().GetResult();
            Console.WriteLine(health);
        }
    }
}
