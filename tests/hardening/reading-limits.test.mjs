// Reading is bounded and linear (issue 13 items 4, 5, 7, 10): every class of
// hostile input through the CLI (and the WASI command for stdin), each with
// its expected exit and code and a bound on wall time and peak RSS that is
// 10× the figure measured when the case was written (Node 20, the 2-core
// dev machine under load; MEASURED below), so a regression to quadratic
// time or unbounded memory fails while load does not.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { CLI, ROOT, WASI_WASM, assertBounds, cli, measured } from './common.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'canary-limits-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name, text) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

const canary = 'apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: app, namespace: default}\nspec:\n  targetRef: {apiVersion: apps/v1, kind: Deployment, name: app}\n---\n' +
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: default}\nspec:\n  selector: {matchLabels: {app: app}}\n  template:\n    metadata: {labels: {app: app}}\n' +
  '    spec:\n      containers:\n      - name: app\n        envFrom: [{configMapRef: {name: big}}]\n';

/** Generated inputs: name → [file text, CLI args after the file, expected exit, stderr pattern]. */
const CASES = {
  'ConfigMap with 80,000 keys (YAML)': () => {
    let keys = '';
    for (let i = 0; i < 80_000; i++) keys += `  key${i}: value${i}\n`;
    return [`${canary}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${keys}`, ['-o', 'json'], 0, /^$/];
  },
  'merge key fan-out: 99 merges of a 50,000-key map': () => {
    let base = 'base: &b\n';
    for (let i = 0; i < 50_000; i++) base += `  k${i}: v\n`;
    let fan = '';
    for (let i = 0; i < 99; i++) fan += `m${i}:\n  <<: *b\n`;
    return [`kind: X\n${base}${fan}`, [], 1, /document contains excessive aliasing/];
  },
  'a 10 MB anchor used by 99 aliases': () => {
    let refs = '';
    for (let i = 0; i < 99; i++) refs += `  a${i}: *s\n`;
    return [`kind: ConfigMap\nanchor: &s ${'x'.repeat(10_000_000)}\ndata:\n${refs}`, [], 1, /input-too-large: aliases and merge keys expand the document past/];
  },
  'billion laughs (9 levels of 9 aliases)': () => {
    let text = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 9; i++) text += `${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(9).fill(`*${'abcdefghij'[i - 1]}`).join(', ')}]\n`;
    return [text, [], 1, /document contains excessive aliasing/];
  },
  'a List of 150,000 ConfigMaps (YAML)': () => {
    let items = 'apiVersion: v1\nkind: List\nitems:\n';
    for (let i = 0; i < 150_000; i++) items += `- {apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}, data: {k: v}}\n`;
    return [`${canary}---\n${items}`, ['-o', 'json'], 2, /config-not-found/];
  },
  'a List of 150,000 ConfigMaps (JSON)': () => {
    const items = Array.from({ length: 150_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { k: 'v' } }));
    return [JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), ['-o', 'json'], 1, /no Canary/];
  },
  // Unclosed: go-yaml's own limit (10,000 flow levels) speaks first.
  'YAML flow nesting 100,000 deep': () => [`a: ${'['.repeat(100_000)}\n`, [], 1, /exceeded max depth of 10000|nested deeper than 1000 levels/],
  'JSON nesting 100,000 deep': () => [`{"a": ${'['.repeat(100_000)}`, [], 1, /nested deeper than 1000 levels/],
  'an object nested 126 deep (one more than the core reads): refused at its place in the file': () => [
    `{"kind": "ConfigMap", "metadata": {"name": "d"}, "data": {"k": ${'['.repeat(124)}${']'.repeat(124)}}}`,
    [],
    1,
    /^canary-tracker: .*\.json:1:\d+ \(document 1\): nested deeper than 125 levels/,
  ],
};

/** Figures measured when the cases were written (load average 13 on 2 cores): [ms, peak RSS MiB]; bounds are 10×. */
const MEASURED = {
  'ConfigMap with 80,000 keys (YAML)': [2200, 190],
  'merge key fan-out: 99 merges of a 50,000-key map': [1300, 180],
  'a 10 MB anchor used by 99 aliases': [600, 90],
  'billion laughs (9 levels of 9 aliases)': [300, 60],
  'a List of 150,000 ConfigMaps (YAML)': [14000, 520],
  'a List of 150,000 ConfigMaps (JSON)': [13300, 340],
  'YAML flow nesting 100,000 deep': [400, 65],
  'JSON nesting 100,000 deep': [400, 55],
  'an object nested 126 deep (one more than the core reads): refused at its place in the file': [400, 55],
  'stdin from /dev/zero': [900, 190],
  '/dev/zero named as a file': [1500, 190],
  'WASI command, stdin from /dev/zero': [2200, 320],
};
const bound = (name) => ({ ms: MEASURED[name][0] * 10, rssMiB: MEASURED[name][1] * 10 });

