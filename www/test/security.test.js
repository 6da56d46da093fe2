// Untrusted input stays text, the CSP holds, and no Secret value reaches the
// DOM, the console, storage, the URL, the clipboard or a download — nor even
// the page's main thread: the worker masks Secrets before anything crosses.
// The page refuses to run in a frame.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { apiServer, kubectlProxy, launch, openPage, staticServer, waitPlan } from './helpers.js';

const XSS1 = '<img src=x onerror=window.__xss=1>';
const XSS2 = '</script><script>window.__xss=1</script>';
const MARK = 'PLANTED-SECRET-MARKER-3f9a1c';
const b64 = (s) => Buffer.from(s).toString('base64');
const FORBIDDEN = [MARK, b64(MARK), b64(`${MARK}-tls`), b64(`${MARK}-pull`), 'UExBTlRFRC1TRUNSRVQtTUFSS0VS'];

const objects = [
  {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'sec', annotations: { note: XSS2 } },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
    status: { trackedConfigs: { 'configmap/web-config': '0000000000000000', 'secret/web-secret': '1111111111111111' } },
  },
  {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'evil', namespace: 'sec' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: XSS1 } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'sec', labels: { app: 'web', evil: XSS1 }, annotations: { note: XSS2 } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', evil: XSS1 }, annotations: { note: XSS2, other: XSS1 } },
        spec: {
          imagePullSecrets: [{ name: 'pull' }],
          containers: [
            {
              name: 'web',
              image: 'web:1',
              env: [{ name: 'X', value: XSS2 }],
              envFrom: [{ configMapRef: { name: 'web-config' } }, { secretRef: { name: 'web-secret' } }],
              volumeMounts: [{ name: 'tls', mountPath: '/tls' }],
            },
          ],
          volumes: [{ name: 'tls', secret: { secretName: 'web-tls' } }],
        },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'web-config', namespace: 'sec', labels: { evil: XSS1 }, annotations: { note: XSS2 } },
    data: { payload: `${XSS1}\n${XSS2}` },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: 'web-secret',
      namespace: 'sec',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: { password: MARK } }),
      },
    },
    data: { password: b64(MARK) },
    stringData: { token: `${MARK}-string` },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: 'web-tls', namespace: 'sec' },
    data: { 'tls.key': b64(`${MARK}-tls`), 'tls.crt': b64('cert') },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: { name: 'pull', namespace: 'sec' },
    data: { '.dockerconfigjson': b64(`${MARK}-pull`) },
  },
];

let browser;
let server;
let api;
let proxy;
before(async () => {
  browser = await launch();
  server = await staticServer();
  api = await apiServer();
  proxy = await kubectlProxy(api.url);
});
after(async () => {
  await browser?.close();
  await server?.close();
  await proxy?.close();
  await api?.close();
});

/** Records every message the page's workers send it (as JSON), before the page's scripts run. */
function recordWorkerMessages() {
  window.__fromWorker = [];
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => window.__fromWorker.push(JSON.stringify(e.data)));
    }
  };
}

