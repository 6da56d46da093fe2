// Generated requests that ask for huge answers (issue 13 item 3), as
// tests/hardening_amplification.rs builds them for the core, and a child
// that plans one file through the import-free module and prints a summary:
//   node amplification.mjs FILE   →  {"bytes", "code", "plans", "warnings", "restarts"}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AbiHost } from '../../js/src/abi.js';
import { ABI_WASM } from './common.mjs';

/** `n` Canaries on one Deployment that mounts one ConfigMap of `configBytes`. */
export function sharedConfig(n, configBytes, options = {}) {
  const objects = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app', namespace: 'ns' },
      spec: {
        selector: { matchLabels: { app: 'app' } },
        template: {
          metadata: { labels: { app: 'app' } },
          spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'v', configMap: { name: 'big' } }] },
        },
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'ns' }, data: { big: 'x'.repeat(configBytes) } },
  ];
  for (let i = 0; i < n; i++) {
    objects.push({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: `c${i}`, namespace: 'ns' },
      spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' } },
    });
  }
  return JSON.stringify({ objects, options });
}

/** `n` objects the bag cannot read (no kind). */
export function unreadable(n) {
  return `{"objects":[${Array(n).fill('{"apiVersion":"v1"}').join(',')}]}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const host = AbiHost.load(readFileSync(ABI_WASM));
  const text = host.planText(readFileSync(process.argv[2]));
  const v = JSON.parse(text);
  process.stdout.write(
    JSON.stringify({
      bytes: text.length,
      code: v.error?.code ?? null,
      message: v.error?.message ?? null,
      plans: v.plans?.length ?? null,
      warnings: v.warnings?.map((w) => w.code) ?? [],
      restarts: host.restarts,
    }),
  );
}
