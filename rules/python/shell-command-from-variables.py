import asyncio
import os
import shlex
import subprocess
import tempfile
from subprocess import run

from django.conf import settings
from oslo_concurrency import processutils

HEALTHCHECK_CMD = "pg_isready -q"


def archive_invoice(invoice_id, customer):
    # ruleid: shell-command-from-variables
    subprocess.run(f"tar czf /archive/{customer}/{invoice_id}.tgz /tmp/{invoice_id}", shell=True, check=True)


def print_label(printer, label_path):
    # ruleid: shell-command-from-variables
    os.system("lp -d %s %s" % (printer, label_path))


def dump_orders(db_name):
    cmd = "pg_dump " + db_name + " > /backups/orders.sql"
    # ruleid: shell-command-from-variables
    return subprocess.check_output(cmd, shell=True)


async def resize_image(path, width):
    # ruleid: shell-command-from-variables
    proc = await asyncio.create_subprocess_shell("convert {} -resize {} {}".format(path, width, path))
    await proc.wait()


def archive_invoice_safe(invoice_id, customer):
    # argv list, no shell.
    # ok: shell-command-from-variables
    subprocess.run(["tar", "czf", f"/archive/{customer}/{invoice_id}.tgz", f"/tmp/{invoice_id}"], check=True)


def print_label_quoted(printer, label_path):
    # ok: shell-command-from-variables
    os.system(f"lp -d {shlex.quote(printer)} {shlex.quote(label_path)}")


def db_ready():
    # ok: shell-command-from-variables
    return subprocess.call(HEALTHCHECK_CMD, shell=True) == 0


def rotate_logs():
    cmd = "logrotate -f /etc/logrotate.d/orders"
    # ok: shell-command-from-variables
    subprocess.run(cmd, shell=True, check=True)


def compress(path):
    cmd = f"gzip -9 {shlex.quote(path)}"
    # ok: shell-command-from-variables
    subprocess.run(cmd, shell=True, check=True)


def nightly_dump():
    # Only deployment settings are interpolated.
    # ok: shell-command-from-variables
    subprocess.run(f"pg_dump {settings.DB_NAME} | gzip > {settings.BACKUP_DIR}/nightly.sql.gz", shell=True, check=True)


def dump_tenant(tenant_slug):
    # ruleid: shell-command-from-variables
    subprocess.run(f"pg_dump {settings.DB_NAME} -n {tenant_slug} > {settings.BACKUP_DIR}/{tenant_slug}.sql", shell=True, check=True)


def normalise_line_endings(rows):
    # The only value in the command is the path of a temporary file this function made.
    with tempfile.NamedTemporaryFile("w", delete=False) as tmp:
        tmp.writelines(rows)
    # ok: shell-command-from-variables
    subprocess.Popen("sed -i 's/\\r$//' {}".format(tmp.name), shell=True).wait()
    # ok: shell-command-from-variables
    subprocess.run(f"gzip -9 {tmp.name}", shell=True, check=True)
    return tmp.name + ".gz"


def sync_clock(ntp_server):
    query = "server " + ntp_server + " iburst"
    # ruleid: shell-command-from-variables
    processutils.execute("chronyd -q '%s'" % query, shell=True)


def mount_share(share, target):
    # ruleid: shell-command-from-variables
    run(f"mount -t nfs {share} {target}", shell=True, check=True)


def unpack(archive, into):
    # ruleid: shell-command-from-variables
    execute("tar xzf {} -C {}".format(archive, into), shell=True)


def unpack_quoted(archive, into):
    # ok: shell-command-from-variables
    execute("tar xzf {} -C {}".format(shlex.quote(archive), shlex.quote(into)), shell=True)


def unpack_argv(archive, into):
    # No shell: the runner gets the words one by one.
    # ok: shell-command-from-variables
    execute("tar", "xzf", archive, "-C", into)


def list_share(share):
    # ok: shell-command-from-variables
    processutils.execute("ls -l " + share.upper(), shell=False)


def execute(*cmd, shell=False):
    return subprocess.run(cmd[0] if shell else list(cmd), shell=shell, check=True)


def exec_cmd(cmd, sudo_user=None, capture_output=True, **kwargs):
    """Every command goes through the shell, with whatever its callers put in it."""
    if sudo_user is not None:
        cmd = f"sudo -u {sudo_user} {cmd}"
    kwargs["shell"] = True
    if capture_output:
        kwargs.update(stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # ruleid: shell-command-from-variables
    process = subprocess.Popen(cmd, **kwargs)
    return process.communicate()[0]


def run_in(cmd, cwd, **kwargs):
    kwargs.update(shell=True, cwd=cwd)
    # ruleid: shell-command-from-variables
    return subprocess.run(cmd, **kwargs)


def rename_mailbox(old_home, new_home, **options):
    options["check"] = True
    options["shell"] = True
    # ruleid: shell-command-from-variables
    return subprocess.check_call(f"mv {old_home} {new_home}", **options)


def exec_argv(argv, **kwargs):
    kwargs["check"] = True
    # No shell: the argv list goes to the program as it is.
    # ok: shell-command-from-variables
    return subprocess.run(argv, **kwargs)


def exec_no_shell(argv, **kwargs):
    kwargs["shell"] = False
    # ok: shell-command-from-variables
    return subprocess.Popen(argv, **kwargs)


def exec_other(cmd, options, **kwargs):
    options["shell"] = True
    # The shell switch is set on another dictionary than the one unpacked here.
    # ok: shell-command-from-variables
    return subprocess.run(cmd, **kwargs)
