// Spec-hash benchmark (issue budget: ≤ 50 µs per typical server-form pod
// template in Node wasm). Prints µs per call for the shipped node build's
// specHash on vector inputs, under the newest and the oldest layout, and
// the same inputs through planJson for comparison. Figures only; no asserts.
//   node js/bench/spechash.js [--iterations N]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCore, ROOT } from './lib.js';

const args = process.argv.slice(2);
const iterations = Number(args[args.indexOf('--iterations') + 1]) || 3000;
const core = loadCore();
const dir = path.join(ROOT, 'tests/data/vectors');
const cases = JSON.parse(readFileSync(path.join(dir, 'spechash.json'), 'utf8')).cases;
const inputs = readFileSync(path.join(dir, 'spechash-inputs.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const pick = (name) => inputs[cases.findIndex((c) => c.name === name)];

function time(fn) {
  for (let i = 0; i < 200; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1000 / iterations;
}

console.log(`specHash, ${iterations} calls each (µs per call)`);
for (const name of ['srv-podinfo', 'srv-minimal', 'srv-volumes-projected-csi-ephemeral', 'svc-clusterip']) {
  const obj = pick(name);
  const row = [name.padEnd(38)];
  for (const release of ['1.44.0', '1.0.0']) {
    const us = time(() => core.specHash(obj, release));
    row.push(`${release}: ${us.toFixed(1)} µs`);
  }
  row.push(`bytes in: ${JSON.stringify(obj).length}`);
  console.log(row.join('  '));
}
const podinfo = pick('srv-podinfo');
const canary = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'c', namespace: podinfo.metadata.namespace },
  spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: podinfo.metadata.name }, analysis: {} },
  status: { phase: 'Succeeded', lastAppliedSpec: 'x', trackedConfigs: {} },
};
const request = JSON.stringify({ objects: [canary, podinfo] });
console.log(
  `planJson of podinfo + its Canary (whole plan incl. analysis): ${time(() => core.planJson(request)).toFixed(1)} µs`,
);
