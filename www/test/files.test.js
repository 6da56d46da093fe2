// File mode: every plan scenario (shared and plan-local) uploaded through the file picker,
// checked against its expected.json; bad input shows a positioned message.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import {
  browserAndServer,
  checkPlan,
  configTable,
  loadScenario,
  openPage,
  scenarios,
  screenshot,
  waitPlan,
} from './helpers.js';

const env = browserAndServer();

describe('file mode', () => {
  test('every plan scenario (shared and local) matches expected.json', { timeout: 180000 }, async () => {
    const names = await scenarios();
    assert.ok(names.length >= 14, 'the shared and local scenarios are there');
    const { context, page, log } = await openPage(env.browser, env.server.url);
    for (const name of names) {
      const s = await loadScenario(name);
      // One scenario at a time: remove the previous file first.
      for (const b of await page.locator('#file-list button').all()) await b.click();
      await page.setInputFiles('#file-input', s.file);
      await page.locator('#file-list li[data-file="objects.yaml"]').waitFor();
      for (const e of s.expected) {
        await test.diagnostic?.(name);
        try {
          await checkPlan(page, e, s.objects);
        } catch (err) {
          err.message = `${name}: ${err.message}`;
          throw err;
        }
      }
      if (name === 'podinfo-config-edited') await screenshot(page, 'file-mode-1280.png');
    }
    assert.deepEqual(log.errors, []);
    // Nothing leaves the browser: every request is for the page's own files.
    assert.deepEqual(
      log.requests.filter((u) => !u.startsWith(env.server.url)),
      [],
    );
    assert.deepEqual([...new Set(log.requests.map((u) => new URL(u).pathname))].sort(), [
      '/',
      '/apis/flagger.app/v1beta1/canaries',
      '/app.css',
      '/app.js',
      '/canary_tracker.wasm',
      '/worker.js',
    ]);
    await context.close();
  });

  test('dropped files are read; a bad YAML file shows its line next to it', { timeout: 60000 }, async () => {
    const { context, page } = await openPage(env.browser, env.server.url);
    const s = await loadScenario('podinfo-unchanged');
    const good = stringify({ apiVersion: 'v1', kind: 'List', items: s.objects });
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n data:\n  a: b\n';
    const dt = await page.evaluateHandle(
      ([good, bad]) => {
        const d = new DataTransfer();
        d.items.add(new File([good], 'dump.yaml', { type: 'text/yaml' }));
        d.items.add(new File([bad], 'broken.yaml', { type: 'text/yaml' }));
        return d;
      },
      [good, bad],
    );
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
    await waitPlan(page, 'test/podinfo');
    const err = page.locator('#file-list li[data-file="broken.yaml"] .file-error');
    const text = await err.textContent();
    assert.match(text, /^Line 5(, column \d+)?: /);
    assert.equal(
      await page.locator('article.plan').getAttribute('data-decision'),
      'start',
      'no status.lastAppliedSpec: Flagger counts the spec as changed',
    );
    await page.setViewportSize({ width: 800, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'file-error-dark-800.png');
    // Fixing the file (same name) replaces the error.
    await page.setInputFiles('#file-input', {
      name: 'broken.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from(bad.replace('\n data:', '\ndata:')),
    });
    await page.locator('#file-list li[data-file="broken.yaml"]:not(.bad)').waitFor();
    assert.equal(await page.locator('.file-error').count(), 0);
    await context.close();
  });

  test('an unknown target kind and a missing target are shown as errors of that Canary', {
    timeout: 60000,
  }, async () => {
    const { context, page } = await openPage(env.browser, env.server.url);
    const objects = [
      {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        metadata: { name: 'sts', namespace: 'x' },
        spec: { targetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' } },
      },
      {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        metadata: { name: 'gone', namespace: 'x' },
        spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nowhere' } },
      },
    ];
    await page.setInputFiles('#file-input', {
      name: 'canaries.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(objects)),
    });
    await waitPlan(page, 'x/sts');
    let err = await page.locator('article.plan .msg.error').textContent();
    assert.match(err, /unsupported-target-kind/);
    assert.match(err, /StatefulSet/);
    assert.match(err, /In: canaries\.json \(document 1, line 1\)/);
    await page.locator('button.canary[data-canary="x/gone"]').click();
    await waitPlan(page, 'x/gone');
    err = await page.locator('article.plan .msg.error').textContent();
    assert.match(err, /target-not-found/);
    assert.equal(await page.locator('button.canary .dot.failed').count(), 2);
    await context.close();
  });

  test('files without a Canary say so instead of going blank', { timeout: 30000 }, async () => {
    const { context, page } = await openPage(env.browser, env.server.url);
    await page.setInputFiles('#file-input', {
      name: 'cm.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n---\napiVersion: v1\nkind: ConfigMap\ndata: {k: v}\n',
      ),
    });
    await page.locator('#file-error:not([hidden])').waitFor();
    const text = await page.locator('#file-error').textContent();
    assert.match(text, /No Canary/);
    assert.match(text, /Skipped objects:object skipped: ConfigMap has no metadata \(cm\.yaml \(document 2, line 6\)\)/);
    assert.ok((await page.locator('#result').textContent()).length > 0);
    await context.close();
  });

  test("the version picker (the core's releases) changes the result (projected-and-init, 1.44.0 vs 1.37.0)", {
    timeout: 60000,
  }, async () => {
    const { context, page } = await openPage(env.browser, env.server.url);
    const s = await loadScenario('projected-and-init');
    await page.locator('#version option').first().waitFor({ state: 'attached' }); // filled once the worker's wasm is in
    assert.equal(await page.locator('#version').inputValue(), '1.44.0');
    const options = await page.locator('#version option').allTextContents();
    assert.ok(options.includes('1.37.0') && options.includes('0.20.4'), options.join());
    await page.setInputFiles('#file-input', s.file);
    await waitPlan(page, 'shop/api');
    const codes = () => page.locator('.warnings li').evaluateAll((l) => l.map((li) => li.dataset.code));
    const workload = () => page.locator('details.object', { hasText: 'Deployment' }).locator('pre').textContent();
    assert.ok(!(await codes()).includes('init-container-not-rewritten'));
    assert.match(await workload(), /name: db-migrations-primary$/m);
    assert.match(await page.locator('.target').textContent(), /Flagger 1\.44\.0/);

    await page.selectOption('#version', '1.37.0');
    await page.locator('.target', { hasText: 'Flagger 1.37.0' }).waitFor();
    assert.ok((await codes()).includes('init-container-not-rewritten'));
    assert.match(await workload(), /name: db-migrations$/m);
    assert.doesNotMatch(await workload(), /name: db-migrations-primary$/m);

    // Before 1.10.0 init containers are not scanned: one config fewer.
    await page.selectOption('#version', '1.6.3');
    await page.locator('.target', { hasText: 'Flagger 1.6.3' }).waitFor();
    const refs = (await configTable(page)).filter((r) => r.current).map((r) => r.ref);
    assert.ok(!refs.includes('configmap/db-migrations'), refs.join());
    await context.close();
  });
});
