// The whole verdict in the banner and the list (Chromium): one Canary per
// decision, made from the podinfo fixture by changing its status and spec;
// the page must show the core's decision, line, reasons and spec hashes (the
// core's own plan of the same objects is the oracle), the list and the facets
// must carry the decision, and the upgrade picker adds the upgrade check.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { notPreviewed } from 'canary-tracker/decision';
import {
  browserAndServer,
  checkVerdict,
  coreVerdict,
  loadScenario,
  openPage,
  screenshot,
  waitPlan,
} from './helpers.js';

const env = browserAndServer();

/** Canaries that differ from podinfo-unchanged's in one way each, with the decision the README's table gives. */
async function variants() {
  const s = await loadScenario('podinfo-unchanged');
  const base = s.objects.find((o) => o.kind === 'Canary');
  const rest = s.objects.filter((o) => o !== base);
  const hash = (await coreVerdict(s.objects, base.metadata.namespace, base.metadata.name)).analysis.specHash.current;
  const canary = (name, change) => {
    const c = structuredClone(base);
    c.metadata.name = name;
    change(c);
    return c;
  };
  const applied = (phase, h) => (c) => Object.assign(c.status, { phase, lastAppliedSpec: h, lastPromotedSpec: h });
  const cases = {
    first: ['initialize', (c) => delete c.status],
    same: ['none', applied('Succeeded', hash)],
    spec: ['start', applied('Succeeded', '5d4f8c7b9')],
    running: ['continue', applied('Progressing', hash)],
    restart: ['restart', applied('Progressing', '5d4f8c7b9')],
    skip: [
      'promote-without-analysis',
      (c) => {
        applied('Succeeded', '5d4f8c7b9')(c);
        c.spec.skipAnalysis = true;
      },
    ],
    paused: [
      'suspended',
      (c) => {
        applied('Succeeded', hash)(c);
        c.spec.suspend = true;
      },
    ],
    broken: [
      'failed',
      (c) => {
        c.spec.targetRef.name = 'nowhere';
      },
    ],
  };
  const canaries = Object.entries(cases).map(([name, [, change]]) => canary(name, change));
  return {
    objects: [...canaries, ...rest],
    ns: base.metadata.namespace,
    want: Object.fromEntries(Object.entries(cases).map(([n, [d]]) => [n, d])),
  };
}

describe('the whole verdict', () => {
  test('each decision: banner, reasons and spec hash as the core says; list dots and facets', {
    timeout: 90000,
  }, async () => {
    const { objects, ns, want } = await variants();
    const { context, page, log } = await openPage(env.browser, env.server.url);
    await page.setInputFiles('#file-input', {
      name: 'variants.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(objects)),
    });
    await page.locator('#list-count', { hasText: String(Object.keys(want).length) }).waitFor();
    for (const [name, decision] of Object.entries(want)) {
      const id = `${ns}/${name}`;
      await page.locator(`button.canary[data-canary="${id}"]`).click();
      await waitPlan(page, id);
      const article = page.locator(`article.plan[data-canary="${id}"]`);
      assert.equal(await checkVerdict(article, await coreVerdict(objects, ns, name)), decision, name);
      assert.equal(
        await page.locator(`button.canary[data-canary="${id}"] .dot`).getAttribute('data-decision'),
        decision,
      );
    }
    // The spec hash now against status.lastAppliedSpec, in words.
    await page.locator(`button.canary[data-canary="${ns}/spec"]`).click();
    await waitPlan(page, `${ns}/spec`);
    assert.match(
      await page.locator('.spechash').textContent(),
      /status\.lastAppliedSpec5d4f8c7b9 · differs: the spec changed/,
    );
    assert.deepEqual(await page.locator('.reasons li').evaluateAll((l) => l.map((li) => li.dataset.code)), [
      'spec-changed',
    ]);
    // What Flagger also writes and the plan does not model, as the package lists it.
    const extra = notPreviewed(objects.find((o) => o.kind === 'Canary' && o.metadata.name === 'spec'));
    assert.ok(extra.length >= 3);
    assert.deepEqual(
      await page.locator('.not-previewed li').allTextContents(),
      extra.map((n) => (n.name ? `${n.kind} ${n.name}: ${n.why}` : n.why)),
    );
    await screenshot(page, 'verdict-start-1280.png');
    await page.locator(`button.canary[data-canary="${ns}/same"]`).click();
    await waitPlan(page, `${ns}/same`);
    assert.match(await page.locator('.spechash').textContent(), /same: the spec did not change/);
    // One facet value per decision, each counting one Canary; choosing one filters the list.
    const counts = await page
      .locator('button.facet[data-facet="decision"]')
      .evaluateAll((bs) => Object.fromEntries(bs.map((b) => [b.dataset.value, b.querySelector('.count').textContent])));
    assert.deepEqual(counts, Object.fromEntries(Object.values(want).map((d) => [d, '1'])));
    await page.locator('button.facet[data-value="restart"]').click();
    assert.deepEqual(await page.locator('#canaries button.canary').evaluateAll((b) => b.map((x) => x.dataset.canary)), [
      `${ns}/restart`,
    ]);
    assert.deepEqual(log.errors, []);
    await context.close();
  });

  test('the upgrade picker adds the upgrade check to the banner', { timeout: 60000 }, async () => {
    const s = await loadScenario('podinfo-unchanged');
    const { context, page } = await openPage(env.browser, env.server.url);
    await page.setInputFiles('#file-input', s.file);
    await waitPlan(page, 'test/podinfo');
    assert.equal(await page.locator('.upgrade').count(), 0);
    await page.selectOption('#version', '1.37.0');
    await page.selectOption('#upgrade', '1.44.0');
    await page.locator('.upgrade').waitFor();
    const core = await coreVerdict(s.objects, 'test', 'podinfo', { flaggerVersion: '1.37.0', upgradeTo: '1.44.0' });
    const text = await page.locator('.upgrade').textContent();
    assert.ok(
      text.startsWith(
        `Upgrade ${core.upgrade.from} → ${core.upgrade.to}: ${core.upgrade.startsAnalysis ? 'starts an analysis' : 'no analysis'}`,
      ),
      text,
    );
    if (core.upgrade.message) assert.ok(text.includes(core.upgrade.message), text);
    await page.selectOption('#upgrade', '');
    await page.locator('.upgrade').waitFor({ state: 'detached' });
    await context.close();
  });
});
