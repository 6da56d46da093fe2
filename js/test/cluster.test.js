// The cluster client against a small in-test API server that serves the
// shared fixtures at their real Kubernetes REST paths.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ClusterError, fetchObjects as fetchWith, restPath } from '../src/cluster.js';
import { configRefs } from '../src/wasm-node.js';

const fetchObjects = (opts) => fetchWith({ configRefs, ...opts });

import { parseObjects } from '../src/parse.js';
import { FIXTURES, runCli, summarise } from '../testlib/helpers.js';

const RESOURCES = {
  Canary: { group: 'flagger.app', version: 'v1beta1', resource: 'canaries' },
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  Service: { version: 'v1', resource: 'services' },
  ConfigMap: { version: 'v1', resource: 'configmaps' },
  Secret: { version: 'v1', resource: 'secrets' },
};

/** Objects by REST path, as the API server would store them (namespace filled in). */
function store(fixtures) {
  const byPath = new Map();
  for (const f of fixtures) {
    for (const o of parseObjects(readFileSync(join(FIXTURES, f, 'objects.yaml'), 'utf8')).objects) {
      const ns = o.metadata.namespace ?? 'default';
      const stored = { ...o, metadata: { ...o.metadata, namespace: ns, uid: `uid-${ns}-${o.metadata.name}` } };
      byPath.set(restPath({ ...RESOURCES[o.kind], namespace: ns, name: o.metadata.name }), stored);
    }
  }
  return byPath;
}

const FIXTURE_SET = ['podinfo-config-edited', 'daemonset', 'mandatory-missing', 'service-target', 'projected-and-init'];
const objects = store(FIXTURE_SET);
const requests = [];
let server;
let base;
let failNext = null;

const notFound = (path) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `the server could not find the requested resource (${path})`,
  reason: 'NotFound',
  details: {},
  code: 404,
});

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    const send = (code, body) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (failNext) {
      const f = failNext;
      failNext = null;
      return send(f.code, f.body);
    }
    if (req.method !== 'GET')
      return send(405, { kind: 'Status', code: 405, reason: 'MethodNotAllowed', message: 'GET only' });
    const one = objects.get(url.pathname);
    if (one) {
      // Single GETs carry kind/apiVersion; lists do not on their items.
      return send(200, one);
    }
    // Lists: all namespaces or one namespace, for canaries only (the client lists nothing else).
    const m = /^\/apis\/flagger\.app\/v1beta1\/(?:namespaces\/([^/]+)\/)?canaries$/.exec(url.pathname);
    if (m) {
      const items = [...objects.values()]
        .filter((o) => o.kind === 'Canary' && (!m[1] || o.metadata.namespace === decodeURIComponent(m[1])))
        .map(({ kind, apiVersion, ...rest }) => rest);
      return send(200, {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'CanaryList',
        metadata: { resourceVersion: '1' },
        items,
      });
    }
    return send(404, notFound(url.pathname));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((r) => server.close(r)));

test("the core's configRefs: volumes, projected sources, env, envFrom in containers and init containers, per release", () => {
  const spec = {
    volumes: [
      { configMap: { name: 'v-cm' } },
      { secret: { secretName: 'v-s' } },
      { projected: { sources: [{ configMap: { name: 'p-cm' } }, { secret: { name: 'p-s' } }, { downwardAPI: {} }] } },
      { emptyDir: {} },
    ],
    containers: [
      {
        env: [
          { valueFrom: { configMapKeyRef: { name: 'e-cm' } } },
          { valueFrom: { secretKeyRef: { name: 'e-s' } } },
          { value: 'x' },
        ],
        envFrom: [{ configMapRef: { name: 'f-cm' } }],
      },
    ],
    initContainers: [{ envFrom: [{ secretRef: { name: 'i-s' } }, { configMapRef: { name: 'v-cm' } }] }],
  };
  assert.deepEqual(
    configRefs(spec).map((r) => r.ref),
    [
      'configmap/v-cm',
      'secret/v-s',
      'configmap/p-cm',
      'secret/p-s',
      'configmap/e-cm',
      'secret/e-s',
      'configmap/f-cm',
      'secret/i-s',
    ],
  );
  assert.deepEqual(configRefs(spec)[1], { ref: 'secret/v-s', kind: 'Secret', name: 'v-s' });
  // Before 1.0.0 Flagger scans neither projected volumes nor (before 1.10.0) init containers.
  assert.deepEqual(
    configRefs(spec, '0.25.0').map((r) => r.ref),
    ['configmap/v-cm', 'secret/v-s', 'configmap/e-cm', 'secret/e-s', 'configmap/f-cm'],
  );
  assert.throws(
    () => configRefs(null),
    (e) => e.code === 'invalid-object' && e.path === '/podSpec',
  );
});

