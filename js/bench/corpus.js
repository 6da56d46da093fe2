#!/usr/bin/env node
// Writes the checksum bench corpus (generated, deterministic) to a directory:
//   node bench/corpus.js [DIR]          (default: target/bench-corpus)
// Files, each one ConfigMap/Secret of about 1 MiB of marshalled data:
//   configmap-plain.json     printable ASCII with a few `<&>` and newlines (lib.js configMap)
//   configmap-dense.json     escape-dense: nginx, HTML, JSON, shell, accents, emoji (~1 char in 8
//                            needs Go escaping or is multi-byte), as JSON.stringify writes it
//   configmap-dense-go.json  the same object as Go / the API server / `kubectl get -o json`
//                            write it (`\u003c`, `\u003e`, `\u0026` in the source)
//   secret.json              a Secret whose 16 KiB values are base64 of the dense text
// Prints one line per file: name, bytes, share of special characters.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configMap, denseConfigMap, denseShare, goJsonText, ROOT } from './lib.js';

export const CORPUS_DIR = path.join(ROOT, 'target/bench-corpus');
const MIB = 1 << 20;

export function corpus() {
  const dense = denseConfigMap(MIB);
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: 'dense', namespace: 'bench' },
    data: Object.fromEntries(
      Object.entries(denseConfigMap(Math.round(MIB * 0.75)).data).map(([k, v]) => [
        k,
        Buffer.from(v).toString('base64'),
      ]),
    ),
  };
  const share = (o) => denseShare(Object.values(o.data).join(''));
  return [
    ['configmap-plain.json', JSON.stringify(configMap(MIB)), share(configMap(MIB))],
    ['configmap-dense.json', JSON.stringify(dense), share(dense)],
    ['configmap-dense-go.json', goJsonText(dense), share(dense)],
    ['secret.json', JSON.stringify(secret), 0],
  ];
}

/** Writes the corpus into `dir`; returns the file paths. */
export function writeCorpus(dir = CORPUS_DIR) {
  mkdirSync(dir, { recursive: true });
  return corpus().map(([name, text, share]) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return { file, bytes: Buffer.byteLength(text), share };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { file, bytes, share } of writeCorpus(process.argv[2] ? path.resolve(process.argv[2]) : CORPUS_DIR)) {
    console.log(
      `${path.relative(process.cwd(), file)} ${bytes} bytes; special characters ${(share * 100).toFixed(1)}%`,
    );
  }
}
