// Response amplification (issue 13 item 3) through the import-free module
// (a Node child, tests/hardening/amplification.mjs) and the WASI command
// (wasmtime, tests/hardening/wasi-run.py): each generated request with its
// expected answer and a bound on wall time and peak RSS 10× the figure
// measured when the case was written (MEASURED below; the core's own test is
// tests/hardening_amplification.rs).

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { sharedConfig, unreadable } from './amplification.mjs';
import { ROOT, WASI_WASM, assertBounds, measured } from './common.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'canary-amplification-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Figures measured when the cases were written (the higher of a run at load average 13 and one at 1): [ms, peak RSS MiB]; bounds are 10×. */
const MEASURED = {
  'module: 1,000 Canaries sharing a 2 MiB ConfigMap': [803, 334],
  'module: the same without primary bodies': [439, 101],
  'module: 1,000,000 unreadable objects': [3658, 415],
  'wasi: 1,000 Canaries sharing a 2 MiB ConfigMap': [542, 319],
  'wasi: the same without primary bodies': [415, 71],
  'wasi: 1,000,000 unreadable objects': [1190, 383],
};
const bound = (name) => ({ ms: MEASURED[name][0] * 10, rssMiB: MEASURED[name][1] * 10 });

const CASES = [
  ['1,000 Canaries sharing a 2 MiB ConfigMap', () => sharedConfig(1000, 2 << 20), { code: 'response-too-large' }],
  ['the same without primary bodies', () => sharedConfig(1000, 2 << 20, { primaryBodies: false }), { plans: 1000 }],
  ['1,000,000 unreadable objects', () => unreadable(1_000_000), { plans: 0, warnings: 101 }],
];

for (const [name, make, want] of CASES) {
  const file = path.join(tmp, `${name.replace(/\W+/g, '-')}.json`);
  const request = () => {
    if (!existsSync(file)) writeFileSync(file, make());
    return file;
  };

  test(`module: ${name}`, () => {
    const r = measured(path.join(ROOT, 'tests/hardening/amplification.mjs'), [request()]);
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.restarts, 0, 'the module trapped');
    if (want.code) assert.equal(v.code, want.code, v.message);
    else {
      assert.equal(v.code, null, v.message);
      assert.equal(v.plans, want.plans);
      if (want.warnings) {
        assert.equal(v.warnings.length, want.warnings);
        assert.equal(v.warnings.at(-1), 'warnings-omitted');
      }
    }
    assert.ok(v.bytes < 8 << 20, `${v.bytes} bytes`);
    assertBounds(assert, r, bound(`module: ${name}`), name);
    if (process.env.PRINT_FIGURES) console.log(`module: ${name}: ${r.ms.toFixed(0)} ms, ${r.rssMiB.toFixed(0)} MiB`);
  });

  test(`wasi: ${name}`, () => {
    assert.ok(existsSync(WASI_WASM), 'js/pkg/wasi is not built: run scripts/build.sh');
    const r = measured(path.join(ROOT, 'tests/hardening/wasi-run.py'), [WASI_WASM, request()]);
    const v = JSON.parse(r.stdout);
    if (want.code) {
      assert.equal(r.status, 1, r.stderr);
      assert.equal(v.error.code, want.code);
    } else {
      assert.equal(r.status, 0, r.stderr);
      assert.equal(v.plans.length, want.plans);
      if (want.warnings) assert.equal(v.warnings.length, want.warnings);
    }
    assertBounds(assert, r, bound(`wasi: ${name}`), name);
    if (process.env.PRINT_FIGURES) console.log(`wasi: ${name}: ${r.ms.toFixed(0)} ms, ${r.rssMiB.toFixed(0)} MiB`);
  });
}
