using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Orders.Notifications
{
    public interface IMailer
    {
        Task SendAsync(string to, string body, CancellationToken ct = default);
    }

    public sealed class OrderNotifier
    {
        private readonly IMailer _mailer;

        public OrderNotifier(IMailer mailer) => _mailer = mailer;

        // ruleid: async-void
        public async void NotifyShipped(string email, string orderId)
        {
            await _mailer.SendAsync(email, $"Order {orderId} has shipped");
        }

        // ruleid: async-void
        private async void RefreshTemplates()
        {
            await Task.Delay(10);
        }

        public void Schedule(string email)
        {
            // ruleid: async-void
            async void Fire() => await _mailer.SendAsync(email, "Reminder");
            Fire();
            RefreshTemplates();
        }

        // --- correct code ---

        // ok: async-void
        public async Task NotifyPaidAsync(string email, string orderId, CancellationToken ct)
        {
            await _mailer.SendAsync(email, $"Order {orderId} is paid", ct);
        }

        // Event handlers must be void.
        // A handler named `<source>_<Event>`, wired in XAML to a custom void delegate.
        // ok: async-void
        private async void Orders_OnDuplicate(Order original)
        {
            await _mailer.SendAsync(original.Email, "Duplicated");
        }

        // ruleid: async-void
        private async void Refresh_orders()
        {
            await _mailer.SendAsync("ops@example.com", "Refreshed");
        }

        // ok: async-void
        private async void OnOrderPlaced(object sender, EventArgs e)
        {
            await _mailer.SendAsync("ops@example.com", "New order");
        }

        // ok: async-void
        private async void OnTimer(object? sender, System.Timers.ElapsedEventArgs e)
        {
            await _mailer.SendAsync("ops@example.com", "Tick");
        }
    }

    public sealed class ShipmentPump : IThreadPoolWorkItem
    {
        private readonly IMailer _mailer;
        private readonly TaskCompletionSource _done = new();
        private readonly CancellationToken _stop;

        public ShipmentPump(IMailer mailer, CancellationToken stop) => (_mailer, _stop) = (mailer, stop);

        public Task Completion => _done.Task;

        // The whole loop sits in a try whose catch-all hands the failure to the awaited completion task.
        // ok: async-void
        async void IThreadPoolWorkItem.Execute()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                    await _mailer.SendAsync("ops@example.com", "Shipments", _stop);
                _done.TrySetResult();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                _done.TrySetCanceled(_stop);
            }
            catch (Exception ex)
            {
                _done.TrySetException(ex);
            }
        }

        // A continuation that forwards every outcome to the caller's completion source.
        public Task Forward(Task sent, TaskCompletionSource relay)
        {
            sent.ContinueWith(Relay, TaskScheduler.Default);
            return relay.Task;

            // ok: async-void
            async void Relay(Task t)
            {
                try
                {
                    await t;
                    relay.TrySetResult();
                }
                catch (Exception ex)
                {
                    relay.TrySetException(ex);
                }
            }
        }

        // The catch-all rethrows: the exception still reaches the thread pool.
        // ruleid: async-void
        private async void Drain()
        {
            try
            {
                await _mailer.SendAsync("ops@example.com", "Drain");
            }
            catch (Exception ex)
            {
                _done.TrySetException(ex);
                throw;
            }
        }

        // Guarded first step, unguarded second: the await after the try can still crash the process.
        // ruleid: async-void
        private async void Shutdown()
        {
            try
            {
                await _mailer.SendAsync("ops@example.com", "Stopping");
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine(ex);
            }
            await _mailer.SendAsync("audit@example.com", "Stopped");
        }

        // An interface fixes the void signature, but nothing catches: a failure ends the process.
        // ruleid: async-void
        async void IWorkItem.Run()
        {
            await _mailer.SendAsync("ops@example.com", "Run");
        }
    }

    public class OrdersPage : ContentPageBase
    {
        private readonly OrdersViewModel _viewModel = new();

        // A framework lifecycle hook: the base method is void.
        // ok: async-void
        protected override async void OnAppearing()
        {
            base.OnAppearing();
            await _viewModel.LoadAsync();
        }

        // ok: async-void
        private async void Pin_MarkerClicked(Object sender, PinClickedEventArgs? e)
        {
            await _viewModel.SelectAsync(e?.Pin);
        }
    }

    public sealed class InventoryRefresher
    {
        private readonly IMailer _mailer;
        private readonly Timer _timer;

        public InventoryRefresher(IMailer mailer, SteamCallbacks callbacks, FileWatcher watcher)
        {
            _mailer = mailer;
            _timer = new Timer(OnRefreshTimer, null, TimeSpan.Zero, TimeSpan.FromMinutes(5));
            callbacks.Subscribe<LoggedOnCallback>(OnLoggedOn);
            watcher.Changed += OnFileChanged;
        }

        // Callbacks whose delegate type returns void: flagged at low confidence (opt-in), below the default pack.
        // ruleid: async-void
        private async void OnRefreshTimer(object? state)
        {
            await _mailer.SendAsync("ops@example.com", "Refresh");
        }

        // ruleid: async-void
        private async void OnLoggedOn(LoggedOnCallback callback)
        {
            await _mailer.SendAsync("ops@example.com", "Logged on");
        }

        // ruleid: async-void
        private async void OnFileChanged(string path)
        {
            await _mailer.SendAsync("ops@example.com", path);
        }

        // An event handler whose arguments class ends in Args.
        // ok: async-void
        internal static async void OnNewHistoryEntry(object? sender, HistoryTarget.NewHistoryEntryArgs entry)
        {
            await Task.Yield();
        }

        // An EventHandler<string> handler: the payload need not be an EventArgs.
        // ok: async-void
        private async void OnRoomIdChanged(object? sender, string roomId)
        {
            await _mailer.SendAsync("ops@example.com", roomId);
        }

        // Not an event handler: the first parameter is a state object, not the sender.
        // ruleid: async-void
        private async void OnTick(object state, string reason)
        {
            await _mailer.SendAsync("ops@example.com", reason);
        }

        // Handed to Task.Run: the task completes at the first await, and the exception is lost.
        // ruleid: async-void
        private async void Warm()
        {
            await _mailer.SendAsync("ops@example.com", "Warm");
        }

        public Task WarmInBackground() => Task.Run(Warm);
    }

    public static class LoadGenerator
    {
        public static void Main(string[] args)
        {
            using var client = new HttpClient();
            foreach (var planet in args)
            {
                _ = Task.Run(() => CreateLoad("http://localhost:5000/" + planet));
            }
            Console.ReadKey();

            // A one-off console program: an exception ending it is what any unhandled exception does.
            // ok: async-void
            async void CreateLoad(string prefix)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync(prefix + "/" + i);
                    Console.WriteLine(response.StatusCode);
                }
            }
        }
    }
}