/** Opens every fold and object, then checks the page end to end. */
async function assertSafe(page, log) {
  await waitPlan(page, 'sec/web');
  for (const d of await page.locator('details').all())
    await d.evaluate((el) => {
      el.open = true;
    });
  while (await page.locator('button.fold').count()) await page.locator('button.fold').first().click();
  const text = await page.locator('#result').textContent();
  assert.ok(text.includes(XSS1), 'the XSS payload is shown, as text');
  assert.ok(text.includes(XSS2), 'the script-tag payload is shown, as text');
  const secret = page.locator('details.object', { hasText: 'Secret sec/web-secret-primary' }).locator('pre');
  const yaml = await secret.textContent();
  assert.match(yaml, new RegExp(`password: "?<redacted, ${MARK.length} bytes>"?`));
  assert.match(yaml, new RegExp(`token: "?<redacted, ${MARK.length + '-string'.length} bytes>"?`));
  const tls = await page
    .locator('details.object', { hasText: 'Secret sec/web-tls-primary' })
    .locator('pre')
    .textContent();
  assert.match(tls, /tls\.key: "?<redacted, \d+ bytes>"?/);

  // The Canary whose target name is the payload: its error message shows it as text.
  await page.locator('button.canary[data-canary="sec/evil"]').click();
  await waitPlan(page, 'sec/evil');
  assert.ok((await page.locator('article.plan .msg.error').textContent()).includes(XSS1));
  await page.locator('button.canary[data-canary="sec/web"]').click();
  await waitPlan(page, 'sec/web');

  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no payload ran');
  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violation');
  assert.equal(await page.locator('img').count(), 0, 'no element was created from data');
  assert.deepEqual(log.errors, []);
  const html = await page.evaluate(() => document.documentElement.outerHTML);
  for (const f of FORBIDDEN) assert.ok(!html.includes(f), `${f} in the DOM`);
  for (const m of log.console) for (const f of FORBIDDEN) assert.ok(!m.includes(f), `${f} in the console`);
  const storage = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href,
  );
  for (const f of FORBIDDEN) assert.ok(!storage.includes(f), `${f} in storage or the URL`);
  // The worker path: what crossed from the worker to the page holds no Secret value either.
  const crossed = await page.evaluate(() => window.__fromWorker);
  assert.ok(
    crossed.some((m) => m.includes('web-secret-primary')),
    'the worker sent the plan views',
  );
  for (const m of crossed)
    for (const f of FORBIDDEN) assert.ok(!m.includes(f), `${f} crossed from the worker: ${m.slice(0, 200)}`);
  return yaml;
}

