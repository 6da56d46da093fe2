// Every shared plan scenario and every local one (tests/data/fixtures/plan-local),
// through the real CLI and the wasm core.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
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

  test(`fixture ${name}: --exit-code reflects the verdict`, async () => {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    const { code } = await runCli(['plan', join(dir, 'objects.yaml'), '--exit-code', '-o', 'json']);
    const want = expected.some((e) => e.error) ? 2 : expected.some((e) => e.configsChanged) ? 3 : 0;
    assert.equal(code, want);
  });
}
