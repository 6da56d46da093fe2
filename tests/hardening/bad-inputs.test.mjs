// tests/bad-inputs/ through the import-free module (via js/src/abi.js) and
// the CLI. The core itself is checked by tests/hardening_bad_inputs.rs.
//
// CLI: a case marked "cli": "raw" is given to the CLI as the file it is (a
// broken manifest: exit 1); "list" cases are turned into what a user would
// give the CLI — the objects as a `kind: List` file plus the request's
// options as flags — and must exit 1 (request error), 2 (plan error) or 0
// (warning / ok, with the warning in the -o json output), unless the case
// says otherwise with "cliExit" (the CLI's own reader refuses it first).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { AbiHost } from '../../js/src/abi.js';
import { ABI_WASM, BAD, assertCleanFailure, badCases, checkResponse, cli, generate, readJson } from './common.mjs';

const { expected, files } = badCases();
const generated = readJson(path.join(BAD, 'generated.json'));
const tmp = mkdtempSync(path.join(tmpdir(), 'canary-bad-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const GOOD = readFileSync(path.join(BAD, 'odd-but-valid-data.json'));

test('the manifest lists every case file, at least 40', () => {
  assert.deepEqual(Object.keys(expected).sort(), files);
  assert.ok(files.length >= 40, `${files.length} cases`);
});

describe('import-free module', () => {
  const host = AbiHost.load(readFileSync(ABI_WASM));
  for (const f of files) {
    test(f, () => {
      const bytes = readFileSync(path.join(BAD, f));
      const text = host.planText(bytes);
      const v = JSON.parse(text); // whole JSON: no partial write
      checkResponse(assert, v, expected[f], f);
      assert.equal(host.restarts, 0, `${f}: the module trapped`);
      // The instance is still sound afterwards.
      assert.equal(host.plan(GOOD).plans[0].error, null);
    });
  }
  for (const [name, expect] of Object.entries(generated)) {
    test(`generated: ${name}`, () => {
      const fresh = AbiHost.load(readFileSync(ABI_WASM)); // big inputs grow memory: keep them apart
      const v = fresh.plan(generate(name));
      checkResponse(assert, v, expect, name);
      assert.equal(fresh.restarts, 0, `${name}: the module trapped`);
      assert.equal(fresh.plan(GOOD).plans[0].error, null);
    });
  }
});

function cliArgsFor(f) {
  const request = JSON.parse(readFileSync(path.join(BAD, f), 'utf8'));
  const file = path.join(tmp, `${f}.list.json`);
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: request.objects }));
  const args = ['plan', file, '-o', 'json'];
  const o = request.options ?? {};
  if (o.flaggerVersion !== undefined) args.push('--flagger-version', o.flaggerVersion);
  if (o.enableConfigTracking === false) args.push('--disable-config-tracking');
  if (o.selectorLabels) args.push('--selector-labels', o.selectorLabels.join(','));
  if (request.canary?.name != null) args.push('--canary', request.canary.name);
  if (request.canary?.namespace != null) args.push('-n', request.canary.namespace);
  return args;
}

describe('CLI', () => {
  for (const f of files) {
    const e = expected[f];
    test(`${f} (${e.cli})`, () => {
      const args = e.cli === 'raw' ? ['plan', path.join(BAD, f), '-o', 'json'] : cliArgsFor(f);
      const r = cli(args);
      const exit = e.cliExit ?? (e.cli === 'raw' ? 1 : { request: 1, plan: 2, warning: 0, ok: 0 }[e.where]);
      if (exit === 0) {
        assert.equal(r.status, 0, `${f}: exit ${r.status}: ${r.stderr}`);
        const v = JSON.parse(r.stdout);
        if (e.where === 'warning' || e.where === 'ok') checkResponse(assert, v, e, f);
        else assert.ok(v.plans.length > 0 && v.plans.every((p) => p.error === null), f);
        return;
      }
      assertCleanFailure(assert, r, f, exit);
      if (e.where === 'plan' && e.cli === 'list') {
        // The failing Canary's code is on its stderr line and in the report.
        assert.match(r.stderr, new RegExp(e.code), f);
        checkResponse(assert, JSON.parse(r.stdout), e, f);
      }
    });
  }
  // Big and deep inputs as files (the 128 MiB one is the core's and the
  // module's limit; the CLI reads and re-serialises objects, so it never
  // hands the core that text: not run here).
  for (const name of ['deep-array-10000', 'deep-object-10000', 'number-1e400', 'object-depth-126']) {
    test(`generated: ${name} as a manifest file`, () => {
      const file = path.join(tmp, `${name}.json`);
      writeFileSync(file, generate(name));
      assertCleanFailure(assert, cli(['plan', file, '-o', 'json']), name, 1);
    });
  }
  test('generated: big-50mb-configmap as a List plans fine', () => {
    const request = JSON.parse(generate('big-50mb-configmap').toString('utf8'));
    const file = path.join(tmp, 'big.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: request.objects }));
    const r = cli(['plan', file, '-o', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.plans[0].error, null);
    assert.match(v.plans[0].trackedConfigs['configmap/podinfo-config'], /^[0-9a-f]{16}$/);
  });
});