test('one Canary in one namespace: fetches only the Canary, its target and the configs it references (+ -primary)', async () => {
  requests.length = 0;
  const got = await fetchObjects({ proxy: base, namespace: 'test', canary: 'podinfo' });
  assert.deepEqual(
    got.map((o) => `${o.kind}/${o.metadata.name}`),
    [
      'Canary/podinfo',
      'Deployment/podinfo',
      'ConfigMap/podinfo-config-vol',
      'Secret/podinfo-secret-vol',
      'Secret/registry-creds',
      'ConfigMap/podinfo-config-env',
      'Secret/podinfo-secret-env',
    ],
  );
  assert.ok(requests.includes('/apis/flagger.app/v1beta1/namespaces/test/canaries/podinfo'));
  assert.ok(requests.includes('/apis/apps/v1/namespaces/test/deployments/podinfo'));
  assert.ok(
    requests.includes('/api/v1/namespaces/test/configmaps/podinfo-config-vol-primary'),
    'looks for existing -primary copies',
  );
  assert.ok(!requests.some((p) => /\/(configmaps|secrets)$/.test(p)), 'never lists all configs or secrets');
  assert.ok(!requests.some((p) => p.includes('/deployments/podinfo-primary')));
});

test('all namespaces: list items get kind/apiVersion, each Canary gets its target and configs', async () => {
  requests.length = 0;
  const got = await fetchObjects({ proxy: base });
  assert.equal(requests[0], '/apis/flagger.app/v1beta1/canaries');
  const canaries = got.filter((o) => o.kind === 'Canary');
  assert.equal(canaries.length, FIXTURE_SET.length);
  for (const c of canaries) assert.equal(c.apiVersion, 'flagger.app/v1beta1');
  assert.ok(got.some((o) => o.kind === 'DaemonSet' && o.metadata.name === 'log-agent'));
  assert.ok(got.some((o) => o.kind === 'Service' && o.metadata.name === 'backend'));
  assert.ok(!got.some((o) => o.kind === 'ConfigMap' && o.metadata.name === 'proxy-conf'), 'absent config left out');
});

test('the CLI with --proxy plans what the files give, for every served fixture', async () => {
  const r = await runCli(['plan', '--proxy', base, '-o', 'json']);
  assert.equal(r.code, 2, r.stderr); // mandatory-missing fails with config-not-found
  const got = JSON.parse(r.stdout).plans.map(summarise);
  const want = FIXTURE_SET.flatMap((f) => JSON.parse(readFileSync(join(FIXTURES, f, 'expected.json'), 'utf8')));
  const key = (p) => `${p.namespace}/${p.canary}`;
  assert.deepEqual(
    got.sort((a, b) => key(a).localeCompare(key(b))),
    want.sort((a, b) => key(a).localeCompare(key(b))),
  );
  assert.match(r.stderr, /Canary edge\/proxy: config-not-found: .*\[configmap\/proxy-conf\]/);
});

test('the CLI with --proxy -n and --canary, --exit-code', async () => {
  // The Canary has no status yet: Flagger initializes it, no rollout (exit 0).
  const r = await runCli(['plan', '--proxy', `${base}/`, '-n', 'monitoring', '--canary', 'log-agent', '--exit-code']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /verdict: +initialize: /);
  assert.match(r.stdout, /Canary monitoring\/log-agent/);
  assert.match(r.stdout, /DaemonSet monitoring\/log-agent/);
});

test('a missing Canary is an error with the URL and the Status message, exit 1', async () => {
  const r = await runCli(['plan', '--proxy', base, '-n', 'test', '--canary', 'nope']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /GET http:\/\/127\.0\.0\.1:\d+\/apis\/flagger\.app\/v1beta1\/namespaces\/test\/canaries\/nope: HTTP 404 NotFound: the server could not find/,
  );
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('a Kubernetes Status error (403) is reported with its reason and message', async () => {
  failNext = {
    code: 403,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message: 'canaries.flagger.app is forbidden: User "x" cannot list resource "canaries"',
    },
  };
  await assert.rejects(fetchObjects({ proxy: base }), (e) => {
    assert.ok(e instanceof ClusterError);
    assert.equal(e.status, 403);
    assert.equal(e.reason, 'Forbidden');
    assert.equal(e.url, `${base}/apis/flagger.app/v1beta1/canaries`);
    assert.match(e.message, /HTTP 403 Forbidden: canaries\.flagger\.app is forbidden/);
    return true;
  });
});

test('a non-Status error body is not echoed', async () => {
  failNext = { code: 500, body: { secret: 'c2Vrcml0' } };
  await assert.rejects(
    fetchObjects({ proxy: base, namespace: 'test' }),
    (e) => e.status === 500 && /HTTP 500$/.test(e.message) && !e.message.includes('c2Vrcml0'),
  );
});

test('an unreachable proxy is one line naming the URL, exit 1', async () => {
  const closed = createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const port = closed.address().port;
  await new Promise((r) => closed.close(r));
  const r = await runCli(['plan', '--proxy', `http://127.0.0.1:${port}`, '-n', 'test']);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /^canary-tracker: cluster-unreachable: GET http:\/\/127\.0\.0\.1:\d+\/apis\/flagger\.app\/v1beta1\/namespaces\/test\/canaries: cannot connect \(ECONNREFUSED\)\n$/,
  );
});

test('secret values served by the cluster stay redacted', async () => {
  const r = await runCli(['plan', '--proxy', base, '-n', 'test', '-o', 'yaml']);
  const values = [...objects.values()].filter((o) => o.kind === 'Secret').flatMap((o) => Object.values(o.data ?? {}));
  assert.ok(values.length > 0);
  for (const v of values) assert.ok(!r.stdout.includes(v) && !r.stderr.includes(v));
  assert.match(r.stdout, /<redacted>/);
});
