package orders

import (
	"context"
	"fmt"
	"os/exec"
)

const cleanupScript = "find /var/spool/invoices -mtime +7 -delete"

func renderInvoice(orderID, template string) ([]byte, error) {
	cmdline := fmt.Sprintf("wkhtmltopdf %s /tmp/%s.pdf", template, orderID)
	// ruleid: shell-command-from-variables
	return exec.Command("sh", "-c", cmdline).Output()
}

func archiveOrder(ctx context.Context, orderID string) error {
	// ruleid: shell-command-from-variables
	return exec.CommandContext(ctx, "/bin/bash", "-c", "tar czf /archive/"+orderID+".tgz /data/"+orderID).Run()
}

func printLabel(printer, file string) error {
	// ruleid: shell-command-from-variables
	return exec.Command("cmd", "/c", fmt.Sprintf("print /d:%s %s", printer, file)).Run()
}

func thumbnail(ctx context.Context, upload string) error {
	// Its own argv: no shell parses the data.
	// ok: shell-command-from-variables
	return exec.CommandContext(ctx, "convert", "--", upload, "/tmp/thumb.png").Run()
}

func cleanup() error {
	// ok: shell-command-from-variables
	return exec.Command("sh", "-c", cleanupScript).Run()
}

func diskUsage() ([]byte, error) {
	// ok: shell-command-from-variables
	return exec.Command("bash", "-c", "df -h /data | tail -1").Output()
}

func gitRevision(ctx context.Context, ref string) ([]byte, error) {
	// ok: shell-command-from-variables
	return exec.CommandContext(ctx, "git", "rev-parse", ref).Output()
}

type executor interface {
	ExecuteCommandWithTimeout(timeout int, name string, args ...string) (string, error)
	Run(ctx context.Context, name string, args ...string) error
}

func poolHasObjects(ex executor, pool, namespace string) (bool, error) {
	shellCmd := "rados --pool " + pool + " --namespace " + namespace + " ls | head -c 1"
	// ruleid: shell-command-from-variables
	out, err := ex.ExecuteCommandWithTimeout(30, "sh", "-c", shellCmd)
	return len(out) > 0, err
}

func archiveWith(ctx context.Context, ex executor, orderID string) error {
	// ruleid: shell-command-from-variables
	return ex.Run(ctx, "bash", "-c", fmt.Sprintf("tar czf /archive/%s.tgz /data/%s", orderID, orderID))
}

func printWith(ex executor, printer, file string) error {
	// ruleid: shell-command-from-variables
	_, err := ex.ExecuteCommandWithTimeout(10, "cmd", "/c", "print /d:"+printer+" "+file)
	return err
}

func cleanupWith(ctx context.Context, ex executor) error {
	// ok: shell-command-from-variables
	return ex.Run(ctx, "sh", "-c", cleanupScript)
}

func diskUsageWith(ex executor) (string, error) {
	// ok: shell-command-from-variables
	return ex.ExecuteCommandWithTimeout(5, "bash", "-c", "df -h /data | tail -1")
}

func listPoolWith(ex executor, pool string) (string, error) {
	// Its own argv, no shell.
	// ok: shell-command-from-variables
	return ex.ExecuteCommandWithTimeout(30, "rados", "--pool", pool, "ls")
}
