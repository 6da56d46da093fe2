#!/usr/bin/env node
// npm run bench: one table of canary-tracker's speed and size figures.
// Prints figures and the targets as ratios; never fails on a timing (timings
// on a shared 2-core machine are noisy: compare ratios within one run).
//
//   node bench/run.js [--quick]    (--quick: 10..1,000 canaries only)
//
// Needs js/pkg (scripts/build.sh). Builds the bench-only wasm (crates/abi-test:
// bare SHA-256 in the same build as checksum) with js/bench/build-bench.sh, and runs `cargo run --release --example bench-native` for the
// native figures; either is reported as missing rather than failing the run.
// Checksums run over the generated corpus (js/bench/corpus.js) through
// js/bench/checksum.js, one fresh process per file and path, in CPU time, and
// against Go's json.Marshal + sha256 (benches/go/main.go) when a Go toolchain
// is there.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeCorpus } from './corpus.js';
import { fmt, JS_DIR, ROOT, SHIPPED_ABI } from './lib.js';

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
if (!existsSync(SHIPPED_ABI)) {
  process.stderr.write('bench: js/pkg is not built: run scripts/build.sh\n');
  process.exit(1);
}
// The two builds run side by side (2 cores), before anything is timed.
log('building the bench-only wasm (js/bench/build-bench.sh) and the native bench (example bench-native); both cached');
const [built, natBuilt] = await Promise.all([
  spawnAsync('bash', [path.join(JS_DIR, 'bench/build-bench.sh')]),
  spawnAsync('cargo', ['build', '--quiet', '--release', '--example', 'bench-native'], { cwd: ROOT }),
]);
if (built.status !== 0) log(`bench build failed: ${built.stderr.trim().split('\n').at(-1)}`);
log('native figures (example bench-native --quick)');
const nat =
  natBuilt.status === 0
    ? spawnSync('cargo', ['run', '--quiet', '--release', '--example', 'bench-native', '--', '--quick'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 300_000,
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

// ---------- checksum: the corpus (js/bench/corpus.js), both paths, the same module's bare SHA-256, Go
log('checksum corpus');
const corpusFiles = writeCorpus();
const goBin = [process.env.GO, 'go', '/usr/lib/go-1.19/bin/go'].find(
  (g) => g && spawnSync(g, ['version']).status === 0,
);
const parse = (out) => Object.fromEntries([...(out ?? '').matchAll(/(\w+)=([\w.]+)/g)].map((m) => [m[1], m[2]]));
for (const { file } of corpusFiles) {
  const name = path.basename(file, '.json');
  const section = `checksum ${name}`;
  for (const p of ['bytes', 'object']) {
    log(`checksum ${name} --path ${p}`);
    const r = spawnSync(process.execPath, [path.join(JS_DIR, 'bench/checksum.js'), file, '--path', p], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const f = parse(r.stdout);
    if (!f.MBps) {
      row(section, p, 'error', (r.stderr || '').trim().split('\n').at(-1));
      continue;
    }
    const what = p === 'bytes' ? 'module checksum(bytes)' : 'package checksum(object)';
    row(
      section,
      what,
      `${f.MBps} MB/s`,
      f.sha256_MBps ? `same module's bare SHA-256 ${f.sha256_MBps} MB/s -> ratio ${f.ratio}` : 'no bench build',
    );
    const goal = p === 'bytes' ? 0.85 : 0.6;
    targets.push([
      `${name}: ${what} >= ${goal}x the module's bare SHA-256`,
      Number(f.ratio) >= goal,
      f.ratio ?? 'not measured',
    ]);
    if (p === 'bytes') row(section, '', '', `checksum ${f.checksum}`);
    (corpusFiles.figures ??= {})[`${name}/${p}`] = Number(f.MBps);
  }
  if (goBin) {
    const r = spawnSync(goBin, ['run', path.join(ROOT, 'benches/go/main.go'), file], {
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, GOFLAGS: '-mod=mod' },
    });
    const g = parse(r.stdout);
    if (g.MBps) {
      const ours = corpusFiles.figures?.[`${name}/bytes`];
      row(
        section,
        `Go (${spawnSync(goBin, ['version'], { encoding: 'utf8' }).stdout.split(' ')[2]}) json.Marshal + sha256`,
        `${g.MBps} MB/s`,
        `decode + marshal + sha256 ${g.full_MBps} MB/s; Go's sha256 ${g.sha256_MBps} MB/s`,
      );
      if (ours)
        targets.push([
          `${name}: checksum(bytes) >= 1.2x Go's json.Marshal + sha256`,
          ours >= 1.2 * Number(g.MBps),
          `x${fmt(ours / Number(g.MBps), 2)}`,
        ]);
    } else row(section, 'Go', 'error', (r.stderr || '').trim().split('\n').at(-1));
  } else row(section, 'Go', 'missing', 'no go toolchain (apt-get install golang-1.19-go)');
  const n = (k) => native[`${k}_${name.replaceAll('-', '_')}`];
  if (n('native_checksum_bytes')) {
    row(
      section,
      'native checksum_bytes / via Value / bare SHA-256',
      `${fmt(n('native_checksum_bytes').mbps)} MB/s`,
      `${fmt(n('native_checksum_value').mbps)} / ${fmt(n('native_sha256').mbps)} MB/s (release profile)`,
    );
  }
}
const mem = child('memory');
if (mem.error) row('memory', 'peak for a 1 MiB checksum', 'error', mem.error);
else {
  row(
    'memory',
    'import-free module linear memory',
    `${fmt(mem.abiBefore / 2 ** 20)} -> ${fmt(mem.abiAfter / 2 ** 20)} MiB`,
    'fresh instance, before -> after one 1 MiB checksum(object)',
  );
  row('memory', 'process RSS', `+${fmt(mem.rssDelta / 2 ** 20)} MiB`, `${fmt(mem.rssAfter / 2 ** 20)} MiB after`);
}

// ---------- plan scaling: one fresh process per size (js/bench/plan.js), CPU time and peak memory
const sizes = quick ? [10, 100, 1000] : [10, 100, 1000, 10000];
for (const p of ['objects', 'json']) {
  let prev = null;
  for (const n of sizes) {
    log(`plan ${n} canaries (${p})`);
    const runs = n >= 10000 ? 2 : n >= 1000 ? 3 : 5;
    const r = spawnSync(
      process.execPath,
      [path.join(JS_DIR, 'bench/plan.js'), '--canaries', String(n), '--path', p, '--runs', String(runs)],
      { encoding: 'utf8', timeout: 600_000 },
    );
    const f = parse(r.stdout);
    const section = `plan scaling (${p === 'objects' ? 'plan(objects)' : 'planJson(text)'})`;
    if (!f.ms) {
      row(section, `${n} canaries`, 'error', (r.stderr || '').trim().split('\n').at(-1));
      continue;
    }
    const ms = Number(f.ms);
    const ratio = prev ? ms / prev : null;
    row(
      section,
      `${n} canaries (${n * 6} objects, ${f.request_MB} MB)`,
      `${fmt(ms, 1)} ms`,
      `${fmt((ms * 1000) / n, 0)} us/canary${ratio ? `; x${fmt(ratio, 2)} for 10x` : ''}; wall ${f.wall_ms} ms; ` +
        `wasm memory ${f.wasm_memory_MiB} MiB, peak RSS ${f.max_rss_MiB} MiB`,
    );
    if (n === 1000) targets.push([`1,000 canaries < 0.5 s (${p})`, ms < 500, `${fmt(ms, 0)} ms`]);
    if (n === 10000 && p === 'json')
      targets.push(['10,000 canaries <= 2 s through planJson', ms <= 2000, `${fmt(ms, 0)} ms`]);
    if (ratio && n >= 1000)
      targets.push([`10x objects <= 11x time (${n / 10} -> ${n}, ${p})`, ratio <= 11, `x${fmt(ratio, 2)}`]);
    prev = ms;
  }
}

{
  let prev = null;
  for (const [n, ms] of native.plan ?? []) {
    row(
      'plan scaling (native plan_json, release profile)',
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
  ['js/pkg/abi', 'pkg/abi/canary_tracker.wasm'],
  ['js/pkg/wasi', 'pkg/wasi/canary-tracker.wasm'],
  ['bench build (not shipped)', '../target/bench-pkg/abi/canary_tracker.wasm'],
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
