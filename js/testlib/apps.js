// A generator of small Flagger apps (Canary + Deployment + configs) for
// tests, and git repositories made in the test.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

/**
 * One app: a Canary on a Deployment that reads a tracked ConfigMap
 * (envFrom), a tracked Secret (env) and, optionally, more volumes.
 * @param {{name?: string, ns?: string, image?: string, config?: Record<string,string>,
 *   secret?: Record<string,string>, canary?: object, volumes?: {name: string, kind: 'configMap'|'secret'}[],
 *   extra?: object[], skip?: string[]}} o
 *   `skip`: kinds/names to leave out (e.g. `ConfigMap` to make a mandatory config missing)
 */
export function app(o = {}) {
  const name = o.name ?? 'web';
  const ns = o.ns ?? 'shop';
  const volumes = o.volumes ?? [];
  const objects = [
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name, namespace: ns },
      spec: {
        provider: 'kubernetes',
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        analysis: { interval: '1m', threshold: 5, iterations: 10 },
        ...(o.canary ?? {}),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels: { app: name } },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: 'app',
                image: o.image ?? `registry.example.com/${name}:1.0.0`,
                envFrom: [{ configMapRef: { name: `${name}-config` } }],
                env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: `${name}-secret`, key: 'token' } } }],
                volumeMounts: volumes.map((v) => ({ name: v.name, mountPath: `/etc/${v.name}` })),
              },
            ],
            volumes: volumes.map((v) =>
              v.kind === 'secret'
                ? { name: v.name, secret: { secretName: v.name } }
                : { name: v.name, configMap: { name: v.name } },
            ),
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-config`, namespace: ns },
      data: o.config ?? { MODE: 'a' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-secret`, namespace: ns },
      type: 'Opaque',
      stringData: o.secret ?? { token: 'example-token-1' },
    },
    ...(o.extra ?? []),
  ];
  return objects.filter((x) => !(o.skip ?? []).includes(x.kind) && !(o.skip ?? []).includes(x.metadata.name));
}

/** A YAML stream of objects. */
export const yamlOf = (objects) => objects.map((x) => `---\n${stringify(x)}`).join('');

/** Writes files `{relative path: text}` under `dir`. */
export function writeTree(dir, files) {
  for (const [rel, text] of Object.entries(files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** Runs git in `dir` with a fixed identity and no user or system config; throws on failure. */
export function git(dir, ...args) {
  const r = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A repository in `dir` with one commit per entry of `commits` (each a `{path: text|null}` change set; null deletes). */
export function makeRepo(dir, commits) {
  git(dir, 'init', '-q', '-b', 'main');
  commits.forEach((files, i) => {
    for (const [rel, text] of Object.entries(files)) {
      if (text === null) git(dir, 'rm', '-q', rel);
      else writeTree(dir, { [rel]: text });
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', `commit ${i + 1}`);
  });
  return dir;
}
