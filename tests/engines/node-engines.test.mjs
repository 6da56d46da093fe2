// Engine tests in Node (V8): every build of the module must answer every
// shared plan fixture with the same bytes as wasmtime does.
//   abi   js/pkg/abi/canary_tracker.wasm via WebAssembly.instantiate(bytes, {})
//   wasi  js/pkg/wasi/canary-tracker.wasm via node:wasi (stdin → stdout)
//   node  the npm package's node entry (js/src/node.js over js/pkg/abi): planJson, plan
//   web   its browser entry (js/src/browser.js), init() with the module's bytes: planJson, plan
// wasmtime's answers (and the exact request bytes) come from
// `python3 tests/engines/hosts.py dump DIR`. Run after scripts/build.sh:
//   node --test tests/engines/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, openSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const pkg = process.env.CANARY_PKG ?? join(repo, 'js', 'pkg'); // CANARY_PKG: test another build
const utf8 = new TextDecoder('utf-8', { fatal: true });

let dir;
let names;
let abi;
let wasiModule;
let nodeBindings;
let webBindings;


/** The import-free module: the ABI host example from the README. */
class AbiHost {
  static async load(path) {
    const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
    return new AbiHost(instance.exports);
  }
  constructor(exports) {
    this.x = exports;
  }
  call(fn, bytes) {
    const { memory, alloc, dealloc } = this.x;
    const ptr = alloc(bytes.length);
    new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
    const packed = this.x[fn](ptr, bytes.length);
    dealloc(ptr, bytes.length);
    const rptr = Number(BigInt.asUintN(64, packed) >> 32n);
    const rlen = Number(BigInt.asUintN(64, packed) & 0xffffffffn);
    assert.notEqual(rptr, 0, `${fn} could not allocate its response`);
    const out = new Uint8Array(memory.buffer, rptr, rlen).slice();
    dealloc(rptr, rlen);
    return out;
  }
  plan(bytes) {
    return utf8.decode(this.call('plan', bytes));
  }
}

/** Runs the WASI command with `bytes` on stdin: { code, stdout }. */
async function runWasi(bytes) {
  const inPath = join(dir, 'stdin');
  const outPath = join(dir, 'stdout');
  writeFileSync(inPath, bytes);
  writeFileSync(outPath, '');
  const stdin = openSync(inPath, 'r');
  const stdout = openSync(outPath, 'w');
  try {
    const wasi = new WASI({ version: 'preview1', args: ['canary-tracker'], env: {}, stdin, stdout, returnOnExit: true });
    const instance = await WebAssembly.instantiate(wasiModule, wasi.getImportObject());
    const code = wasi.start(instance);
    return { code, stdout: readFileSync(outPath) };
  } finally {
    closeSync(stdin);
    closeSync(stdout);
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'canary-engines-'));
  const dump = spawnSync('python3', [join(here, 'hosts.py'), 'dump', dir], { encoding: 'utf8' });
  assert.equal(dump.status, 0, `hosts.py dump failed: ${dump.stderr}`);
  names = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  abi = await AbiHost.load(join(pkg, 'abi', 'canary_tracker.wasm'));
  wasiModule = await WebAssembly.compile(readFileSync(join(pkg, 'wasi', 'canary-tracker.wasm')));
  nodeBindings = await import(join(repo, 'js', 'src', 'node.js'));
  webBindings = await import(join(repo, 'js', 'src', 'browser.js'));
  await webBindings.init(readFileSync(join(pkg, 'abi', 'canary_tracker.wasm')));
});

after(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (name, what) => readFileSync(join(dir, `${name}.${what}.json`));

test('the shared plan fixtures were dumped', () => {
  assert.ok(names.length >= 8, `only ${names.length} fixtures`);
});

test('the import-free module has no imports and ABI version 1', async () => {
  const module = await WebAssembly.compile(readFileSync(join(pkg, 'abi', 'canary_tracker.wasm')));
  assert.deepEqual(WebAssembly.Module.imports(module), []);
  const exported = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const n of ['memory', 'alloc', 'dealloc', 'abi_version', 'plan', 'checksum', 'call']) assert.ok(exported.includes(n), n);
  assert.equal(abi.x.abi_version(), 1);
});

test('every engine gives wasmtime\'s bytes for every fixture', async (t) => {
  for (const name of names) {
    await t.test(name, async () => {
      const request = fixture(name, 'request');
      const text = utf8.decode(request);
      const want = utf8.decode(fixture(name, 'abi'));
      assert.ok(want.startsWith('{"plans":['), want.slice(0, 200));
      assert.equal(utf8.decode(fixture(name, 'wasi')), want + '\n', 'wasmtime: WASI vs ABI');
      assert.equal(abi.plan(request), want, 'V8 ABI');
      const wasi = await runWasi(request);
      assert.equal(wasi.code, 0);
      assert.equal(utf8.decode(wasi.stdout), want + '\n', 'node:wasi');
      assert.equal(nodeBindings.planJson(text), want, 'node entry planJson');
      assert.equal(webBindings.planJson(text), want, 'browser entry planJson');
      // plan(object): the same plan as plain objects.
      assert.equal(JSON.stringify(nodeBindings.plan(JSON.parse(text))), want, 'node entry plan');
      assert.equal(JSON.stringify(webBindings.plan(JSON.parse(text))), want, 'browser entry plan');
    });
  }
});

