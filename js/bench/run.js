#!/usr/bin/env node
// npm run bench: one table of canary-tracker's speed and size figures.
// Prints figures and the targets as ratios; never fails on a timing (timings
// on a shared 2-core machine are noisy: compare ratios within one run).
//
//   node bench/run.js [--quick]    (--quick: 10..1,000 canaries only)
//
// Needs js/pkg (scripts/build.sh). Builds the bench-only wasm (feature
// `bench`: bare sha256Hex in the same build as checksum) with
// js/bench/build-bench.sh, and runs `cargo bench --bench native` for the
// native figures; either is reported as missing rather than failing the run.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { AbiHost } from '../src/abi.js';
import {
  BENCH_NODE,
  bag,
  bestMs,
  configMap,
  fmt,
  goMarshal,
  JS_DIR,
  loadCore,
  ROOT,
  SHIPPED_NODE,
  usPerOp,
} from './lib.js';

const quick = process.argv.includes('--quick');
const started = Date.now();
const rows = [];
const targets = [];
const row = (section, what, value, note = '') => rows.push({ section, what, value, note });
const log = (s) => process.stderr.write(`bench: ${s}\n`);

function child(task) {
  const r = spawnSync(process.execPath, [path.join(JS_DIR, 'bench/child.js'), task], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n')[0] };
  return JSON.parse(r.stdout);
}

function spawnAsync(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', (e) => resolve({ status: -1, stdout, stderr: `${stderr}${e.message}` }));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// ---------- builds
if (!existsSync(SHIPPED_NODE)) {
  process.stderr.write('bench: js/pkg is not built: run scripts/build.sh\n');
  process.exit(1);
}
// The two builds run side by side (2 cores), before anything is timed.
log('building the bench-only wasm (js/bench/build-bench.sh) and the native bench (cargo bench --no-run); both cached');
const [built, natBuilt] = await Promise.all([
  spawnAsync('bash', [path.join(JS_DIR, 'bench/build-bench.sh')]),
  spawnAsync('cargo', ['bench', '--quiet', '--bench', 'native', '--no-run'], { cwd: ROOT }),
]);
const bench = built.status === 0 ? loadCore(BENCH_NODE) : null;
if (!bench) log(`bench build failed: ${built.stderr.trim().split('\n').at(-1)}`);
log('native figures (cargo bench --bench native -- --quick)');
const nat =
  natBuilt.status === 0
    ? spawnSync('cargo', ['bench', '--quiet', '--bench', 'native', '--', '--quick'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 170_000,
      })
    : natBuilt;
const native = {};
for (const line of (nat.stdout ?? '').split('\n')) {
  const m = /^(\w+) MBps=([\d.]+) us_per_op=([\d.]+)/.exec(line);
  if (m) native[m[1]] = { mbps: Number(m[2]), us: Number(m[3]) };
  const pl = /^native_plan_json_(\d+) ms=([\d.]+)/.exec(line);
  if (pl) (native.plan ??= []).push([Number(pl[1]), Number(pl[2])]);
  const c = /^native_checksum=(\w+)/.exec(line);
  if (c) native.checksum = c[1];
}

// ---------- checksum of a 1 MiB ConfigMap
log('checksum');
const shipped = loadCore(SHIPPED_NODE);
const cm = configMap(1 << 20);
const marshalled = goMarshal(cm);
const mb = marshalled.length; // bytes; MB/s = bytes / µs
const iters = 30;
const sum = shipped.checksum(cm);
const usShipped = usPerOp(() => shipped.checksum(cm), iters);
row(
  'checksum 1 MiB ConfigMap',
  'wasm js/pkg/node checksum(object)',
  `${fmt(mb / usShipped)} MB/s`,
  `${fmt(usShipped / 1000, 2)} ms/op; ${mb} bytes hashed; ${sum}`,
);
if (bench) {
  const usB = usPerOp(() => bench.checksum(cm), iters);
  const usSha = usPerOp(() => bench.sha256Hex(marshalled), iters);
  const text = JSON.stringify(cm);
  const usStr = usPerOp(() => JSON.stringify(cm), iters);
  const usJson = usPerOp(() => bench.planJson(`{"objects":[${text}]}`), iters);
  row(
    'checksum 1 MiB ConfigMap',
    'wasm bench build checksum(object)',
    `${fmt(mb / usB)} MB/s`,
    `${fmt(usB / 1000, 2)} ms/op`,
  );
  row(
    'checksum 1 MiB ConfigMap',
    'wasm bench build bare sha256Hex(bytes)',
    `${fmt(mb / usSha)} MB/s`,
    `${fmt(usSha / 1000, 2)} ms/op, same build`,
  );
  const ratio = usSha / usB;
  row('checksum 1 MiB ConfigMap', 'ratio checksum / bare sha256 (same build)', fmt(ratio, 2), 'target >= 0.85');
  targets.push(['checksum through wasm >= 0.85x bare sha256 (same build)', ratio >= 0.85, fmt(ratio, 2)]);
  row(
    'checksum 1 MiB ConfigMap',
    '  where the rest goes: JSON.stringify(object)',
    `${fmt(usStr / 1000, 2)} ms`,
    'in JS, before the module',
  );
  row(
    'checksum 1 MiB ConfigMap',
    '  string into wasm + read (planJson, no Canary)',
    `${fmt(usJson / 1000, 2)} ms`,
    'wasm-bindgen string copy + Go-compatible read',
  );
} else {
  row('checksum 1 MiB ConfigMap', 'bench build', 'missing', 'js/bench/build-bench.sh failed (see above)');
  targets.push(['checksum through wasm >= 0.85x bare sha256 (same build)', false, 'not measured']);
}
const abiPath = path.join(JS_DIR, 'pkg/abi/canary_tracker.wasm');
if (existsSync(abiPath)) {
  const host = AbiHost.load(readFileSync(abiPath));
  const bytes = Buffer.from(JSON.stringify(cm));
  const usAbi = usPerOp(() => host.call('checksum', bytes), iters);
  row(
    'checksum 1 MiB ConfigMap',
    'import-free module checksum(bytes)',
    `${fmt(mb / usAbi)} MB/s`,
    'object already JSON bytes (no stringify)',
  );
  if (bench) {
    const usSha = usPerOp(() => bench.sha256Hex(marshalled), iters);
    row(
      'checksum 1 MiB ConfigMap',
      '  ratio vs bench build bare sha256',
      fmt(usSha / usAbi, 2),
      'different builds, same profile',
    );
  }
}
if (native.native_checksum_value) {
  const n = native;
  row(
    'checksum 1 MiB ConfigMap',
    'native checksum(&Value)',
    `${fmt(n.native_checksum_value.mbps)} MB/s`,
    `cargo bench profile; checksum ${n.checksum === sum ? 'matches wasm' : `DIFFERS: ${n.checksum}`}`,
  );
  row(
    'checksum 1 MiB ConfigMap',
    'native checksum_json(text)',
    `${fmt(n.native_checksum_json.mbps)} MB/s`,
    'read + checksum',
  );
  row('checksum 1 MiB ConfigMap', 'native bare sha256', `${fmt(n.native_sha256.mbps)} MB/s`, '');
  row(
    'checksum 1 MiB ConfigMap',
    'ratio native checksum(&Value) / sha256',
    fmt(n.native_checksum_value.mbps / n.native_sha256.mbps, 2),
    '',
  );
  row(
    'checksum 1 MiB ConfigMap',
    'ratio wasm checksum / native checksum_json',
    fmt(mb / usShipped / n.native_checksum_json.mbps, 2),
    '',
  );
} else {
  row('checksum 1 MiB ConfigMap', 'native', 'missing', (nat.stderr ?? '').trim().split('\n').at(-1) ?? '');
}
const mem = child('memory');
if (mem.error) row('memory', 'peak for a 1 MiB checksum', 'error', mem.error);
else {
  row(
    'memory',
    'import-free module linear memory',
    `${fmt(mem.abiBefore / 2 ** 20)} -> ${fmt(mem.abiAfter / 2 ** 20)} MiB`,
    'fresh instance, before -> after one 1 MiB checksum',
  );
  row(
    'memory',
    'js/pkg/node linear memory',
    `${fmt(mem.nodeBefore / 2 ** 20)} -> ${fmt(mem.nodeAfter / 2 ** 20)} MiB`,
    'fresh process',
  );
  row(
    'memory',
    'js/pkg/node process RSS',
    `+${fmt(mem.rssDelta / 2 ** 20)} MiB`,
    `${fmt(mem.rssAfter / 2 ** 20)} MiB after`,
  );
}

// ---------- plan scaling
const sizes = quick ? [10, 100, 1000] : [10, 100, 1000, 10000];
for (const p of ['objects', 'json']) {
  let prev = null;
  for (const n of sizes) {
    log(`plan ${n} canaries (${p})`);
    const request = bag(n);
    const text = p === 'json' ? JSON.stringify(request) : null;
    const call = p === 'objects' ? () => shipped.plan(request) : () => shipped.planJson(text);
    const ms = bestMs(call, n >= 10000 ? 2 : n >= 1000 ? 3 : 5);
    const ratio = prev ? ms / prev : null;
    row(
      `plan scaling (${p === 'objects' ? 'plan(objects)' : 'planJson(text)'})`,
      `${n} canaries (${n * 6} objects)`,
      `${fmt(ms, 1)} ms`,
      `${fmt((ms * 1000) / n, 0)} us/canary${ratio ? `; x${fmt(ratio, 2)} for 10x` : ''}`,
    );
    if (n === 1000) targets.push([`1,000 canaries < 0.5 s (${p})`, ms < 500, `${fmt(ms, 0)} ms`]);
    if (ratio && n >= 1000)
      targets.push([`10x objects <= 11x time (${n / 10} -> ${n}, ${p})`, ratio <= 11, `x${fmt(ratio, 2)}`]);
    prev = ms;
  }
}

{
  let prev = null;
  for (const [n, ms] of native.plan ?? []) {
    row(
      'plan scaling (native plan_json, cargo bench profile)',
      `${n} canaries (${n * 6} objects)`,
      `${fmt(ms, 1)} ms`,
      `${fmt((ms * 1000) / n, 0)} us/canary${prev ? `; x${fmt(ms / prev, 2)} for 10x` : ''}`,
    );
    prev = ms;
  }
}

// ---------- sizes and instantiate time
log('sizes and instantiate time');
const inst = child('instantiate');
for (const [name, file] of [
  ['js/pkg/node', 'pkg/node/canary_tracker_bg.wasm'],
  ['js/pkg/web', 'pkg/web/canary_tracker_bg.wasm'],
  ['js/pkg/abi', 'pkg/abi/canary_tracker.wasm'],
  ['js/pkg/wasi', 'pkg/wasi/canary-tracker.wasm'],
  ['bench build (not shipped)', '../target/bench-pkg/node/canary_tracker_bg.wasm'],
]) {
  const f = path.join(JS_DIR, file);
  if (!existsSync(f)) {
    row('size', name, 'missing');
    continue;
  }
  const b = readFileSync(f);
  const t = inst[name];
  row(
    'size',
    `${name} (${path.basename(f)})`,
    `${b.length} B raw`,
    `${gzipSync(b, { level: 9 }).length} B gzip -9${t ? `; compile ${fmt(t.compile, 1)} ms + instantiate ${fmt(t.instantiate, 1)} ms` : inst.error ? `; ${inst.error}` : ''}`,
  );
}

// ---------- print
const w1 = Math.max(...rows.map((r) => r.what.length));
const w2 = Math.max(...rows.map((r) => String(r.value).length));
let section = '';
for (const r of rows) {
  if (r.section !== section) {
    section = r.section;
    console.log(`\n## ${section}`);
  }
  console.log(`${r.what.padEnd(w1)}  ${String(r.value).padStart(w2)}  ${r.note}`);
}
console.log('\n## targets (ratios from this one run; timings are noisy on a shared machine)');
for (const [what, ok, value] of targets) console.log(`${ok ? 'met   ' : 'MISSED'}  ${what}: ${value}`);
console.log(`\nnode ${process.version}, ${Math.round((Date.now() - started) / 1000)} s`);
