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
