// The package's types: index.d.ts type-checks a usage file and rejects a wrong one, and every types file
// (the entry points' and each subpath's, from package.json's exports) declares exactly what its module
// exports at run time. types/core.d.ts itself is generated from the Rust types and checked by cargo test.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { JS_DIR } from '../testlib/helpers.js';

const run = promisify(execFile);
const TSC = join(JS_DIR, 'node_modules/typescript/bin/tsc');
const PKG = JSON.parse(readFileSync(join(JS_DIR, 'package.json'), 'utf8'));

test('tsc --noEmit accepts the usage example', async () => {
  const { stdout, stderr } = await run(process.execPath, [TSC, '--noEmit', '-p', 'test/types/tsconfig.json'], {
    cwd: JS_DIR,
  });
  assert.equal(stdout + stderr, '');
});

test('tsc --noEmit rejects wrong calls (the check is not vacuous)', async () => {
  const err = await run(process.execPath, [TSC, '--noEmit', '-p', 'test/types/tsconfig.bad.json'], {
    cwd: JS_DIR,
  }).then(
    () => null,
    (e) => e,
  );
  assert.ok(err, 'tsc accepted bad.ts');
  assert.match(err.stdout, /bad\.ts\(5,\d+\): error TS2322/);
  assert.match(err.stdout, /bad\.ts\(6,\d+\): error TS2322/);
  assert.match(err.stdout, /bad\.ts\(7,\d+\): error TS2339: Property 'notAField'/);
});

/** The value names a .d.ts file exports: its own declarations and what it re-exports, followed into other files. */
function declaredValues(file) {
  const text = readFileSync(file, 'utf8');
  const names = new Set(
    [...text.matchAll(/^export (?:declare )?(?:function|class|const|let) (\w+)/gm)].map((m) => m[1]),
  );
  for (const m of text.matchAll(/^export \{([^}]*)\} from '[^']+';/gm)) {
    for (const part of m[1].split(',').map((s) => s.trim())) if (part && !part.startsWith('type ')) names.add(part);
  }
  for (const m of text.matchAll(/^export \* from '([^']+)\.js';/gm)) {
    for (const n of declaredValues(resolve(dirname(file), `${m[1]}.d.ts`))) names.add(n);
  }
  return [...names].sort();
}

test('index.d.ts declares every runtime export of the node entry, and nothing else; the browser entry has them too', async () => {
  const declared = declaredValues(join(JS_DIR, PKG.exports['.'].types));
  const node = await import(pathToFileURL(join(JS_DIR, PKG.exports['.'].node)));
  assert.deepEqual(Object.keys(node).sort(), declared);
  const browser = await import(pathToFileURL(join(JS_DIR, PKG.exports['.'].browser)));
  const nodeOnly = ['expandPath', 'loadObjects', 'readStream'];
  assert.deepEqual(
    Object.keys(browser).sort(),
    declared.filter((n) => !nodeOnly.includes(n)),
  );
});

test("each subpath's types declare exactly its module's runtime exports", async () => {
  const subpaths = Object.entries(PKG.exports).filter(([k, v]) => k !== '.' && typeof v === 'object');
  assert.ok(subpaths.length >= 6, 'parse, cluster, redact, report, files, abi');
  for (const [sub, entry] of subpaths) {
    assert.ok(entry.types, `${sub} has no types`);
    const mod = await import(pathToFileURL(join(JS_DIR, entry.default)));
    assert.deepEqual(declaredValues(join(JS_DIR, entry.types)), Object.keys(mod).sort(), `${sub}: ${entry.types}`);
  }
});
