package com.acme.orders.reports;

import java.io.File;
import java.io.IOException;
import java.util.List;

public class InvoiceRenderer {

    private static final String WKHTMLTOPDF = "/usr/local/bin/wkhtmltopdf";

    private final Runtime runtime = Runtime.getRuntime();

    public Process renderPdf(String orderId, File html) throws IOException {
        // ruleid: shell-command-from-variables
        return Runtime.getRuntime().exec("wkhtmltopdf " + html.getPath() + " /tmp/invoice-" + orderId + ".pdf");
    }

    public Process compress(String reportPath) throws IOException {
        // ruleid: shell-command-from-variables
        return new ProcessBuilder("sh", "-c", "gzip -9 " + reportPath).start();
    }

    public Process archive(String customerId) throws IOException {
        // ruleid: shell-command-from-variables
        return runtime.exec(String.format("tar czf /archive/%s.tgz /invoices/%s", customerId, customerId));
    }

    public Process cleanup(String dir) throws IOException {
        // ruleid: shell-command-from-variables
        String[] cmd = {"/bin/bash", "-c", "rm -rf " + dir + "/*.tmp"};
        return Runtime.getRuntime().exec(cmd);
    }

    public Process upload(String bucket, String file) throws IOException {
        ProcessBuilder pb = new ProcessBuilder();
        // ruleid: shell-command-from-variables
        pb.command("bash", "-c", "aws s3 cp " + file + " s3://" + bucket + "/");
        return pb.start();
    }

    // --- the correct shapes ---

    public Process renderPdfArgv(String orderId, File html) throws IOException {
        // ok: shell-command-from-variables
        return new ProcessBuilder(WKHTMLTOPDF, html.getPath(), "/tmp/invoice-" + orderId + ".pdf").start();
    }

    public Process compressArgv(String reportPath) throws IOException {
        // ok: shell-command-from-variables
        return new ProcessBuilder(List.of("gzip", "-9", "--", reportPath)).start();
    }

    public Process version() throws IOException {
        // ok: shell-command-from-variables
        return Runtime.getRuntime().exec(WKHTMLTOPDF + " --version");
    }

    public Process diskUsage() throws IOException {
        // ok: shell-command-from-variables
        return new ProcessBuilder("sh", "-c", "df -h /invoices | tail -1").start();
    }

    public Process execArgv(String file) throws IOException {
        // ok: shell-command-from-variables
        return Runtime.getRuntime().exec(new String[] {"gzip", "-9", file});
    }
}
