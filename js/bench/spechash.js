// Spec-hash benchmark (issue 10 goal 6: ≤ 50 µs per pod template in Node wasm). Prints µs per
// package `specHash` call (js/src/api.js on the import-free module) on vector inputs, under the
// newest and the oldest layout, then the same calls' parts: JSON.stringify of the object and the
// module's `call` on the request text alone; and planJson of podinfo with its Canary. `live`: the
// podinfo Deployment as a cluster returns it with managedFields and kubectl's last-applied annotation
// (made here from the vector). Timings are CPU time (user + system), the best of 5 rounds after a
// warm-up, so waiting for a core on a shared machine does not count. Figures only; no asserts.
//   node js/bench/spechash.js [--iterations N] [--module PATH]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { arg, loadCore, ROOT, SHIPPED_SPEED } from './lib.js';

const argv = process.argv.slice(2);
const iterations = Number(arg(argv, '--iterations', '3000'));
// Default: the speed build, where the package's Node entry runs specHash (js/src/wasm-node.js).
const core = loadCore(arg(argv, '--module', SHIPPED_SPEED));
const dir = path.join(ROOT, 'tests/data/vectors');
const cases = JSON.parse(readFileSync(path.join(dir, 'spechash.json'), 'utf8')).cases;
const inputs = readFileSync(path.join(dir, 'spechash-inputs.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const pick = (name) => inputs[cases.findIndex((c) => c.name === name)];

/** Best mean µs per call over 5 rounds of CPU time. */
function time(fn) {
  const per = Math.max(1, Math.ceil(iterations / 5));
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  for (let i = 0; i < Math.min(per, 500); i++) fn();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = cpu();
    for (let i = 0; i < per; i++) fn();
    best = Math.min(best, (cpu() - t) / per);
  }
  return best;
}

const podinfo = pick('srv-podinfo');
const live = structuredClone(podinfo);
live.metadata.managedFields = [
  { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' },
  { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', subresource: 'status' },
].map((m) => ({ ...m, time: '2025-03-04T09:10:11Z', fieldsV1: { 'f:spec': podinfo.spec, 'f:status': {} } }));
live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify(podinfo);

console.log(`specHash through the package, µs per call (CPU time, best of 5 rounds of ${iterations / 5})`);
const rows = [
  ['srv-podinfo', podinfo],
  ['srv-minimal', pick('srv-minimal')],
  ['srv-volumes-projected-csi-ephemeral', pick('srv-volumes-projected-csi-ephemeral')],
  ['svc-clusterip', pick('svc-clusterip')],
  ['live podinfo (managedFields, last-applied)', live],
];
for (const [name, obj] of rows) {
  const text = JSON.stringify(obj);
  const request = `{"fn":"specHash","object":${text},"flaggerVersion":"1.44.0"}`;
  const row = [name.padEnd(44)];
  for (const release of ['1.44.0', '1.0.0'])
    row.push(`${release}: ${time(() => core.specHash(obj, release)).toFixed(1)}`);
  row.push(`stringify: ${time(() => JSON.stringify(obj)).toFixed(1)}`);
  row.push(`call(text): ${time(() => core.host.call('call', request)).toFixed(1)}`);
  row.push(`bytes: ${text.length}`);
  console.log(row.join('  '));
}
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
