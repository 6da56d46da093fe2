// Generates a dashboard upload: N Canaries spread over M namespaces, each with
// a Deployment, two ConfigMaps and a Secret (so 5 objects per Canary), as one
// multi-document YAML stream. Deterministic: the same options give the same
// bytes. Canary i's status makes the decisions varied (Flagger 1.44.0):
//   i % 10 == 0  no status                                   → initialize
//   i % 10 == 1  a stale ConfigMap checksum                  → start
//   i % 10 == 2  phase Progressing, nothing changed          → continue
//   i % 20 == 3  spec.suspend: true                          → suspended
//   otherwise    checksums and spec hash as Flagger has them → none
//   failEvery    every failEvery-th Canary targets a Deployment that is not there → failed
// The checksums and spec hashes come from the package's own `checksum` and
// `plan`, so "nothing changed" is real.
//   node bench/generate.js [--canaries 1000] [--namespaces 20] > upload.yaml

import { checksum, init, plan } from 'canary-tracker';
import { stringify } from 'yaml';

let ready;

/** A repeatable pseudo-random text of `n` characters (xorshift). */
function filler(seed, n) {
  let x = seed * 2654435761 + 1;
  const words = [
    'alpha',
    'bravo',
    'charlie',
    'delta',
    'echo',
    'foxtrot',
    'golf',
    'hotel',
    'india',
    'juliet',
    'kilo',
    'lima',
  ];
  let out = '';
  while (out.length < n) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += `${words[(x >>> 0) % words.length]}${(x >>> 8) & 0xff} `;
  }
  return out.slice(0, n);
}

/** What bench/generate.js makes Canary i decide (see the top of this file). */
export function expectedDecision(i, failEvery = 0) {
  if (failEvery > 0 && i % failEvery === failEvery - 1) return 'failed';
  return ['initialize', 'start', 'continue'][i % 10] ?? (i % 20 === 3 ? 'suspended' : 'none');
}

/**
 * @param {{canaries?: number, namespaces?: number, failEvery?: number, prefix?: string}} [opts]
 * @returns {Promise<{objects: object[], text: string}>}
 */
export async function generate({ canaries = 1000, namespaces = 20, failEvery = 0, prefix = 'app' } = {}) {
  ready ??= init(); // the package's node entry: the module loads on the first call
  await ready;
  const objects = [];
  for (let i = 0; i < canaries; i++) {
    const ns = `team-${String(i % namespaces).padStart(2, '0')}`;
    const name = `${prefix}-${String(i).padStart(4, '0')}`;
    const labels = { app: name, team: ns, tier: i % 3 ? 'backend' : 'frontend' };
    const env = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-env`, namespace: ns, labels },
      data: {
        LOG_LEVEL: i % 2 ? 'info' : 'debug',
        FEATURES: filler(i, 1200),
        UPSTREAM: `http://${name}-upstream.${ns}.svc:8080`,
      },
    };
    const files = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-files`, namespace: ns, labels },
      data: { 'app.yaml': `server:\n  port: 8080\n  name: ${name}\nnotes: |\n  ${filler(i + 7, 2800)}\n` },
    };
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: `${name}-creds`, namespace: ns, labels },
      data: {
        user: Buffer.from(`user-${i}`).toString('base64'),
        password: Buffer.from(filler(i + 13, 40)).toString('base64'),
        token: Buffer.from(filler(i + 17, 400)).toString('base64'),
      },
    };
    const missing = failEvery > 0 && i % failEvery === failEvery - 1;
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels, annotations: { 'prometheus.io/scrape': 'true' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: `registry.example/${name}:1.${i % 7}.0`,
                ports: [{ containerPort: 8080, name: 'http' }],
                envFrom: [{ configMapRef: { name: env.metadata.name } }],
                env: [
                  { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: secret.metadata.name, key: 'password' } } },
                ],
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
                volumeMounts: [{ name: 'files', mountPath: '/etc/app' }],
              },
            ],
            volumes: [{ name: 'files', configMap: { name: files.metadata.name } }],
          },
        },
      },
    };
    const tracked = {
      [`configmap/${env.metadata.name}`]: checksum(env),
      [`configmap/${files.metadata.name}`]: checksum(files),
      [`secret/${secret.metadata.name}`]: checksum(secret),
    };
    if (i % 10 === 1) tracked[`configmap/${env.metadata.name}`] = '0123456789abcdef';
    const canary = {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name, namespace: ns, labels },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: missing ? `${name}-gone` : name },
        ...(i % 20 === 3 ? { suspend: true } : {}),
        service: { port: 80, targetPort: 8080 },
        analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10 },
      },
      ...(i % 10 === 0
        ? {}
        : { status: { phase: i % 10 === 2 ? 'Progressing' : 'Succeeded', trackedConfigs: tracked } }),
    };
    objects.push(canary, deployment, env, files, secret);
  }
  // status.lastAppliedSpec: the spec hash Flagger computes now (one plan call for all).
  const hashes = new Map(
    plan({ objects, options: { flaggerVersion: '1.44.0' } }).plans.map((p) => [
      `${p.canary.namespace}/${p.canary.name}`,
      p.analysis?.specHash?.current,
    ]),
  );
  for (const c of objects) {
    const h = hashes.get(`${c.metadata.namespace}/${c.metadata.name}`);
    if (c.kind === 'Canary' && c.status && h) Object.assign(c.status, { lastAppliedSpec: h, lastPromotedSpec: h });
  }
  const text = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  return { objects, text };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const arg = (k, d) => (argv.includes(k) ? Number(argv[argv.indexOf(k) + 1]) : d);
  const { text } = await generate({
    canaries: arg('--canaries', 1000),
    namespaces: arg('--namespaces', 20),
    failEvery: arg('--fail-every', 0),
  });
  process.stdout.write(text);
}
