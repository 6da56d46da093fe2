// At scale, in Chromium: 1,000 generated Canaries (bench/generate.js) in file
// mode — the filter, the facets and their counts, the virtualised list, the
// selected plan kept in view, selection without rebuilding the list — and
// cancelling a long upload. No timings are asserted.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectedDecision, generate } from '../bench/generate.js';
import { launch, loadScenario, openPage, screenshot, staticServer, waitPlan } from './helpers.js';

const N = 1000;
const NS = 20;
const FAIL_EVERY = 50;
let browser;
let server;
let dir;
let upload;
before(async () => {
  browser = await launch();
  server = await staticServer();
  dir = await mkdtemp(join(tmpdir(), 'ct-scale-'));
  upload = join(dir, 'upload.yaml');
  await writeFile(upload, (await generate({ canaries: N, namespaces: NS, failEvery: FAIL_EVERY })).text);
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const ns = (i) => `team-${String(i % NS).padStart(2, '0')}`;
const id = (i) => `${ns(i)}/app-${String(i).padStart(4, '0')}`;
const decision = (i) => expectedDecision(i, FAIL_EVERY);

async function loaded(page) {
  await page.setInputFiles('#file-input', upload);
  await page.locator('#list-count', { hasText: '1,000' }).waitFor({ timeout: 60000 });
  await page.locator('#progress').waitFor({ state: 'hidden', timeout: 60000 });
}
const count = (page) => page.locator('#list-count').textContent();
const facet = (page, name, value) => page.locator(`button.facet[data-facet="${name}"][data-value="${value}"]`);
const facetCounts = (page, name) =>
  page
    .locator(`button.facet[data-facet="${name}"]`)
    .evaluateAll((bs) =>
      Object.fromEntries(
        bs.map((b) => [b.dataset.value, Number(b.querySelector('.count').textContent.replace(/,/g, ''))]),
      ),
    );
/** Keys of the rows in the DOM whose box is inside the list pane's box. */
const visibleRows = (page) =>
  page.evaluate(() => {
    const pane = document.getElementById('canaries').getBoundingClientRect();
    return [...document.querySelectorAll('#canaries button.canary')]
      .filter((b) => {
        const r = b.getBoundingClientRect();
        return r.top >= pane.top - 1 && r.bottom <= pane.bottom + 1;
      })
      .map((b) => b.dataset.canary);
  });
const renderedRows = (page) =>
  page.locator('#canaries button.canary').evaluateAll((bs) => bs.map((b) => b.dataset.canary));
async function planInView(page, canary) {
  await waitPlan(page, canary);
  const box = await page.locator(`article.plan[data-canary="${canary}"] .plan-head`).boundingBox();
  const vh = page.viewportSize().height;
  assert.ok(
    box.y >= 0 && box.y + 40 <= vh,
    `the plan head of ${canary} is at y=${box.y}, outside the ${vh}px viewport`,
  );
}

describe('1,000 Canaries', () => {
  test('the list is virtualised, scrolls on its own, and the facets count the decisions and namespaces', {
    timeout: 120000,
  }, async () => {
    const { context, page, log } = await openPage(browser, server.url);
    await loaded(page);
    const rows = await page.locator('#canaries li').count();
    assert.ok(rows > 5 && rows < 80, `${rows} rows in the DOM for 1,000 Canaries`);
    const pane = await page
      .locator('#canaries')
      .evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    assert.ok(pane.scroll >= N * 40 && pane.client < 900, JSON.stringify(pane));
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(pageHeight < 20000, `the page is ${pageHeight}px tall: the list must not stretch it`);

    const want = {};
    for (let i = 0; i < N; i++) want[decision(i)] = (want[decision(i)] ?? 0) + 1;
    assert.deepEqual(await facetCounts(page, 'decision'), want);
    const nss = await facetCounts(page, 'namespace');
    assert.equal(Object.keys(nss).length, NS);
    assert.ok(
      Object.values(nss).every((n) => n === N / NS),
      JSON.stringify(nss),
    );

    // Decision facet, then a namespace on top: counts and rows follow.
    await facet(page, 'decision', 'failed').click();
    assert.equal(await count(page), `${want.failed} of 1,000`);
    assert.equal(await facet(page, 'decision', 'failed').getAttribute('aria-pressed'), 'true');
    const dots = await page
      .locator('#canaries .dot')
      .evaluateAll((d) => [...new Set(d.map((x) => x.dataset.decision))]);
    assert.deepEqual(dots, ['failed']);
    const failedIn09 = Array.from({ length: N }, (_, i) => i).filter(
      (i) => decision(i) === 'failed' && ns(i) === 'team-09',
    );
    assert.equal((await facetCounts(page, 'namespace'))['team-09'], failedIn09.length);
    await facet(page, 'namespace', 'team-09').click();
    assert.equal(await count(page), `${failedIn09.length} of 1,000`);
    assert.deepEqual((await renderedRows(page)).sort(), failedIn09.map(id).sort());
    // A failed Canary's plan says why.
    await page.locator(`button.canary[data-canary="${id(failedIn09[0])}"]`).click();
    await waitPlan(page, id(failedIn09[0]));
    assert.match(await page.locator('article.plan .msg.error').textContent(), /target-not-found/);
    await facet(page, 'namespace', 'team-09').click();
    await facet(page, 'decision', 'failed').click();
    assert.equal(await count(page), '1,000');
    await screenshot(page, 'scale-1000-1280.png');
    assert.deepEqual(log.errors, []);
    await context.close();
  });

  test('the filter finds by name, namespace and target', { timeout: 120000 }, async () => {
    const { context, page } = await openPage(browser, server.url);
    await loaded(page);
    await page.fill('#filter', 'app-0901');
    assert.equal(await count(page), '1 of 1,000');
    assert.deepEqual(await visibleRows(page), [id(901)]);
    assert.equal((await facetCounts(page, 'decision'))[decision(901)], 1);
    // By target: the failing Canaries point at "<name>-gone".
    await page.fill('#filter', 'deployment/app-0049-gone');
    assert.deepEqual(await visibleRows(page), [id(49)]);
    // By namespace, two terms.
    await page.fill('#filter', 'team-07/ app-09');
    const hits = Array.from({ length: N }, (_, i) => i).filter(
      (i) => ns(i) === 'team-07' && String(i).padStart(4, '0').startsWith('09'),
    );
    assert.equal(await count(page), `${hits.length} of 1,000`);
    assert.deepEqual((await renderedRows(page)).sort(), hits.map(id).sort());
    // Enter selects the first match.
    await page.fill('#filter', 'app-0777');
    await page.press('#filter', 'Enter');
    await planInView(page, id(777));
    await page.fill('#filter', 'no such canary');
    assert.equal(await count(page), '0 of 1,000');
    assert.equal(await page.locator('#canaries button.canary').count(), 0);
    await page.fill('#filter', '');
    assert.equal(await count(page), '1,000');
    await context.close();
  });

  test('the selected plan is in view, and selecting does not rebuild the list', { timeout: 120000 }, async () => {
    const { context, page } = await openPage(browser, server.url);
    await loaded(page);
    // Scroll the list pane (not the page) to the end and pick the last Canary.
    await page.locator('#canaries').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.waitForFunction(() => document.querySelector('#canaries li[aria-posinset="1000"]'));
    assert.equal(await page.evaluate(() => scrollY), 0, 'the page itself did not scroll');
    const bottom = await visibleRows(page);
    const [third, second, last] = bottom.slice(-3);
    const probe = await page.evaluate(() => {
      const lis = [...document.querySelectorAll('#canaries li')];
      lis.forEach((li, i) => {
        li.dataset.probe = String(i);
      });
      return lis.length;
    });
    await page.locator(`button.canary[data-canary="${last}"]`).click();
    await planInView(page, last);
    const after = await page.evaluate(() => ({
      rows: document.querySelectorAll('#canaries li').length,
      probed: document.querySelectorAll('#canaries li[data-probe]').length,
      current: [...document.querySelectorAll('#canaries button[aria-current="true"]')].map((b) => b.dataset.canary),
    }));
    assert.deepEqual(after, { rows: probe, probed: probe, current: [last] }, 'same row elements, one marked current');
    assert.ok((await visibleRows(page)).includes(last), 'the selected row is still in the pane');

    // Read far down a plan, then pick another Canary: its plan comes into view.
    await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
    await page.locator(`button.canary[data-canary="${second}"]`).click();
    await planInView(page, second);
    // The keyboard walks the list.
    await page.locator(`button.canary[data-canary="${second}"]`).focus();
    await page.keyboard.press('ArrowUp');
    await planInView(page, third);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.canary), third);
    // A narrow window: the list is above the plan, and a pick still shows the plan.
    await page.setViewportSize({ width: 800, height: 900 });
    await page.locator('#canaries').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.locator(`button.canary[data-canary="${id(0)}"]`).click();
    await planInView(page, id(0));
    await screenshot(page, 'scale-1000-800.png');
    await context.close();
  });

  test('cancelling a long upload keeps what was there; the page stays usable', { timeout: 180000 }, async () => {
    const { context, page, log } = await openPage(browser, server.url);
    const s = await loadScenario('podinfo-unchanged');
    await page.setInputFiles('#file-input', s.file);
    await waitPlan(page, 'test/podinfo');
    // Three times the benchmark upload: parsing alone takes seconds.
    const big = join(dir, 'big.yaml');
    await writeFile(big, (await generate({ canaries: 3 * N, namespaces: NS, prefix: 'big' })).text);
    await page.setInputFiles('#file-input', big);
    await page.locator('#progress:not([hidden])').waitFor();
    assert.match(await page.locator('#progress-text').textContent(), /files read|reading|parsing|Starting/);
    await page.locator('#cancel').click();
    await page
      .locator('#file-error', { hasText: 'Cancelled: the files are as they were.' })
      .waitFor({ timeout: 60000 });
    await page.locator('#progress').waitFor({ state: 'hidden' });
    assert.deepEqual(await page.locator('#file-list li').evaluateAll((l) => l.map((li) => li.dataset.file)), [
      'objects.yaml',
    ]);
    assert.equal(await count(page), '1');
    assert.equal(await page.locator('#canaries button.canary').getAttribute('data-canary'), 'test/podinfo');
    await waitPlan(page, 'test/podinfo');
    // Still usable: the version picker re-plans through the (new) worker.
    await page.selectOption('#version', '1.37.0');
    await page.locator('.target', { hasText: 'Flagger 1.37.0' }).waitFor();
    assert.deepEqual(log.errors, []);
    await context.close();
  });

  test('an upload over the size cap is refused before reading, with a clear message', { timeout: 60000 }, async () => {
    const { context, page } = await openPage(browser, server.url);
    // A sparse 70 MB file: the cap is checked on its size, nothing is read.
    const huge = join(dir, 'huge.yaml');
    await writeFile(huge, '');
    const { truncate } = await import('node:fs/promises');
    await truncate(huge, 70 * 1024 * 1024);
    await page.setInputFiles('#file-input', huge);
    const err = page.locator('#file-list li[data-file="huge.yaml"] .file-error');
    await err.waitFor();
    assert.match(
      await err.textContent(),
      /not read: 73\.4 MB is over the dashboard's 64 MiB limit.*canary-tracker plan FILE/,
    );
    assert.equal(await page.locator('#progress').isHidden(), true);
    await context.close();
  });
});
