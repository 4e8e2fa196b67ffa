using System;
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
}
