#!/usr/bin/env node
// Flagger's checksum of one ConfigMap/Secret file through the import-free module.
//   node bench/checksum.js FILE [--path bytes|object] [--iterations N] [--module PATH]
// prints  MBps=<x> us_per_op=<y> checksum=<c> path=<p> [sha256_MBps=<z> ratio=<x/z>]
// MB (10^6 bytes) counts Go's json.Marshal of the data — the bytes hashed.
//   --path bytes  (default) the module's `checksum(ptr, len)` export on the file's JSON
//                 bytes: copy in, Go-compatible read, marshal streamed into SHA-256
//   --path object the package's `checksum(object)` (js/src/api.js) on the parsed object:
//                 JSON.stringify and the UTF-8 copy into the module come first
// --module picks the .wasm; the default is the bench build (js/bench/build-bench.sh)
// when it exists, else js/pkg/abi. The bench build also exports bare SHA-256: then
// the same module's hash of the marshalled bytes is timed in alternation with the
// checksum, and the ratio printed.
// Timings are CPU time, the best of 5 rounds (a shared machine); no assertions.
import { existsSync, readFileSync } from 'node:fs';
import { arg, BENCH_ABI, fmt, goMarshal, loadCore, readObject, SHIPPED_ABI } from './lib.js';

const argv = process.argv.slice(2);
const valued = ['--iterations', '--module', '--path'];
const file = argv.find((a, i) => !a.startsWith('--') && !valued.includes(argv[i - 1]));
if (!file) {
  process.stderr.write('usage: node bench/checksum.js FILE [--path bytes|object] [--iterations N] [--module PATH]\n');
  process.exit(1);
}

/**
 * Best mean µs per call over 5 rounds; `fns` run in alternation, round by
 * round. Counted in this process's CPU time (user + system), not wall time:
 * on a shared machine, time spent waiting for a core is not the code's.
 */
function bestRounds(fns, iterations) {
  const per = Math.max(1, Math.ceil(iterations / 5));
  const best = fns.map(() => Infinity);
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  fns.forEach((f) => f());
  for (let r = 0; r < 5; r++) {
    fns.forEach((f, k) => {
      const t = cpu();
      for (let i = 0; i < per; i++) f();
      best[k] = Math.min(best[k], (cpu() - t) / per);
    });
  }
  return best;
}

try {
  const p = arg(argv, '--path', 'bytes');
  if (!['bytes', 'object'].includes(p)) throw new Error('--path must be bytes or object');
  const text = readFileSync(file);
  const object = readObject(file);
  const marshalled = goMarshal(object);
  const mb = marshalled.length;
  const iterations = Number(
    arg(argv, '--iterations', String(Math.max(5, Math.min(500, Math.round(1e8 / Math.max(mb, 1)))))),
  );
  const core = loadCore(arg(argv, '--module', existsSync(BENCH_ABI) ? BENCH_ABI : SHIPPED_ABI));
  let call;
  let sum;
  if (p === 'bytes') {
    const response = JSON.parse(core.host.call('checksum', text));
    if (response.error) throw Object.assign(new Error(response.error.message), { code: response.error.code });
    sum = response.checksum;
    call = () => core.host.call('checksum', text);
  } else {
    sum = core.checksum(object);
    call = () => core.checksum(object);
  }
  let sha = null;
  const ex = core.host.exports;
  if (ex.bench_sha256) {
    const ptr = ex.alloc(mb);
    new Uint8Array(ex.memory.buffer, ptr, mb).set(marshalled);
    sha = () => ex.bench_sha256(ptr, mb);
  }
  const [us, usSha] = bestRounds(sha ? [call, sha] : [call], iterations);
  const mbps = mb / us;
  const extra = sha ? ` sha256_MBps=${fmt(mb / usSha)} ratio=${fmt(mbps / (mb / usSha), 2)}` : '';
  process.stdout.write(`MBps=${fmt(mbps)} us_per_op=${fmt(us, 2)} checksum=${sum} path=${p}${extra}\n`);
} catch (e) {
  process.stderr.write(`checksum.js: ${e.code ? `${e.code}: ` : ''}${e.message}\n`);
  process.exit(1);
}
