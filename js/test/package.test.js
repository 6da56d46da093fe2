// The npm package as `npm pack` makes it: the files a user gets (the wasm once, README, LICENSE, types),
// and a refusal to pack without a built module.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { JS_DIR, REPO } from '../testlib/helpers.js';

const run = promisify(execFile);
const npm = (args, cwd) => run('npm', args, { cwd, env: { ...process.env, npm_config_loglevel: 'error' } });

test('npm pack: the module once, README, LICENSE, types, sources; nothing else', async () => {
  const { stdout } = await npm(['pack', '--dry-run', '--json', '--ignore-scripts=false'], JS_DIR);
  const [{ files }] = JSON.parse(stdout);
  const paths = files.map((f) => f.path).sort();
  assert.deepEqual(
    paths.filter((p) => p.endsWith('.wasm')),
    // The size build (browser) and the speed build (Node), each once.
    ['pkg/abi/canary_tracker.speed.wasm', 'pkg/abi/canary_tracker.wasm'],
  );
  for (const p of [
    'LICENSE',
    'README.md',
    'package.json',
    'cli.js',
    'index.d.ts',
    'types/core.d.ts',
    'types/kube.d.ts',
    'src/node.js',
    'src/browser.js',
    'src/abi.js',
  ]) {
    assert.ok(paths.includes(p), `${p} is not packed`);
  }
  const stray = paths.filter(
    (p) =>
      !/^(LICENSE|README\.md|package\.json|cli\.js|index\.d\.ts|types\/[\w-]+\.d\.ts|src\/[\w-]+\.js|pkg\/abi\/canary_tracker(\.speed)?\.wasm)$/.test(
        p,
      ),
  );
  assert.deepEqual(stray, [], 'packed files outside the package');
  assert.equal(readFileSync(join(JS_DIR, 'LICENSE'), 'utf8'), readFileSync(join(REPO, 'LICENSE'), 'utf8'));
  assert.match(readFileSync(join(REPO, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  const pkg = JSON.parse(readFileSync(join(JS_DIR, 'package.json'), 'utf8'));
  assert.equal(pkg.license, 'Apache-2.0');
  assert.equal(pkg.exports['./wasm'], './pkg/abi/canary_tracker.wasm');
});

test('npm pack refuses a package whose wasm module is not built', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'canary-pack-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const copy = join(dir, 'js');
  // The package as a checkout has it, without pkg/ (as before scripts/build.sh).
  cpSync(JS_DIR, copy, {
    recursive: true,
    filter: (src) => !/\/(node_modules|pkg)(\/|$)/.test(src.slice(JS_DIR.length)),
  });
  const err = await npm(['pack', '--dry-run'], copy).then(
    () => null,
    (e) => e,
  );
  assert.ok(err, 'npm pack packed a package without its wasm module');
  assert.match(err.stderr, /refusing to pack: pkg\/abi\/canary_tracker\.wasm is missing; run scripts\/build\.sh first/);
});
