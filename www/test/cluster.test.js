// Cluster mode: the page served by a real `kubectl proxy --www` in front of a
// fixture Kubernetes API, on one origin; and the ways a proxy can fail.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { expectedDecision, generate } from '../bench/generate.js';
import {
  apiServer,
  checkPlan,
  kubectlProxy,
  launch,
  loadScenario,
  openPage,
  screenshot,
  staticServer,
  waitPlan,
} from './helpers.js';

let browser;
let api;
let proxy;
let statics;
before(async () => {
  browser = await launch();
  api = await apiServer();
  proxy = await kubectlProxy(api.url);
  statics = await staticServer();
});
after(async () => {
  await browser?.close();
  await proxy?.close();
  await api?.close();
  await statics?.close();
});

/** A port nothing listens on (just closed). */
async function closedPort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** Every Secret value of a scenario, base64 and decoded, long enough to search for. */
function secretValues(objects) {
  const out = [];
  for (const o of objects.filter((o) => o.kind === 'Secret')) {
    for (const v of Object.values(o.data ?? {})) out.push(v, Buffer.from(v, 'base64').toString('utf8'));
    for (const v of Object.values(o.stringData ?? {})) out.push(v, Buffer.from(v).toString('base64'));
  }
  return out.filter((v) => v.length >= 4);
}

