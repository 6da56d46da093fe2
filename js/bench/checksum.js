#!/usr/bin/env node
// Flagger's checksum of one ConfigMap/Secret through the wasm build.
//   node bench/checksum.js FILE [--iterations N] [--module PATH]
// prints  MBps=<x> us_per_op=<y> checksum=<c>
// where MB (10^6 bytes) counts Go's json.Marshal of the data — the bytes
// that are hashed — and a call is `checksum(object)` from JS (JSON.stringify,
// copy in, Go-compatible read, marshal streamed into SHA-256). --module picks
// another wasm-bindgen nodejs build (default: js/pkg/node). No assertions.
import { arg, fmt, goMarshal, loadCore, readObject, SHIPPED_NODE, usPerOp } from './lib.js';

const argv = process.argv.slice(2);
const file = argv.find((a, i) => !a.startsWith('--') && !['--iterations', '--module'].includes(argv[i - 1]));
if (!file) {
  process.stderr.write('usage: node bench/checksum.js FILE [--iterations N] [--module PATH]\n');
  process.exit(1);
}
try {
  const core = loadCore(arg(argv, '--module', SHIPPED_NODE));
  const object = readObject(file);
  const bytes = goMarshal(object).length;
  const sum = core.checksum(object);
  const iterations = Number(
    arg(argv, '--iterations', String(Math.max(5, Math.min(2000, Math.round(2e8 / Math.max(bytes, 1)))))),
  );
  const us = usPerOp(() => core.checksum(object), iterations);
  process.stdout.write(`MBps=${fmt(bytes / us)} us_per_op=${fmt(us, 2)} checksum=${sum}\n`);
} catch (e) {
  process.stderr.write(`checksum.js: ${e.code ? `${e.code}: ` : ''}${e.message}\n`);
  process.exit(1);
}
