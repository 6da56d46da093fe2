// Limits of the import-free module: memory does not grow with the number of
// calls, and a trap is survived by the host (js/src/abi.js) with a coded
// internal-error. The trap needs the test-only module that tests/hardening.sh
// builds (crates/abi-test) and names in HARDENING_TRAP_WASM.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AbiHost } from '../../js/src/abi.js';
import { ABI_WASM, BAD, SHARED, YAML } from './common.mjs';

function fixtureRequest(name) {
  const text = readFileSync(path.join(SHARED, 'fixtures/plan', name, 'objects.yaml'), 'utf8');
  return { objects: YAML.parseAllDocuments(text).map((d) => d.toJSON()).filter((o) => o != null) };
}

test('memory after 10,000 plan calls is no larger than after 100', () => {
  const host = AbiHost.load(readFileSync(ABI_WASM));
  const good = JSON.stringify(fixtureRequest('podinfo-first-run'));
  const bad = readFileSync(path.join(BAD, 'secret-invalid-base64.json'));
  const warn = readFileSync(path.join(BAD, 'object-without-kind.json'));
  const inputs = [good, bad, warn, '{"objects":[', good];
  const call = (i) => {
    const v = host.plan(inputs[i % inputs.length]);
    assert.ok(v.plans || v.error);
  };
  for (let i = 0; i < 100; i++) call(i);
  const after100 = host.memoryBytes;
  for (let i = 100; i < 10_000; i++) call(i);
  const after10k = host.memoryBytes;
  assert.equal(host.restarts, 0);
  assert.ok(after10k <= after100, `memory grew from ${after100} to ${after10k} bytes`);
  // checksum too
  const cm = JSON.stringify(fixtureRequest('podinfo-first-run').objects.find((o) => o.kind === 'ConfigMap'));
  for (let i = 0; i < 100; i++) host.checksum(cm);
  const c100 = host.memoryBytes;
  for (let i = 0; i < 5_000; i++) assert.match(host.checksum(cm).checksum, /^[0-9a-f]{16}$/);
  assert.ok(host.memoryBytes <= c100, `checksum memory grew from ${c100} to ${host.memoryBytes}`);
});

test('a trap is reported as internal-error and the next call gets a fresh instance', () => {
  const wasm = process.env.HARDENING_TRAP_WASM;
  assert.ok(wasm, 'HARDENING_TRAP_WASM is not set: run tests/hardening.sh, which builds the crates/abi-test module');
  const host = AbiHost.load(readFileSync(wasm));
  assert.equal(typeof host.exports.trap, 'function', 'the test module has no trap export');
  const good = fixtureRequest('podinfo-first-run');
  const before = host.plan(good);
  assert.equal(before.plans[0].error, null);
  const first = host.instance;

  const r = host.callExport('trap');
  assert.equal(r.ok, false);
  const err = JSON.parse(r.response).error;
  assert.equal(err.code, 'internal-error');
  assert.match(err.message, /trapped in trap/);
  assert.equal(host.restarts, 1);
  assert.notEqual(host.instance, first, 'the trapped instance was kept');

  // The fresh instance answers exactly as the old one did.
  assert.deepEqual(host.plan(good), before);
  // Repeated traps keep being recovered.
  for (let i = 0; i < 5; i++) assert.equal(host.callExport('trap').ok, false);
  assert.equal(host.restarts, 6);
  assert.deepEqual(host.plan(good), before);
});

test('the shipped import-free modules have no trap export', () => {
  // The size build leaves checksum_strings out (no `fast-paths`); the speed build has it.
  for (const [file, extra] of [
    [ABI_WASM, []],
    [ABI_WASM.replace(/\.wasm$/, '.speed.wasm'), ['checksum_strings']],
  ]) {
    const host = AbiHost.load(readFileSync(file));
    assert.equal(host.exports.trap, undefined);
    const names = WebAssembly.Module.exports(host.module).map((e) => e.name).sort();
    const want = ['abi_version', 'alloc', 'call', 'checksum', 'dealloc', 'memory', 'plan', ...extra].sort();
    assert.deepEqual(
      names.filter((n) => !n.startsWith('__')),
      want,
      file,
    );
  }
});

test('the shipped module: empty input, impossible allocations and out-of-bounds pointers', () => {
  const host = AbiHost.load(readFileSync(ABI_WASM));
  const good = fixtureRequest('podinfo-first-run');
  const before = host.plan(good);
  // plan(0, 0): an empty request is a coded error, not a trap.
  const r = host.callExport('plan', 0, 0);
  assert.equal(r.ok, true);
  const packed = BigInt.asUintN(64, r.value);
  const [ptr, len] = [Number(packed >> 32n), Number(packed & 0xffffffffn)];
  const text = Buffer.from(host.exports.memory.buffer, ptr, len).toString('utf8');
  assert.equal(JSON.parse(text).error.code, 'invalid-json');
  host.exports.dealloc(ptr, len);
  // alloc of more than a wasm32 heap can hold answers 0, and the instance goes on.
  assert.equal(host.callExport('alloc', 0xffffffff).value, 0);
  assert.equal(host.callExport('alloc', 0x80000000).value, 0);
  assert.equal(host.planText('').includes('invalid-json'), true);
  assert.equal(host.restarts, 0);
  // A pointer past the end of memory traps in the real module: the host
  // recovers with internal-error and a fresh instance. (Near 4 GiB: the call
  // may grow memory before it reads its input, so just past today's end could
  // be inside by then.)
  const oob = host.callExport('plan', 0xfffffff0, 64);
  assert.equal(oob.ok, false);
  assert.equal(JSON.parse(oob.response).error.code, 'internal-error');
  assert.equal(host.restarts, 1);
  assert.deepEqual(host.plan(good), before);
});
