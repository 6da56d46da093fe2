// kubectl as an oracle for reading manifests: `kubectl label --local -f DIR
// -o json` reads every file exactly as `kubectl apply -f` does (cli-runtime's
// FileVisitor, YAMLOrJSONDecoder, FlattenListVisitor), offline.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const KUBECTL = process.env.KUBECTL ?? 'kubectl';

/** kubectl's client version, or null when it cannot be run. */
export function kubectlVersion() {
  const r = spawnSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout).clientVersion.gitVersion : null;
}

/**
 * Reads each case (bytes or text, one file each) with kubectl. Every object
 * must have `metadata.name` starting `c<index>` (so outputs map back).
 * @returns {{objects: object[], error: string | null}[]}
 */
export function kubectlRead(cases) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubectl-oracle-'));
  try {
    const name = (i) => `c${String(i).padStart(6, '0')}.yaml`;
    cases.forEach((c, i) => writeFileSync(path.join(dir, name(i)), c));
    const r = spawnSync(KUBECTL, ['label', '--local', '-f', dir, 'oracle=x', '-o', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.error) throw r.error;
    const out = cases.map(() => ({ objects: [], error: null }));
    for (const line of r.stderr.split('\n')) {
      const m = /c(\d{6})\.yaml/.exec(line);
      if (m) out[Number(m[1])].error = line;
    }
    const text = r.stdout.trim();
    for (const t of text ? text.split(/\n(?=\{)/) : []) {
      const o = JSON.parse(t);
      const m = /^c(\d+)/.exec(o.metadata?.name ?? '');
      if (!m) throw new Error(`kubectl printed an object without a case name: ${t.slice(0, 200)}`);
      delete o.metadata.labels.oracle;
      if (Object.keys(o.metadata.labels).length === 0) delete o.metadata.labels;
      out[Number(m[1])].objects.push(o);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** JSON with object keys sorted, to compare objects whatever their key order. */
export const canonical = (v) =>
  JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
