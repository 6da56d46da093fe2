// index.d.ts: type-checks a usage file, rejects a wrong one, and declares
// exactly what the entry points export.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { JS_DIR } from '../testlib/helpers.js';

const run = promisify(execFile);
const TSC = join(JS_DIR, 'node_modules/typescript/bin/tsc');

test('tsc --noEmit accepts the usage example', async () => {
  const { stdout, stderr } = await run(process.execPath, [TSC, '--noEmit', '-p', 'test/types/tsconfig.json'], { cwd: JS_DIR });
  assert.equal(stdout + stderr, '');
});

test('tsc --noEmit rejects wrong calls (the check is not vacuous)', async () => {
  const err = await run(process.execPath, [TSC, '--noEmit', '-p', 'test/types/tsconfig.bad.json'], { cwd: JS_DIR }).then(
    () => null,
    (e) => e,
  );
  assert.ok(err, 'tsc accepted bad.ts');
  assert.match(err.stdout, /bad\.ts\(5,\d+\): error TS2322/);
  assert.match(err.stdout, /bad\.ts\(6,\d+\): error TS2322/);
  assert.match(err.stdout, /bad\.ts\(7,\d+\): error TS2339: Property 'notAField'/);
});

test('index.d.ts declares every runtime export of the node entry, and nothing else', async () => {
  const dts = readFileSync(join(JS_DIR, 'index.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export (?:function|class|const) (\w+)/gm)].map((m) => m[1]).sort();
  const node = await import('canary-tracker');
  assert.deepEqual(Object.keys(node).sort(), declared);
  const browserOnlyMissing = ['expandPath', 'loadObjects', 'readStream'];
  const browserSrc = readFileSync(join(JS_DIR, 'src/browser.js'), 'utf8') + readFileSync(join(JS_DIR, 'src/core.js'), 'utf8');
  for (const name of declared.filter((n) => !browserOnlyMissing.includes(n))) {
    assert.match(browserSrc, new RegExp(`\\b${name}\\b`), `browser entry lacks ${name}`);
  }
});
