const { exec, execSync, execFile, spawn } = require('child_process');
const path = require('path');
const { promisify } = require('util');
const { quote } = require('shell-quote');

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);
const certDir = path.join(__dirname, '..', 'config', 'certs');

async function makeThumbnail(upload, thumbPath) {
  // ruleid: shell-command-from-variables
  await execAsync(`convert ${upload.path} -resize 200x200 ${thumbPath}`);
}

function archiveOrder(orderId) {
  // ruleid: shell-command-from-variables
  execSync('tar czf /var/archive/' + orderId + '.tgz /var/orders/' + orderId);
}

function printLabel(order, cb) {
  // ruleid: shell-command-from-variables
  exec(`lp -d ${order.printer} /var/labels/${order.id}.pdf`, cb);
}

function exportCsv(name) {
  // ruleid: shell-command-from-variables
  return spawn(`psql -c "\\copy orders to '${name}.csv' csv"`, { shell: true });
}

function runReport(customer) {
  // ruleid: shell-command-from-variables
  return spawn('sh', ['-c', `report --customer ${customer}`]);
}

// ---- quiet ----

async function makeThumbnailSafe(upload, thumbPath) {
  // ok: shell-command-from-variables
  await execFileAsync('convert', [upload.path, '-resize', '200x200', thumbPath]);
}

function gitRevision() {
  // ok: shell-command-from-variables
  return execSync('git rev-parse HEAD').toString().trim();
}

function archiveSafe(orderId) {
  // ok: shell-command-from-variables
  return spawn('tar', ['czf', `/var/archive/${orderId}.tgz`, `/var/orders/${orderId}`]);
}

function printQuoted(order, cb) {
  // ok: shell-command-from-variables
  exec(`lp -d ${quote([order.printer])} ${quote([`/var/labels/${order.id}.pdf`])}`, cb);
}

function installDevCertificate() {
  // A module-level path fixed at start-up, not a caller's value.
  // ok: shell-command-from-variables
  execSync(`mkcert -cert-file ${certDir}/public.cert -key-file ${certDir}/private.key localhost`);
}

function installCertificateFor(host) {
  // ruleid: shell-command-from-variables
  execSync(`mkcert -cert-file ${certDir}/${host}.cert ${host}`);
}

function parseOrderRef(text) {
  // RegExp#exec, not child_process.
  // ok: shell-command-from-variables
  return /ORD-(\d+)/.exec(`${text}`);
}


async function runScancode(installDir, doc) {
  // ruleid: shell-command-from-variables
  await promisify(exec)(`cd ${installDir} && ./scancode --json ${doc.location}`, { maxBuffer: 5000 * 1024 });
  // ruleid: shell-command-from-variables
  await promisify(exec)('du -sh ' + doc.location);
  // ok: shell-command-from-variables
  await promisify(exec)(`du -sh ${quote([doc.location])}`);
  // ok: shell-command-from-variables
  await promisify(execFile)('du', ['-sh', doc.location]);
}

module.exports = { makeThumbnail, archiveOrder, printLabel, exportCsv, runReport, makeThumbnailSafe, gitRevision };
