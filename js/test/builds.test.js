// The size build (browser) and the speed build (Node, large plans) of the
// import-free module answer every call with the same bytes, and the Node
// entry plans large requests on the speed build.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bag } from '../bench/lib.js';
import { AbiHost } from '../src/abi.js';
import { parseObjects } from '../src/parse.js';
import { checksum, hostFor, planJson, SPEED_FROM, specHash } from '../src/wasm-node.js';
import { FIXTURES, JS_DIR, LOCAL_FIXTURES } from '../testlib/helpers.js';

const size = AbiHost.load(readFileSync(join(JS_DIR, 'pkg/abi/canary_tracker.wasm')));
const speed = AbiHost.load(readFileSync(join(JS_DIR, 'pkg/abi/canary_tracker.speed.wasm')));

/** Every fixture's objects, read once: `[name, objects]`. */
const SCENARIOS = (() => {
  const out = [];
  for (const dir of [FIXTURES, LOCAL_FIXTURES]) {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      if (!name.isDirectory()) continue;
      const parsed = parseObjects(readFileSync(join(dir, name.name, 'objects.yaml'), 'utf8'));
      const objects = Array.isArray(parsed) ? parsed : parsed.objects;
      assert.ok(objects.length > 0, name.name);
      out.push([name.name, objects]);
    }
  }
  return out;
})();

test('every fixture plans to the same bytes on both builds, under several Flagger releases', () => {
  const all = SCENARIOS;
  assert.ok(all.length >= 10, `only ${all.length} scenarios`);
  for (const [name, objects] of all) {
    for (const flaggerVersion of [undefined, '1.37.0', '1.6.0', '1.0.0']) {
      const request = JSON.stringify({ objects, options: flaggerVersion ? { flaggerVersion } : {} });
      const a = size.call('plan', request);
      assert.equal(speed.call('plan', request), a, `${name} ${flaggerVersion ?? 'newest'}`);
      assert.match(a, /^\{"plans"/, name);
    }
  }
});

test('checksum, specHash and broken requests answer the same bytes on both builds', () => {
  const calls = [];
  // Each with a label naming the object, never its data (a failure must not print a Secret's values).
  for (const [scenario, objects] of SCENARIOS) {
    for (const o of objects) {
      const label = `${scenario}: ${o.kind}/${o.metadata?.name}`;
      if (o.kind === 'ConfigMap' || o.kind === 'Secret') calls.push(['checksum', JSON.stringify(o), label]);
      if (o.kind === 'Deployment' || o.kind === 'Service')
        calls.push(['call', JSON.stringify({ fn: 'specHash', object: o }), label]);
    }
  }
  for (const input of ['{"objects": [}', '{"objects": [{"kind": 1}]}']) calls.push(['plan', input, input]);
  calls.push(['checksum', '"\\ud800"', 'a lone surrogate']);
  assert.ok(calls.length > 30);
  for (const [name, input, label] of calls) assert.equal(speed.call(name, input), size.call(name, input), label);
});

test('the Node entry plans a request past SPEED_FROM on the speed build, with the same answer', () => {
  const text = JSON.stringify(bag(Math.ceil(SPEED_FROM / 8000)));
  assert.ok(text.length >= SPEED_FROM, `${text.length} characters`);
  assert.notEqual(hostFor(text.length), hostFor(SPEED_FROM - 1));
  const answer = planJson(text);
  assert.equal(answer, size.call('plan', text));
  assert.ok(JSON.parse(answer).plans.length > 100);
  // The plan ran on the speed build's instance (its memory grew to hold the request), not the size build's.
  assert.ok(hostFor(text.length).memoryBytes > text.length, 'the speed build did not plan it');
  assert.ok(hostFor(0).memoryBytes < text.length, 'the size build planned it');
});

test('the Node entry runs checksum and specHash on the speed build (only it has their fast paths)', () => {
  assert.equal(typeof hostFor(SPEED_FROM).exports.checksum_strings, 'function');
  assert.equal(hostFor(0).exports.checksum_strings, undefined, 'the size build leaves checksum_strings out');
  const seen = [];
  for (const [name, host] of [
    ['speed', hostFor(SPEED_FROM)],
    ['size', hostFor(0)],
  ]) {
    for (const method of ['call', 'callStrings']) {
      const original = host[method];
      host[method] = (...args) => {
        seen.push(`${name} ${args[0]}`);
        return original.apply(host, args);
      };
    }
  }
  const cm = { kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '<b>' } };
  const sum = checksum(cm);
  assert.equal(sum, JSON.parse(size.call('checksum', JSON.stringify(cm))).checksum);
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } };
  assert.deepEqual(specHash(svc), JSON.parse(size.call('call', JSON.stringify({ fn: 'specHash', object: svc }))));
  assert.deepEqual(seen, ['speed checksum_strings', 'speed call']);
});
