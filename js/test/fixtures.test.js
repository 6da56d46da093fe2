// Every shared plan scenario and every local one (tests/data/fixtures/plan-local),
// through the real CLI and the wasm core.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { parseObjects } from '../src/parse.js';
import { FIXTURES, LOCAL_FIXTURES, runCli, summarise } from '../testlib/helpers.js';

const scenarios = (root) =>
  readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, d.name))
    .sort();
const shared = scenarios(FIXTURES);
const local = scenarios(LOCAL_FIXTURES);
const dirs = [...shared, ...local];

test('the shared and local fixtures are there', () => {
  assert.ok(shared.length >= 8, `expected the shared fixtures in ${FIXTURES}, found ${shared.length}`);
  assert.ok(local.length >= 6, `expected the local fixtures in ${LOCAL_FIXTURES}, found ${local.length}`);
});

for (const dir of dirs) {
  const name = basename(dir);
  test(`fixture ${name}: plan -o json matches expected.json`, async () => {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    const { code, stdout, stderr } = await runCli(['plan', join(dir, 'objects.yaml'), '-o', 'json']);
    const response = JSON.parse(stdout);
    assert.deepEqual(response.plans.map(summarise), expected);
    const failed = expected.some((e) => e.error);
    assert.equal(code, failed ? 2 : 0, stderr);
    if (failed) {
      for (const e of expected.filter((x) => x.error)) {
        assert.match(stderr, new RegExp(`Canary ${e.namespace}/${e.canary}: ${e.error}: `));
        if (e.errorRef) assert.ok(stderr.includes(e.errorRef), stderr);
      }
    } else {
      assert.equal(stderr, '');
    }
  });

  test(`fixture ${name}: --exit-code reflects the decision`, async () => {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    // Flagger's scheduler: a Canary with no status.phase is initialized, never
    // analysed; a settled one (every phase in these fixtures is Succeeded)
    // starts an analysis when its configs changed or, as here, it has no
    // status.lastAppliedSpec (hasSpecChanged: an empty one is a change).
    const { objects } = parseObjects(readFileSync(join(dir, 'objects.yaml'), 'utf8'));
    const canaries = new Map(
      objects
        .filter((o) => o.kind === 'Canary')
        .map((o) => [`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o]),
    );
    const starts = (e) => {
      const s = canaries.get(`${e.namespace}/${e.canary}`)?.status;
      return s?.phase === 'Succeeded' && (e.configsChanged || !s.lastAppliedSpec);
    };
    const { code } = await runCli(['plan', join(dir, 'objects.yaml'), '--exit-code', '-o', 'json']);
    const want = expected.some((e) => e.error) ? 2 : expected.some(starts) ? 3 : 0;
    assert.equal(code, want);
  });
}
