import fs from 'fs';
import path from 'path';
import crypto from 'crypto';
import { execSync } from 'child_process';
import express, { Request, Response } from 'express';

// Start-up configuration: read once, before the server listens.
// ok: blocking-call-in-async
const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));

const app = express();
const INVOICE_DIR = config.invoiceDir;

app.get('/invoices/:id', async (req: Request, res: Response) => {
  const file = path.join(INVOICE_DIR, `${req.params.id}.pdf`);
  // ruleid: blocking-call-in-async
  if (!fs.existsSync(file)) return res.sendStatus(404);
  // ruleid: blocking-call-in-async
  res.type('pdf').send(fs.readFileSync(file));
});

app.post('/exports', (req, res) => {
  // ruleid: blocking-call-in-async
  fs.writeFileSync(path.join(config.exportDir, 'orders.csv'), req.body.csv);
  res.sendStatus(202);
});

async function archiveOrder(order: { id: string }): Promise<string> {
  // ruleid: blocking-call-in-async
  execSync('tar czf /tmp/orders.tgz /var/orders');
  return order.id;
}

class Accounts {
  public async verifyPassword(user: { salt: Buffer; hash: Buffer }, password: string): Promise<boolean> {
    // ruleid: blocking-call-in-async
    const hash = crypto.pbkdf2Sync(password, user.salt, 310000, 32, 'sha256');
    return crypto.timingSafeEqual(hash, user.hash);
  }
}

// ---- quiet ----

app.get('/invoices/:id/async', async (req, res) => {
  // ok: blocking-call-in-async
  const pdf = await fs.promises.readFile(path.join(INVOICE_DIR, `${req.params.id}.pdf`));
  res.type('pdf').send(pdf);
});

function loadTemplates(dir) {
  // A synchronous helper called at start-up.
  // ok: blocking-call-in-async
  return fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
}

async function main() {
  // ok: blocking-call-in-async
  const tls = { key: fs.readFileSync(config.keyFile), cert: fs.readFileSync(config.certFile) };
  app.listen(config.port, () => console.log('listening', tls ? 'tls' : 'plain'));
}

describe('invoices', () => {
  it('renders an invoice', async () => {
    // ok: blocking-call-in-async
    const fixture = fs.readFileSync(path.join(__dirname, 'fixtures', 'invoice.json'), 'utf8');
    expect(JSON.parse(fixture).id).toBeDefined();
  });
});


class ReportServer {
  async startApp(options: { schemaFile: string }): Promise<string> {
    // Start-up method of the server class: runs once, before requests are served.
    // ok: blocking-call-in-async
    const schema = fs.readFileSync(options.schemaFile, 'utf8');
    return schema;
  }

  async renderReport(report: { kind: string; title: string }): Promise<string> {
    // ruleid: blocking-call-in-async
    const template = fs.readFileSync(path.join(config.templateDir, `${report.kind}.html`), 'utf8');
    return template.replace('{{title}}', report.title);
  }
}

let inlinerReady = false;
async function inlineCss(html: string, inliner: { init(wasm: Buffer): Promise<void>; inline(h: string): string }) {
  if (!inlinerReady) {
    // Loaded once per process, on first use.
    // ok: blocking-call-in-async
    await inliner.init(fs.readFileSync(require.resolve('css-inline/inline.wasm')));
    inlinerReady = true;
  }
  return inliner.inline(html);
}

export { app, archiveOrder, Accounts, loadTemplates, main, ReportServer, inlineCss };

async function localeFileFor(directory: string, locale: string): Promise<string | undefined> {
  const file = path.join(directory, `${locale}.json`);
  // ok: blocking-call-in-async
  return fs.existsSync(file) ? file : undefined;
}

export async function mountAdmin(router: express.Router, outDir: string) {
  // Read once while the routes are mounted; the handler reuses the string.
  // ok: blocking-call-in-async
  const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const sendHtml = (_req: Request, res: Response) => res.send(html);
  router.get('/', sendHtml);
  router.get('/*', sendHtml);
}

export async function rotateSpool(spoolFile: string, flush: (f: string) => Promise<void>) {
  const rotated = `${spoolFile}.${Date.now()}`;
  // One metadata syscall, not a transfer: flagged only on a request path.
  // ok: blocking-call-in-async
  fs.renameSync(spoolFile, rotated);
  await flush(rotated);
  // ok: blocking-call-in-async
  fs.unlinkSync(rotated);
}