const enc = (s) => new TextEncoder().encode(s);
const ERROR_INPUTS = [
  ['not JSON', enc('not json'), 'invalid-json'],
  ['invalid UTF-8', Uint8Array.of(0xff, 0xfe, 0x7b, 0x7d), 'invalid-utf8'],
  ['objects not an array', enc('{"objects": 3}'), 'invalid-request'],
  ['empty', new Uint8Array(0), 'invalid-json'],
  ['nested 100k deep', enc('['.repeat(100000) + ']'.repeat(100000)), 'invalid-json'],
];

test('error inputs are the same JSON error response in every engine, never a trap', async (t) => {
  for (const [label, bytes, code] of ERROR_INPUTS) {
    await t.test(label, async () => {
      const got = abi.plan(bytes);
      const parsed = JSON.parse(got);
      assert.deepEqual(Object.keys(parsed), ['error']);
      assert.equal(parsed.error.code, code);
      const wasi = await runWasi(bytes);
      assert.equal(wasi.code, 1);
      assert.equal(utf8.decode(wasi.stdout), got + '\n');
      if (code !== 'invalid-utf8') {
        // JS strings are always valid UTF-16; planJson takes text.
        assert.equal(nodeBindings.planJson(utf8.decode(bytes)), got);
        assert.equal(webBindings.planJson(utf8.decode(bytes)), got);
      }
    });
  }
});

test('plan throws a real Error carrying code and path', () => {
  assert.throws(() => nodeBindings.plan({ objects: 3 }), (e) => e instanceof Error && e.code === 'invalid-request' && e.path === '/objects');
  assert.throws(() => webBindings.plan(null), (e) => e instanceof Error && e.code === 'invalid-request' && e.path === '');
  const cyclic = { objects: [] };
  cyclic.objects.push(cyclic);
  assert.throws(() => nodeBindings.plan(cyclic), (e) => e instanceof Error && e.code === 'invalid-request');
  let deep = {};
  const request = { objects: [deep] };
  for (let i = 0; i < 200000; i++) deep = deep.x = {};
  assert.throws(() => nodeBindings.plan(request), (e) => e instanceof Error && typeof e.code === 'string');
  // The module still works afterwards.
  assert.deepEqual(nodeBindings.plan({ objects: [] }), { plans: [] });
});

test('a plan\'s own error is in the plan, with ref, and not thrown', () => {
  const text = utf8.decode(fixture('mandatory-missing', 'request'));
  const { plans } = nodeBindings.plan(JSON.parse(text));
  assert.equal(plans[0].error.code, 'config-not-found');
  assert.equal(plans[0].error.ref, 'configmap/proxy-conf');
  assert.equal(plans[0].primaryWorkload, null);
});

test('checksum agrees across the ABI and both entry points', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'x' }, data: { b: 'x\u0008y', a: '<&>' } };
  const viaAbi = JSON.parse(utf8.decode(abi.call('checksum', enc(JSON.stringify(cm)))));
  assert.match(viaAbi.checksum, /^[0-9a-f]{16}$/);
  assert.equal(nodeBindings.checksum(cm), viaAbi.checksum);
  assert.equal(webBindings.checksum(cm), viaAbi.checksum);
  assert.equal(nodeBindings.checksum(cm, '1.44.0'), viaAbi.checksum);
  // Go < 1.22 escaped \b as \u0008: Flagger < 1.37 checksums differ for this value.
  assert.notEqual(nodeBindings.checksum(cm, '1.36.0'), viaAbi.checksum);
  assert.throws(() => nodeBindings.checksum({ kind: 'Service' }), (e) => e instanceof Error && e.code === 'invalid-object');
  assert.throws(() => nodeBindings.checksum(cm, 'banana'), (e) => e.code === 'unsupported-flagger-version');
  const bad = JSON.parse(utf8.decode(abi.call('checksum', Uint8Array.of(0xff))));
  assert.equal(bad.error.code, 'invalid-utf8');
});

test('the package host writes text as the UTF-8 bytes TextEncoder gives, in any mix of widths', async () => {
  const { AbiHost: PackageHost } = await import(join(repo, 'js', 'src', 'abi.js'));
  const host = PackageHost.load(readFileSync(join(pkg, 'abi', 'canary_tracker.wasm')));
  // ASCII only (fits the first try), then 2-, 3- and 4-byte characters and lone surrogates
  // at the start, the middle and the end (the second, wider buffer), and an empty value.
  const values = ['plain', 'é'.repeat(300), `${'a'.repeat(200)}日本😀\ud800`, '\udfff<&>\u2028', '😀'.repeat(1000), ''];
  for (const v of values) {
    const text = JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'x' }, data: { [v || 'k']: v } });
    assert.equal(host.call('checksum', text), host.call('checksum', new TextEncoder().encode(text)), JSON.stringify(v));
    const request = JSON.stringify({ objects: [{ kind: 'Canary', metadata: { name: v || 'n', namespace: v } }] });
    assert.equal(host.call('plan', request), host.call('plan', new TextEncoder().encode(request)));
  }
  // Freed as allocated, whichever step wrote the text.
  const wide = JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '😀'.repeat(4000) } });
  host.call('checksum', wide);
  const before = host.memoryBytes;
  for (let i = 0; i < 300; i++) host.call('checksum', wide);
  assert.equal(host.memoryBytes, before);
});

test('version is the crate version', () => {
  const cargo = readFileSync(join(repo, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.equal(nodeBindings.version(), cargo);
  assert.equal(webBindings.version(), cargo);
});

test('the ABI frees what it allocates', () => {
  const request = fixture('podinfo-first-run', 'request');
  for (let i = 0; i < 20; i++) abi.plan(request);
  const before = abi.x.memory.buffer.byteLength;
  for (let i = 0; i < 300; i++) abi.plan(request);
  assert.equal(abi.x.memory.buffer.byteLength, before);
});
