// Shared by tests/hardening/*.test.mjs: paths, the CLI runner, the bad-input
// cases (tests/bad-inputs/) and their generated big/deep companions (the same
// generators as tests/hardening_bad_inputs.rs).

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
import { TEST_DATA as SHARED } from '../../js/testlib/paths.js';

export { SHARED };
export const BAD = path.join(ROOT, 'tests/bad-inputs');
export const CLI = path.join(ROOT, 'js/cli.js');
export const ABI_WASM = path.join(ROOT, 'js/pkg/abi/canary_tracker.wasm');

const requireJs = createRequire(path.join(ROOT, 'js/package.json'));
export const YAML = requireJs('yaml');

export const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

/** Runs the CLI; never throws. */
export function cli(args, opts = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: opts.timeout ?? 120_000,
    input: opts.input,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

export const WASI_WASM = path.join(ROOT, 'js/pkg/wasi/canary-tracker.wasm');
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Where a measured child writes its peak RSS (KiB). */
const rssPath = (tmp = os.tmpdir()) => path.join(tmp, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);

/** The peak RSS in MiB a measured child wrote (NaN when it was killed before exit), removing the file. */
function peakRss(rssFile) {
  try {
    const kib = Number(readFileSync(rssFile, 'utf8'));
    rmSync(rssFile);
    return kib / 1024;
  } catch {
    return NaN;
  }
}

/**
 * Runs a Node (or Python) script as a child and measures it: wall time and peak RSS
 * (tests/hardening/rss.mjs). `stdin` is a file descriptor or 'pipe' with `input`.
 * @returns {{status, signal, stdout, stderr, ms, rssMiB}}
 */
export function measured(script, args, opts = {}) {
  const rssFile = rssPath(opts.tmp);
  const t0 = performance.now();
  // A .py script reports its own peak RSS (tests/hardening/wasi-run.py).
  const argv = script.endsWith('.py') ? ['python3', [script, ...args]] : [process.execPath, ['--no-warnings', '--import', path.join(HERE, 'rss.mjs'), script, ...args]];
  const r = spawnSync(argv[0], argv[1], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: opts.timeout ?? 120_000,
    stdio: [opts.stdin ?? 'pipe', 'pipe', 'pipe'],
    input: opts.input,
    env: { ...process.env, RSS_FILE: rssFile },
  });
  const ms = performance.now() - t0;
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error, ms, rssMiB: peakRss(rssFile) };
}

/** {@link measured}, without blocking this process (for tests that serve the child themselves). */
export function measuredAsync(script, args, opts = {}) {
  const rssFile = rssPath(opts.tmp);
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--no-warnings', '--import', path.join(HERE, 'rss.mjs'), script, ...args], {
    timeout: opts.timeout ?? 120_000,
    env: { ...process.env, RSS_FILE: rssFile },
  });
  return collect(child).then((r) => ({ ...r, ms: performance.now() - t0, rssMiB: peakRss(rssFile) }));
}

/** A child's exit and whole output as text. */
function collect(child) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Checks a measured run against bounds (10× the figures measured when the test was written). */
export function assertBounds(assert, r, { ms, rssMiB }, ctx) {
  assert.ok(r.ms <= ms, `${ctx}: took ${r.ms.toFixed(0)} ms, bound ${ms} ms`);
  assert.ok(r.rssMiB <= rssMiB, `${ctx}: peak RSS ${r.rssMiB.toFixed(0)} MiB, bound ${rssMiB} MiB`);
}

