// Shared by js/bench/*.js: loading a wasm-bindgen build, Go's json.Marshal
// length of a config's data (what the checksum hashes), generated inputs
// and timing. Benchmarks print figures; they never assert timings.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const JS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(JS_DIR, '..');
export const SHIPPED_NODE = path.join(JS_DIR, 'pkg/node/canary_tracker.js');
export const BENCH_NODE = path.join(ROOT, 'target/bench-pkg/node/canary_tracker.js');

const require = createRequire(import.meta.url);

/** A wasm-bindgen nodejs build (CommonJS) by path. */
export function loadCore(modulePath = SHIPPED_NODE) {
  try {
    return require(path.resolve(modulePath));
  } catch (e) {
    throw new Error(
      `cannot load ${modulePath} (${e.code ?? e.message}): run scripts/build.sh (and js/bench/build-bench.sh for the bench build)`,
    );
  }
}

/** One object from a JSON or YAML file (the first document). */
export function readObject(file) {
  const text = readFileSync(file, 'utf8');
  const doc = YAML.parseAllDocuments(text)
    .map((d) => d.toJSON())
    .find((o) => o != null);
  if (!doc || typeof doc !== 'object') throw new Error(`${file}: no object`);
  return doc;
}

/** Go's encoding/json string escaping (HTML-safe, Go >= 1.22). */
function goString(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029)
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * The bytes Flagger's checksum hashes: Go's json.Marshal of the object's
 * data (ConfigMap strings; Secret bytes re-encoded as canonical base64,
 * stringData merged as the API server would). Used for MB/s figures only.
 */
export function goMarshal(obj) {
  let data = obj.data ?? null;
  if (obj.kind === 'Secret' && obj.stringData) {
    data = { ...(data ?? {}) };
    for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  }
  if (data === null) return Buffer.from('null');
  const keys = Object.keys(data).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const parts = keys.map((k) => {
    const v = data[k];
    let enc;
    if (obj.kind === 'Secret')
      enc = v === null ? 'null' : `"${Buffer.from(String(v).replace(/[\r\n]/g, ''), 'base64').toString('base64')}"`;
    else enc = goString(v ?? '');
    return `${goString(k)}:${enc}`;
  });
  return Buffer.from(`{${parts.join(',')}}`, 'utf8');
}

/** A ConfigMap whose data marshals to about `bytes` bytes (keys of 16 KiB values). */
export function configMap(bytes, name = 'big') {
  const data = {};
  const chunk = 16 * 1024;
  let i = 0;
  let left = bytes;
  while (left > 0) {
    const n = Math.min(chunk, left);
    // Printable, unescaped text with a few characters Go escapes.
    data[`key-${String(i).padStart(5, '0')}`] =
      `${'lorem ipsum dolor sit amet, '.repeat(Math.ceil(n / 28)).slice(0, n - 8)}<a&b>\n`;
    left -= n;
    i += 1;
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'bench' }, data };
}

const filler = (seed, n) => `${seed}:`.padEnd(n, 'abcdefghij0123456789');

/**
 * A bag of `n` Canaries, each with its Deployment and 4 configs of about
 * 2 KB (2 ConfigMaps, 2 Secrets), all referenced from the pod spec.
 */
export function bag(n) {
  const objects = [];
  for (let i = 0; i < n; i++) {
    const app = `app-${i}`;
    const cm = (j) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${app}-cm-${j}`, namespace: 'bench' },
      data: Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`key${k}`, filler(`${app}/${j}/${k}`, 250)])),
    });
    const secret = (j) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${app}-secret-${j}`, namespace: 'bench' },
      type: 'Opaque',
      data: Object.fromEntries(
        Array.from({ length: 8 }, (_, k) => [
          `key${k}`,
          Buffer.from(filler(`${app}/s${j}/${k}`, 186)).toString('base64'),
        ]),
      ),
    });
    objects.push(
      {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        metadata: { name: app, namespace: 'bench' },
        spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app }, service: { port: 80 } },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: app, namespace: 'bench', labels: { app } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app } },
            spec: {
              containers: [
                {
                  name: 'app',
                  image: 'example/app:1.0',
                  envFrom: [{ configMapRef: { name: `${app}-cm-1` } }],
                  env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: `${app}-secret-1`, key: 'key0' } } }],
                  volumeMounts: [
                    { name: 'config', mountPath: '/etc/config' },
                    { name: 'creds', mountPath: '/etc/creds' },
                  ],
                },
              ],
              volumes: [
                { name: 'config', configMap: { name: `${app}-cm-0` } },
                { name: 'creds', secret: { secretName: `${app}-secret-0` } },
              ],
            },
          },
        },
      },
      cm(0),
      cm(1),
      secret(0),
      secret(1),
    );
  }
  return { objects };
}

/** Best (lowest) milliseconds of `runs` calls of `fn`, after one warm-up. */
export function bestMs(fn, runs = 5) {
  fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return best;
}

/** Mean microseconds per call over `iterations` calls (after warm-up). */
export function usPerOp(fn, iterations) {
  for (let i = 0; i < Math.min(3, iterations); i++) fn();
  const t = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - t) / 1e3 / iterations;
}

export function arg(argv, name, dflt) {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  if (v === undefined) throw new Error(`${name} needs a value`);
  return v;
}

export const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
