// Test helpers: Debian's Chromium through playwright-core, a static server for
// www/dist, the fixture Kubernetes API server (js/testlib/kube.js) and a real
// `kubectl proxy` serving www/dist.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { plan as corePlan } from 'canary-tracker';
import { chromium } from 'playwright-core';
import { parseAllDocuments } from 'yaml';
import * as kube from '../../js/testlib/kube.js';

export const WWW = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(WWW, 'dist');

import { LOCAL_FIXTURES, FIXTURES as PLAN_FIXTURES, TEST_DATA as SHARED } from '../../js/testlib/paths.js';

export { PLAN_FIXTURES, SHARED };
export const SCREENSHOTS = resolve(WWW, '..', 'test-output', 'screenshots');

/** The plan scenarios: the shared ones, then this repository's own (plan-local). */
export async function scenarios() {
  const names = [];
  for (const dir of [PLAN_FIXTURES, LOCAL_FIXTURES]) {
    names.push(
      ...(await readdir(dir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort(),
    );
  }
  return names;
}

export async function loadScenario(name) {
  let dir = join(PLAN_FIXTURES, name);
  let text;
  try {
    text = await readFile(join(dir, 'objects.yaml'), 'utf8');
  } catch {
    dir = join(LOCAL_FIXTURES, name);
    text = await readFile(join(dir, 'objects.yaml'), 'utf8');
  }
  const objects = parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter(Boolean);
  return {
    dir,
    file: join(dir, 'objects.yaml'),
    objects,
    expected: JSON.parse(await readFile(join(dir, 'expected.json'), 'utf8')),
  };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Chromium and a static server of www/dist for the test file that calls it
 * (at its top level): `env.browser`, `env.server` once its tests run.
 */
export function browserAndServer() {
  const env = {};
  before(async () => {
    env.browser = await launch();
    env.server = await staticServer();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * A page that records console messages, page errors, CSP violations and
 * every request, so tests can assert on them.
 */
export async function openPage(browser, url, { width = 1280, height = 900, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const log = { console: [], errors: [], requests: [] };
  page.on('console', (m) => log.console.push(m.text()));
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('request', (r) => log.requests.push(r.url()));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  if (url) await page.goto(url);
  return { context, page, log };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

/** Serves www/dist on 127.0.0.1 (file mode has no API behind it: 404s). */
export async function staticServer(root = DIST) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const rel = path === '/' ? 'index.html' : path.slice(1);
    if (rel.includes('..')) return void res.writeHead(400).end();
    try {
      const body = await readFile(join(root, rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** The fixture Kubernetes API of js/testlib (`api.objects`, `api.forbidden`, ... may change between tests). */
export const apiServer = kube.apiServer;

/** `kubectl proxy --www=dist --www-prefix=/ui/ --port=0` in front of `apiUrl`. */
export async function kubectlProxy(apiUrl) {
  const dir = await mkdtemp(join(tmpdir(), 'ct-www-'));
  const kubeconfig = kube.writeKubeconfig(dir, [{ name: 'fixture', server: apiUrl }], 'fixture');
  const proxy = await kube.kubectlProxy(kubeconfig, [`--www=${DIST}`, '--www-prefix=/ui/']);
  return { url: `http://${proxy.hostPort}`, close: proxy.close };
}

/** Waits until the page shows a plan for `ns/name`. */
export async function waitPlan(page, id) {
  await page.locator(`article.plan[data-canary="${id}"]`).waitFor({ timeout: 15000 });
}

/** The tracked-configs table as data. */
export function configTable(page) {
  return page.$$eval('table.configs tbody tr', (rows) =>
    rows.map((r) => ({
      ref: r.dataset.ref,
      state: r.dataset.state,
      kind: r.querySelector('.kind').textContent,
      name: r.querySelector('.name').textContent,
      current: r.querySelector('.current code')?.textContent ?? null,
      status: r.querySelector('.status code')?.textContent ?? null,
      text: r.textContent,
    })),
  );
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}

/**
 * The core's plan of one Canary, from the same wasm module the page loads (the
 * oracle for the verdict the page must show).
 */
export async function coreVerdict(objects, namespace, name, options = {}) {
  return corePlan({ objects, canary: { namespace, name }, options }).plans[0];
}

/** Checks the banner against the core's verdict: decision, line, reasons, spec hashes. */
export async function checkVerdict(article, core) {
  const decision = core.error ? 'failed' : core.analysis.decision;
  assert.equal(await article.locator('.decision').getAttribute('data-decision'), decision);
  assert.equal(await article.getAttribute('data-decision'), decision);
  assert.equal(
    await article.locator('.verdict').textContent(),
    core.error ? 'Flagger would fail on this Canary' : core.analysis.message,
  );
  if (core.error) assert.equal(await article.locator('.verdict-message').textContent(), core.analysis.message);
  const reasons = await article
    .locator('.reasons li')
    .evaluateAll((l) => l.map((li) => [li.dataset.code, li.textContent]));
  assert.deepEqual(
    reasons.map((r) => r[0]),
    core.analysis.reasons.map((r) => r.code),
  );
  core.analysis.reasons.forEach((r, i) => assert.ok(reasons[i][1].includes(r.message), reasons[i][1]));
  const h = core.analysis.specHash;
  const now = await article.locator('.spechash .current').textContent();
  assert.ok(now.startsWith(h.current ?? 'none'), now);
  const last = await article.locator('.spechash .last-applied').textContent();
  if (h.lastApplied) {
    assert.ok(last.startsWith(h.lastApplied), last);
    assert.match(last, h.lastApplied === h.current ? /same: the spec did not change/ : /differs: the spec changed/);
  } else assert.equal(last, 'none');
  return decision;
}

/** Checks the page against one expected.json entry. */
export async function checkPlan(page, e, objects) {
  const id = `${e.namespace}/${e.canary}`;
  await page.locator(`button.canary[data-canary="${id}"]`).click();
  await waitPlan(page, id);
  const plan = page.locator(`article.plan[data-canary="${id}"]`);
  assert.equal(await plan.locator('.target-kind').textContent(), e.targetKind);
  const version = (await page.locator('#version').inputValue()) || undefined; // empty until the picker is filled
  const decision = await checkVerdict(
    plan,
    await coreVerdict(objects, e.namespace, e.canary, { flaggerVersion: version }),
  );
  // The list shows the decision too (it may update a frame after the plan).
  await page.locator(`button.canary[data-canary="${id}"] .dot[data-decision="${decision}"]`).waitFor({ timeout: 5000 });
  if (e.error) {
    const err = await plan.locator('.msg.error').textContent();
    assert.ok(err.includes(e.error), err);
    if (e.errorRef) assert.ok(err.includes(e.errorRef), err);
    assert.match(await plan.locator('section.card').first().textContent(), /Flagger stops at the error above/);
    assert.equal(await plan.locator('details.object').count(), 0, 'a failed plan creates nothing');
    return;
  }
  const rows = await configTable(page);
  const tracked = Object.fromEntries(rows.filter((r) => r.current).map((r) => [r.ref, r.current]));
  assert.deepEqual(tracked, e.trackedConfigs ?? {});
  const canary = objects.find(
    (o) => o.kind === 'Canary' && o.metadata.name === e.canary && o.metadata.namespace === e.namespace,
  );
  const status = canary?.status?.trackedConfigs;
  for (const r of rows.filter((r) => r.current)) {
    assert.equal(r.status, status?.[r.ref] ?? null, `status checksum of ${r.ref}`);
    const want = !status?.[r.ref] ? 'added' : status[r.ref] === r.current ? 'unchanged' : 'modified';
    assert.equal(r.state, want, r.ref);
    assert.equal(r.kind, r.ref.startsWith('secret/') ? 'Secret' : 'ConfigMap');
    assert.equal(r.name, r.ref.split('/')[1]);
  }
  for (const ref of e.missingOptional ?? []) {
    const row = rows.find((r) => r.ref === ref);
    assert.ok(row && row.state === 'not tracked' && /optional/.test(row.text), `${ref} shown as optional and missing`);
  }
  const summaries = await plan.locator('details.object summary').allTextContents();
  const names = summaries.map((s) => s.replace(/ · values masked$/, ''));
  for (const ref of e.primaryConfigs ?? []) {
    const [kind, name] = ref.split('/');
    assert.ok(
      names.includes(`${kind === 'secret' ? 'Secret' : 'ConfigMap'} ${e.namespace}/${name}`),
      `${ref} in ${names}`,
    );
  }
  for (const svc of e.services ?? []) assert.ok(names.includes(`Service ${e.namespace}/${svc}`), `${svc} in ${names}`);
  if (e.primaryPodSpecRefs) {
    const workload = await plan
      .locator('details.object', { hasText: e.targetKind })
      .first()
      .locator('pre')
      .textContent();
    for (const ref of e.primaryPodSpecRefs)
      assert.match(workload, new RegExp(`(?:n|secretN)ame: ${ref.split('/')[1]}$`, 'm'), ref);
  }
}