/** Runs the CLI once per argument list, a few at a time; never throws. */
export async function cliAsync(argLists, { concurrency = 3, timeout = 120_000 } = {}) {
  const results = new Array(argLists.length);
  let next = 0;
  const worker = async () => {
    while (next < argLists.length) {
      const i = next++;
      results[i] = await collect(spawn(process.execPath, [CLI, ...argLists[i]], { timeout }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/** A failing CLI run: exit 1 or 2, exactly one line on stderr, no stack trace, and stdout empty or whole JSON. */
export function assertCleanFailure(assert, r, ctx, exit) {
  assert.equal(r.error, undefined, `${ctx}: ${r.error}`);
  assert.equal(r.signal, null, `${ctx}: killed by ${r.signal}`);
  if (exit !== undefined) assert.equal(r.status, exit, `${ctx}: exit ${r.status}, stderr ${r.stderr}`);
  else assert.ok(r.status === 1 || r.status === 2, `${ctx}: exit ${r.status}, stderr ${r.stderr}`);
  const lines = r.stderr.split('\n');
  assert.equal(lines.at(-1), '', `${ctx}: stderr does not end in a newline: ${JSON.stringify(r.stderr)}`);
  assert.equal(lines.length, 2, `${ctx}: stderr is not one line: ${JSON.stringify(r.stderr.slice(0, 2000))}`);
  assert.doesNotMatch(r.stderr, /\n\s+at |\bat .*\.js:\d+|RangeError|TypeError|ReferenceError|panicked|unreachable/, `${ctx}: ${r.stderr}`);
  assert.match(r.stderr, /^canary-tracker: /, ctx);
  if (r.stdout !== '') JSON.parse(r.stdout); // no partial write
}

/** expected.json: file → {code, where, cli, note?}. */
export function badCases() {
  const expected = readJson(path.join(BAD, 'expected.json'));
  const files = readdirSync(BAD).filter((f) => !['expected.json', 'generated.json', 'README.md'].includes(f)).sort();
  return { expected, files };
}

const nested = (open, close, depth) => open.repeat(depth) + close.repeat(depth);

/** The generated cases (as tests/hardening_bad_inputs.rs builds them), as bytes. */
export function generate(name) {
  const good = readFileSync(path.join(BAD, 'odd-but-valid-data.json'), 'utf8');
  const enc = (s) => Buffer.from(s, 'utf8');
  switch (name) {
    case 'deep-array-10000':
      return enc(`{"objects":${nested('[', ']', 10_000)}}`);
    case 'deep-array-100': {
      const v = JSON.parse(good);
      v.objects.push(JSON.parse(nested('[', ']', 100)));
      return enc(JSON.stringify(v));
    }
    case 'deep-object-10000':
      return enc(`{"objects":[{"kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}]}`);
    case 'object-depth-125':
    case 'object-depth-126': {
      const v = JSON.parse(good);
      v.objects[0].x = JSON.parse(nested('[', ']', Number(name.slice(-3)) - 1));
      return enc(JSON.stringify(v));
    }
    case 'number-1e400':
      return enc(good.replace('"kind"', '"n": 1e400, "kind"'));
    case 'big-50mb-configmap': {
      const v = JSON.parse(good);
      v.objects[2].data.big = 'x'.repeat(50 * 1000 * 1000);
      return enc(JSON.stringify(v));
    }
    case 'too-large-128mib': {
      const head = '{"objects":[]}';
      const b = Buffer.alloc(128 * 1024 * 1024 + 1, 0x20);
      b.write(head, 0, 'utf8');
      return b;
    }
    default:
      throw new Error(`no generator for ${name}`);
  }
}

/** Checks a core/ABI response against {code, where}; returns nothing, asserts. */
export function checkResponse(assert, v, expect, ctx) {
  const { code, where } = expect;
  if (where === 'request') {
    assert.equal(v.error?.code, code, `${ctx}: ${JSON.stringify(v).slice(0, 500)}`);
    assert.equal(typeof v.error.message, 'string');
    return;
  }
  assert.ok(Array.isArray(v.plans), `${ctx}: no plans: ${JSON.stringify(v).slice(0, 500)}`);
  if (where === 'plan') {
    assert.equal(v.plans.length, 1, ctx);
    assert.equal(v.plans[0].error?.code, code, `${ctx}: ${JSON.stringify(v.plans[0]).slice(0, 500)}`);
  } else if (where === 'warning') {
    assert.ok(v.plans.every((p) => p.error === null), `${ctx}: a plan failed`);
    const codes = [...(v.warnings ?? []), ...v.plans.flatMap((p) => p.warnings)].map((w) => w.code);
    assert.ok(codes.includes(code), `${ctx}: ${code} not in ${codes}`);
  } else if (where === 'ok') {
    assert.ok(v.plans.length > 0 && v.plans.every((p) => p.error === null), ctx);
  } else {
    assert.fail(`${ctx}: unknown where ${where}`);
  }
}
