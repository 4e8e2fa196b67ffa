using System.Diagnostics;
using System.Threading.Tasks;

namespace Orders.Exports
{
    public sealed class ExportService
    {
        private const string ExportRoot = "/var/exports";

        public void ArchiveOrder(string orderId)
        {
            // ruleid: shell-command-from-variables
            Process.Start("/bin/sh", $"-c \"tar czf {ExportRoot}/{orderId}.tgz /data/orders/{orderId}\"");
        }

        public void OpenReport(string reportPath)
        {
            // ruleid: shell-command-from-variables
            Process.Start("cmd.exe", "/c start " + reportPath);
        }

        public Process? RunTool(string tool, string customer)
        {
            // ruleid: shell-command-from-variables
            return Process.Start($"/opt/tools/{tool}");
        }

        public async Task CompressAsync(string folder)
        {
            var psi = new ProcessStartInfo
            {
                FileName = "bash",
                // ruleid: shell-command-from-variables
                Arguments = $"-c \"zip -r {folder}.zip {folder}\"",
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(psi)!;
            await process.WaitForExitAsync();
        }

        public void Purge(string customerId)
        {
            var psi = new ProcessStartInfo();
            psi.FileName = "powershell.exe";
            // ruleid: shell-command-from-variables
            psi.Arguments = string.Format("-Command Remove-Item C:\\exports\\{0} -Recurse", customerId);
            Process.Start(psi);
        }

        // --- correct code ---

        public void ArchiveSafely(string orderId)
        {
            var psi = new ProcessStartInfo("tar");
            psi.ArgumentList.Add("czf");
            // ok: shell-command-from-variables
            psi.ArgumentList.Add($"{ExportRoot}/{orderId}.tgz");
            psi.ArgumentList.Add($"/data/orders/{orderId}");
            Process.Start(psi);
        }

        public void Cleanup()
        {
            // ok: shell-command-from-variables
            Process.Start("/bin/sh", "-c \"find /tmp/exports -mtime +7 -delete\"");
        }

        public void OpenInViewer(string reportPath)
        {
            // A variable passed as an argument to a non-shell program is not re-parsed by a shell.
            // ok: shell-command-from-variables
            Process.Start("xdg-open", reportPath);
        }

        public void Status()
        {
            // ok: shell-command-from-variables
            var psi = new ProcessStartInfo { FileName = "git", Arguments = "status --porcelain" };
            Process.Start(psi);
        }

        public void OpenConsole(string host, int port, string contactEmail)
        {
            // A URL opened in the registered browser or mail client: no command line is parsed.
            // ok: shell-command-from-variables
            Process.Start(new ProcessStartInfo($"http://{host}:{port}/") { UseShellExecute = true });
            // ok: shell-command-from-variables
            Process.Start(new ProcessStartInfo("mailto:" + contactEmail) { UseShellExecute = true });
            // ok: shell-command-from-variables
            Process.Start($"https://{host}/orders");
            // The scheme is a variable too: the value decides what runs.
            // ruleid: shell-command-from-variables
            Process.Start(new ProcessStartInfo($"{scheme}{host}") { UseShellExecute = true });
        }
    }
}
