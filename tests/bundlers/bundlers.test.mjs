// The npm package as a bundler sees it: a browser script that plans a Canary is bundled by esbuild (the
// .wasm's URL imported from `canary-tracker/wasm` and passed to init) and by Vite (plain `await init()`,
// Vite follows the entry's `new URL(..., import.meta.url)`), served from 127.0.0.1 and run in Debian's
// Chromium. The page writes its result into the DOM; the test compares it with the Node entry's answer.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { chromium } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { checksum, plan } from 'canary-tracker';
import { answer } from './page.js';

const here = fileURLToPath(new URL('.', import.meta.url));
// What the page must show: the Node entry's answer for the same objects.
const WANT = answer({ plan, checksum });
const HTML = (src) => `<!doctype html><meta charset="utf-8"><title>bundler test</title><script type="module" src="${src}"></script><body></body>`;

let work;
let browser;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'canary-bundlers-'));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true });
});
after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
/** A static server for `dir` on 127.0.0.1; every request is logged. */
async function serve(dir) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    requests.push(path);
    try {
      const body = readFileSync(join(dir, path.endsWith('/') ? `${path}index.html` : path));
      res.writeHead(200, { 'content-type': TYPES[extname(path) || '.html'] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, requests, close: () => new Promise((r) => server.close(r)) };
}

/** Opens the page, waits for its result, returns it with the requests the server saw. */
async function runPage(dir) {
  const srv = await serve(dir);
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(srv.url);
    await page.waitForFunction(() => document.body?.dataset.result, null, { timeout: 30000 });
    const result = JSON.parse(await page.evaluate(() => document.body.dataset.result));
    return { result, errors, requests: srv.requests };
  } finally {
    await page.close();
    await srv.close();
  }
}

test('esbuild: canary-tracker/wasm as a file URL, init(url), plan in Chromium', async () => {
  const dir = join(work, 'esbuild');
  await esbuild({
    entryPoints: [join(here, 'esbuild-app', 'main.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: dir,
    loader: { '.wasm': 'file' },
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'index.html'), HTML('./main.js'));
  const { result, errors, requests } = await runPage(dir);
  assert.deepEqual(errors, []);
  assert.deepEqual(result, WANT);
  assert.equal(requests.filter((r) => r.endsWith('.wasm')).length, 1, requests.join());
});

test('Vite: plain init() finds the .wasm (new URL(..., import.meta.url) is followed), plan in Chromium', async () => {
  const outDir = join(work, 'vite');
  await viteBuild({ root: join(here, 'vite-app'), logLevel: 'warn', configFile: false, build: { outDir, emptyOutDir: true, target: 'es2022' } });
  const { result, errors, requests } = await runPage(outDir);
  assert.deepEqual(errors, []);
  assert.deepEqual(result, WANT);
  assert.equal(requests.filter((r) => r.endsWith('.wasm')).length, 1, requests.join());
});
