// Shared by js/bench/*.js: loading a wasm-bindgen build, Go's json.Marshal
// length of a config's data (what the checksum hashes), generated inputs
// and timing. Benchmarks print figures; they never assert timings.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { AbiHost } from '../src/abi.js';
import { coreApi } from '../src/api.js';

export const JS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(JS_DIR, '..');
/** The shipped import-free module built for size (scripts/build.sh): the browser's. */
export const SHIPPED_ABI = path.join(JS_DIR, 'pkg/abi/canary_tracker.wasm');
/** The same module built for speed: what the package's Node entry plans large requests on. */
export const SHIPPED_SPEED = path.join(JS_DIR, 'pkg/abi/canary_tracker.speed.wasm');
/** The bench build of the same module (js/bench/build-bench.sh): adds `bench_sha256`. */
export const BENCH_ABI = path.join(ROOT, 'target/bench-pkg/abi/canary_tracker.wasm');

/** The package's core API (js/src/api.js) over an import-free module file; `.host` is its AbiHost. */
export function loadCore(wasmPath = SHIPPED_ABI) {
  let bytes;
  try {
    bytes = readFileSync(path.resolve(wasmPath));
  } catch (e) {
    throw new Error(
      `cannot read ${wasmPath} (${e.code ?? e.message}): run scripts/build.sh (and js/bench/build-bench.sh for the bench build)`,
    );
  }
  const host = AbiHost.load(bytes);
  return Object.assign(
    coreApi(() => host),
    { host },
  );
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

/** A small deterministic PRNG (mulberry32), so generated inputs are the same every run. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Fragments of real-world config text: nginx snippets, HTML, embedded JSON,
// properties and shell, with tabs, newlines, quotes, `<>&`, accented letters
// and emoji. `#` is replaced by a number so that no two fragments are equal.
const DENSE_FRAGMENTS = [
  'server {\n\tlisten 80;\n\tserver_name app-#.example.com;\n\tlocation /api/ {\n\t\tproxy_pass http://backend-#:8080;\n\t\tproxy_set_header Host $host;\n\t\tadd_header Content-Security-Policy "default-src \'self\'";\n\t\tif ($http_user_agent ~* "(bot|crawler)") { return 403; }\n\t}\n}\n',
  '<!DOCTYPE html>\n<html lang="fr">\n<head><meta charset="utf-8"><title>Café & Crème #</title></head>\n<body>\n\t<p class="note">Déjà vu — naïve façade, 日本語, emoji 🚀✨</p>\n\t<a href="/q?a=#&b=2">lien</a>\n</body>\n</html>\n',
  '{"feature":"checkout-#","enabled":true,"rollout":{"percent":25,"regions":["eu-west-1","us-east-1"]},"message":"Grüße & <b>bienvenue</b>","path":"C:\\\\temp\\\\x#"}\n',
  'greeting=Hallo Welt — ça va? Ünïcödé #\nfarewell=À bientôt 👋\nlimit=<= 100 && >= 0\n',
  '#!/bin/sh\nset -eu\nif [ "$1" = "start" ] && [ -f /etc/app/#.conf ]; then\n\texec /usr/bin/app --config "/etc/app/#.conf" 2>&1 | tee -a /var/log/app.log\nfi\r\n',
  'log_format main \'$remote_addr - $remote_user [$time_local] "$request" \'\n\t\'$status $body_bytes_sent "$http_referer" "$http_user_agent" #\';\n',
  'plain text line number # of a longer description without anything special in it at all, just words and spaces.\n',
  'upstream.timeout.seconds = 30\nupstream.retries = 3\nupstream.pool.size = #\ncache.enabled = true\n',
  'spring.datasource.url=jdbc:postgresql://db-#.internal:5432/orders\nspring.jpa.open-in-view=false\n',
];

/**
 * Escape-dense text of `n` UTF-8 bytes (cut at a character boundary): about
 * a tenth of its characters need Go's JSON escaping or are multi-byte, as in
 * real nginx/HTML/JSON/properties ConfigMaps. Deterministic in `seed`.
 */
export function denseText(n, seed = 1) {
  const rand = prng(seed);
  const parts = [];
  let len = 0;
  while (len < n) {
    const f = DENSE_FRAGMENTS[Math.floor(rand() * DENSE_FRAGMENTS.length)].replaceAll(
      '#',
      String(Math.floor(rand() * 1e6)),
    );
    parts.push(f);
    len += Buffer.byteLength(f);
  }
  const buf = Buffer.from(parts.join(''));
  let end = n;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--; // never split a character
  return buf.subarray(0, end).toString();
}

/** Share of characters in `s` that Go escapes or that are multi-byte (for the corpus note). */
export function denseShare(s) {
  let special = 0;
  let chars = 0;
  for (const ch of s) {
    chars++;
    const c = ch.codePointAt(0);
    if (c < 0x20 || c > 0x7e || '"\\<>&'.includes(ch)) special++;
  }
  return special / Math.max(chars, 1);
}

/** An escape-dense ConfigMap whose data marshals to about `bytes` bytes (16 KiB values). */
export function denseConfigMap(bytes, name = 'dense') {
  const data = {};
  const chunk = 16 * 1024;
  for (let i = 0, left = bytes; left > 0; i++, left -= chunk) {
    // Go escaping grows the text by about 20%; the raw value is cut smaller so
    // the marshalled bytes land near `bytes` (MB/s counts marshalled bytes).
    data[`key-${String(i).padStart(5, '0')}`] = denseText(Math.floor(Math.min(chunk, left) / 1.2), i + 1);
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'bench' }, data };
}

/**
 * JSON text as Go's encoding/json (and so the API server, kubectl -o json)
 * writes it: `<>&` and U+2028/U+2029 escaped. JSON.stringify never escapes
 * these, so a plain replace is exact.
 */
export function goJsonText(value) {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
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