describe('cluster mode (kubectl proxy --www)', () => {
  for (const name of ['podinfo-config-edited', 'daemonset', 'mandatory-missing', 'service-target']) {
    test(`${name}: the page at /ui/ lists the Canaries and shows the plan`, { timeout: 60000 }, async () => {
      const s = await loadScenario(name);
      api.objects = s.objects;
      api.forbidden = false;
      api.requests.length = 0;
      const { context, page, log } = await openPage(browser, `${proxy.url}/ui/`);
      // Same origin as the API: the page opens in cluster mode by itself.
      await page.locator('#tab-cluster[aria-selected="true"]').waitFor({ timeout: 15000 });
      assert.equal(await page.locator('#proxy-url').inputValue(), proxy.url);
      for (const e of s.expected) await checkPlan(page, e, s.objects);
      assert.ok(api.requests.includes('GET /apis/flagger.app/v1beta1/canaries'), api.requests.join('\n'));
      const t = s.expected[0];
      if (t.targetKind !== 'Service') {
        assert.ok(
          api.requests.some((r) => r.startsWith(`GET /api/v1/namespaces/${t.namespace}/configmaps/`)),
          api.requests.join('\n'),
        );
      }
      // Only the proxy's origin is ever contacted.
      assert.deepEqual(
        log.requests.filter((u) => !u.startsWith(`${proxy.url}/`)),
        [],
      );
      const html = await page.evaluate(() => document.documentElement.outerHTML);
      for (const v of secretValues(s.objects).filter((v) => v.length >= 6))
        assert.ok(!html.includes(v), `a Secret value of ${name} is in the page: ${JSON.stringify(v)}`);
      if (name === 'podinfo-config-edited') await screenshot(page, 'cluster-mode-1280.png');
      if (name === 'daemonset') {
        await page.setViewportSize({ width: 800, height: 900 });
        await page.emulateMedia({ colorScheme: 'dark' });
        await screenshot(page, 'cluster-dark-800.png');
      }
      assert.deepEqual(log.errors, []);
      await context.close();
    });
  }

  test('a 403 from the cluster is explained next to the proxy field', { timeout: 60000 }, async () => {
    api.objects = (await loadScenario('daemonset')).objects;
    api.forbidden = true;
    const { context, page } = await openPage(browser, `${proxy.url}/ui/`);
    await page.locator('#tab-cluster').click();
    await page.locator('#cluster-form button[type="submit"]').click();
    const msg = page.locator('#cluster-error');
    await msg.locator('xpath=self::*[not(@hidden)]').waitFor();
    const text = await msg.textContent();
    assert.match(text, /HTTP 403 Forbidden/);
    assert.match(text, /RBAC/);
    assert.match(text, /cannot list resource "canaries"/);
    api.forbidden = false;
    await context.close();
  });

  test('a proxy on another origin blocked by CORS, an unreachable one and a non-local one are told apart', {
    timeout: 60000,
  }, async () => {
    api.objects = (await loadScenario('daemonset')).objects;
    api.forbidden = false;
    const { context, page, log } = await openPage(browser, statics.url);
    await page.locator('#tab-cluster').click();
    const attempt = async (url) => {
      await page.fill('#proxy-url', url);
      await page.locator('#cluster-form button[type="submit"]').click();
      const msg = page.locator('#cluster-error:not([hidden])');
      await msg.waitFor();
      const text = await msg.textContent();
      await page.evaluate(() => {
        document.getElementById('cluster-error').hidden = true;
      });
      return text;
    };
    // kubectl proxy sends no CORS headers: the browser refuses the answer.
    assert.match(await attempt(proxy.url), /answered, but the browser blocked reading it \(CORS\)/);
    const closed = await closedPort();
    assert.match(
      await attempt(`http://127.0.0.1:${closed}`),
      new RegExp(`Cannot reach http://127\\.0\\.0\\.1:${closed}: is kubectl proxy running`),
    );
    assert.match(await attempt('http://cluster.example:8001'), /Content-Security-Policy/);
    assert.match(await attempt('not a url'), /not a URL/);
    assert.ok(
      log.requests.every((u) => !u.includes('cluster.example')),
      'CSP kept the page from contacting another host',
    );
    // The page is still usable: file mode still there.
    await page.locator('#tab-files').click();
    assert.ok(await page.locator('#drop').isVisible());
    await context.close();
  });

  test('an endless Canary list stops at the response cap with a message; the tab survives', {
    timeout: 120000,
  }, async () => {
    api.objects = [];
    api.forbidden = false;
    api.endless = true;
    try {
      // Opened from the proxy, the page lists the Canaries by itself.
      const { context, page, log } = await openPage(browser, `${proxy.url}/ui/`);
      await page.locator('#cluster-error:not([hidden])').waitFor({ timeout: 90000 });
      const text = await page.locator('#cluster-error').textContent();
      assert.match(text, /GET \/apis\/flagger\.app\/v1beta1\/canaries: the response passed 32 MiB; stopped reading it/);
      assert.equal(await page.locator('#tab-cluster').getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('#canaries button.canary').count(), 0);
      assert.ok(await page.locator('#progress').isHidden());
      // The page still works.
      await page.locator('#tab-files').click();
      assert.ok(await page.locator('#drop').isVisible());
      assert.deepEqual(log.errors, []);
      await context.close();
    } finally {
      api.endless = false;
    }
  });

  test('cancelling a slow Canary list says nothing went wrong and leaves the list empty', {
    timeout: 60000,
  }, async () => {
    api.objects = (await loadScenario('daemonset')).objects;
    api.forbidden = false;
    api.delayMs = 20000;
    try {
      const { context, page, log } = await openPage(browser, `${proxy.url}/ui/`);
      // Listed by hand (not the quiet listing at load), so any failure would be shown.
      await page.locator('#tab-cluster').click();
      await page.locator('#cluster-form button[type="submit"]').click();
      await page.locator('#progress:not([hidden])').waitFor();
      // The text starts as 'Starting…' and turns to the listing step; wait for it (fails on timeout).
      await page.locator('#progress-text', { hasText: /listing Canaries/ }).waitFor({ timeout: 10000 });
      await page.locator('#cancel').click();
      await page.locator('#progress').waitFor({ state: 'hidden', timeout: 10000 });
      assert.ok(await page.locator('#cluster-error').isHidden(), await page.locator('#cluster-error').textContent());
      assert.equal(await page.locator('#canaries button.canary').count(), 0);
      // Listing again works.
      api.delayMs = 0;
      await page.locator('#cluster-form button[type="submit"]').click();
      await page.locator('#canaries button.canary').first().waitFor();
      assert.deepEqual(log.errors, []);
      await context.close();
    } finally {
      api.delayMs = 0;
    }
  });

  test('Plan all fetches and plans every Canary with progress; facets count them; cancel stops it', {
    timeout: 180000,
  }, async () => {
    const { objects } = await generate({ canaries: 40, namespaces: 4, failEvery: 10, prefix: 'c' });
    api.objects = objects;
    api.forbidden = false;
    api.delayMs = 150;
    try {
      const { context, page, log } = await openPage(browser, `${proxy.url}/ui/`);
      await page.locator('#list-count', { hasText: '40' }).waitFor({ timeout: 30000 });
      // The first Canary is fetched and planned when it is shown; the others wait.
      await page.locator('article.plan').waitFor({ timeout: 30000 });
      await page.locator('button.facet[data-facet="decision"][data-value="pending"]').waitFor();
      await page.locator('#plan-all').click();
      await page.locator('#progress:not([hidden])').waitFor();
      await page.locator('#progress-text', { hasText: /Canaries planned: [1-9]\d*\/39/ }).waitFor({ timeout: 60000 });
      await page.locator('#cancel').click();
      await page.locator('#progress').waitFor({ state: 'hidden', timeout: 30000 });
      const pendingAfterCancel = Number(await page.locator('button.facet[data-value="pending"] .count').textContent());
      assert.ok(pendingAfterCancel > 0 && pendingAfterCancel < 39, `${pendingAfterCancel} left after cancel`);
      const requests = api.requests.length;
      await page.waitForTimeout(600);
      assert.ok(api.requests.length - requests <= 4, 'no new requests after cancel beyond those in flight');

      // Plan the rest: every Canary gets a decision; the facets count them.
      api.delayMs = 0;
      await page.locator('#plan-all').click();
      await page.locator('#progress').waitFor({ state: 'hidden', timeout: 60000 });
      const counts = await page
        .locator('button.facet[data-facet="decision"]')
        .evaluateAll((bs) =>
          Object.fromEntries(bs.map((b) => [b.dataset.value, Number(b.querySelector('.count').textContent)])),
        );
      const want = {};
      for (let i = 0; i < 40; i++) want[expectedDecision(i, 10)] = (want[expectedDecision(i, 10)] ?? 0) + 1;
      assert.deepEqual(counts, want);
      await page.locator('button.facet[data-value="failed"]').click();
      assert.equal(await page.locator('#list-count').textContent(), '4 of 40');
      const failed = await page.locator('#canaries button.canary').first().getAttribute('data-canary');
      await page.locator(`button.canary[data-canary="${failed}"]`).click();
      await waitPlan(page, failed);
      assert.match(await page.locator('article.plan .msg.error').textContent(), /target-not-found/);
      assert.deepEqual(log.errors, []);
      await context.close();
    } finally {
      api.delayMs = 0;
    }
  });
});