describe('the CLI on generated hostile files', () => {
  for (const [name, make] of Object.entries(CASES)) {
    test(name, () => {
      const [text, args, exit, stderr] = make();
      const f = file(`${name.replace(/\W+/g, '-')}${text.startsWith('{') ? '.json' : '.yaml'}`, text);
      const r = measured(CLI, ['plan', f, ...args]);
      assert.equal(r.error, undefined, `${name}: ${r.error}`);
      assert.equal(r.status, exit, `${name}: exit ${r.status}, ${r.stderr.slice(0, 500)}`);
      if (exit === 1) assert.match(r.stderr, stderr);
      if (exit !== 1) assert.ok(r.stdout.startsWith('{'), name);
      assert.ok(!/RangeError|Maximum call stack|heap out of memory|\n\s+at /.test(r.stderr), `${name}: ${r.stderr.slice(0, 500)}`);
      assertBounds(assert, r, bound(name), name);
      if (process.env.PRINT_FIGURES) console.log(`${name}: ${r.ms.toFixed(0)} ms, ${r.rssMiB.toFixed(0)} MiB`);
    });
  }
});

describe('unbounded inputs stop at 128 MiB with input-too-large', () => {
  test('stdin from /dev/zero', () => {
    const fd = openSync('/dev/zero', 'r');
    const r = measured(CLI, ['plan', '-'], { stdin: fd });
    closeSync(fd);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^canary-tracker: <stdin>: input-too-large: more than 134217728 bytes/);
    assertBounds(assert, r, bound('stdin from /dev/zero'), 'stdin');
    if (process.env.PRINT_FIGURES) console.log(`stdin from /dev/zero: ${r.ms.toFixed(0)} ms, ${r.rssMiB.toFixed(0)} MiB`);
  });

  test('/dev/zero named as a file', () => {
    const r = measured(CLI, ['plan', '/dev/zero']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^canary-tracker: \/dev\/zero: input-too-large/);
    assertBounds(assert, r, bound('/dev/zero named as a file'), '/dev/zero');
    if (process.env.PRINT_FIGURES) console.log(`/dev/zero named as a file: ${r.ms.toFixed(0)} ms, ${r.rssMiB.toFixed(0)} MiB`);
  });

  test('WASI command, stdin from /dev/zero', () => {
    assert.ok(existsSync(WASI_WASM), 'js/pkg/wasi is not built: run scripts/build.sh');
    const r = measured(path.join(ROOT, 'tests/hardening/wasi-run.py'), [WASI_WASM, '/dev/zero']);
    assert.equal(r.status, 1, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.error.code, 'input-too-large');
    assertBounds(assert, r, bound('WASI command, stdin from /dev/zero'), 'wasi');
    if (process.env.PRINT_FIGURES) console.log(`WASI command, stdin from /dev/zero: ${r.ms.toFixed(0)} ms, ${r.rssMiB.toFixed(0)} MiB`);
  });
});

describe('files and directories', () => {
  test('a symbolic link to a FIFO inside a scanned directory is skipped, not opened', () => {
    const dir = path.join(tmp, 'fifo-dir');
    mkdirSync(dir);
    const fifo = path.join(tmp, 'pipe');
    spawnSync('mkfifo', [fifo]);
    symlinkSync(fifo, path.join(dir, 'a.yaml'));
    writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: v}\n');
    const r = cli(['checksum', dir], { timeout: 20_000 });
    assert.equal(r.signal, null, 'hung on the FIFO');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^configmap\/default\/b [0-9a-f]{16}\n$/);
  });

  test('a FIFO named on the command line is read (process substitution)', async () => {
    const fifo = path.join(tmp, 'named-pipe');
    spawnSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [CLI, 'checksum', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    writeFileSync(fifo, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\ndata: {k: v}\n');
    const status = await new Promise((r) => child.on('close', r));
    assert.equal(status, 0);
    assert.match(out, /^configmap\/default\/p [0-9a-f]{16}\n$/);
  });

  test('an unreadable subdirectory is one clean line, not a raw EACCES', (t) => {
    const dir = path.join(tmp, 'locked');
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    chmodSync(path.join(dir, 'sub'), 0o000);
    t.after(() => chmodSync(path.join(dir, 'sub'), 0o755));
    // Root reads any directory: then run the CLI as "nobody".
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    for (const p of [tmp, dir]) chmodSync(p, 0o755);
    const r = spawnSync(process.execPath, [CLI, 'checksum', dir], { encoding: 'utf8', ...asNobody });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^canary-tracker: .*locked\/sub: cannot read directory: permission denied\n$/);
    assert.doesNotMatch(r.stderr, /EACCES/);
  });
});