describe('security', () => {
  test('file mode: payloads stay text, secret values never reach the page, clipboard or a download', {
    timeout: 60000,
  }, async () => {
    const { context, page, log } = await openPage(browser, null);
    await page.addInitScript(recordWorkerMessages);
    await page.goto(server.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.setInputFiles('#file-input', {
      name: `${XSS1}.yaml`,
      mimeType: 'text/yaml',
      buffer: Buffer.from(objects.map((o) => stringify(o)).join('---\n')),
    });
    const shown = await assertSafe(page, log);
    assert.equal(await page.locator('#file-list .fname').textContent(), `${XSS1}.yaml`);

    const block = page.locator('details.object', { hasText: 'Secret sec/web-secret-primary' });
    await block.locator('summary').click();
    await block.getByRole('button', { name: 'Copy' }).click();
    await block.getByRole('button', { name: /^Cop(ied|y failed)$/ }).waitFor();
    assert.equal(await block.locator('.actions button').first().textContent(), 'Copied');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clip, shown);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      block.getByRole('button', { name: /Download/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'secret-web-secret-primary.yaml');
    const file = await readFile(await download.path(), 'utf8');
    assert.equal(file, shown);
    for (const f of FORBIDDEN) assert.ok(!clip.includes(f) && !file.includes(f));
    await context.close();
  });

  test('cluster mode: the same objects through kubectl proxy', { timeout: 60000 }, async () => {
    api.objects = objects;
    const { context, page, log } = await openPage(browser, null);
    await page.addInitScript(recordWorkerMessages);
    await page.goto(`${proxy.url}/ui/`);
    await assertSafe(page, log);
    await context.close();
  });

  test('a file that does not parse never shows a Secret value in its error', { timeout: 60000 }, async () => {
    // The marker in the scalar positions a reader's message would quote: aliases, anchors, tags,
    // block scalar headers, escapes, keys, flow collections, JSON strings and numbers.
    const broken = {
      'alias.yaml': `kind: Secret\ndata:\n  p: *${MARK}\n`,
      'anchor.yaml': `kind: Secret\ndata:\n  p: &${MARK} a\n  q: &${MARK} b c: d\n`,
      'tag.yaml': `kind: Secret\ndata:\n  p: !<${MARK}> [\n`,
      'block.yaml': `kind: Secret\nstringData:\n  p: |${MARK}\n    x\n`,
      'escape.yaml': `kind: Secret\nstringData:\n  p: "${MARK}\\q"\n`,
      'key.yaml': `kind: Secret\nstringData:\n  ${MARK}: a\n  ${MARK}: b\n`,
      'flow.yaml': `kind: Secret\nstringData: {p: ${MARK}, q: [${MARK}\n`,
      'indent.yaml': `kind: Secret\nstringData:\n  p: ${MARK}\n q: ${MARK}\n`,
      'string.json': `{"kind": "Secret", "stringData": {"p": "${MARK}}}`,
      'number.json': `{"kind": "Secret", "data": {"p": ${MARK}}}`,
    };
    const { context, page, log } = await openPage(browser, null);
    await page.addInitScript(recordWorkerMessages);
    await page.goto(server.url);
    await page.setInputFiles(
      '#file-input',
      Object.entries(broken).map(([name, text]) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) })),
    );
    await page.locator('#progress').waitFor({ state: 'hidden' });
    for (const name of Object.keys(broken)) {
      const err = await page.locator(`#file-list li[data-file="${name}"] .file-error`).textContent();
      assert.ok(err.length > 0, `${name} has an error`);
    }
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    assert.ok(
      !html.includes(MARK),
      `the marker is in the page: ${html.slice(html.indexOf(MARK) - 200, html.indexOf(MARK) + 50)}`,
    );
    for (const m of await page.evaluate(() => window.__fromWorker))
      assert.ok(!m.includes(MARK), `the marker crossed from the worker: ${m.slice(0, 300)}`);
    for (const m of log.console) assert.ok(!m.includes(MARK), m);
    await context.close();
  });

  test('the page declares the CSP and has no inline script or handler', async () => {
    const html = await readFile(new URL('../dist/index.html', import.meta.url), 'utf8');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.ok(csp, 'CSP meta tag');
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
    for (const bundle of ['app.js', 'worker.js']) {
      const js = await readFile(new URL(`../dist/${bundle}`, import.meta.url), 'utf8');
      assert.doesNotMatch(
        js,
        /\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/,
        `no HTML sinks or eval in ${bundle}`,
      );
    }
  });

  test('framed by another origin, the page shows nothing but a warning and contacts nothing', {
    timeout: 60000,
  }, async () => {
    api.objects = objects;
    api.requests.length = 0;
    const framer = createServer((req, res) => {
      const src = new URL(req.url, 'http://x').searchParams.get('src');
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>evil</title><iframe id="f" src="${src}" width="1000" height="700"></iframe>`);
    });
    await new Promise((r) => framer.listen(0, '127.0.0.1', r));
    const framerUrl = `http://127.0.0.1:${framer.address().port}/`;
    try {
      for (const target of [server.url, `${proxy.url}/ui/`]) {
        const { context, page, log } = await openPage(browser, `${framerUrl}?src=${encodeURIComponent(target)}`);
        const frame = page.frameLocator('#f');
        await frame.locator('#framed').waitFor({ state: 'visible' });
        assert.match(await frame.locator('#framed').textContent(), /does not run inside a frame/);
        for (const sel of ['.top', '.layout', '#drop', '#file-input', '#cluster-form'])
          assert.equal(await frame.locator(sel).isVisible(), false, `${sel} hidden`);
        // Not even the same-origin Canary list is read (a framed page could be clickjacked into showing it).
        assert.deepEqual(
          log.requests.filter((u) => u.includes('/apis/') || u.endsWith('worker.js') || u.endsWith('.wasm')),
          [],
        );
        assert.deepEqual(log.errors, []);
        await context.close();
      }
      assert.deepEqual(api.requests, []);
    } finally {
      await new Promise((r) => framer.close(r));
    }
  });
});
