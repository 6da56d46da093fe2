// Cluster access the way kubectl users have it: the CLI runs the user's
// kubectl (`kubectl proxy` on a private Unix socket) with --context,
// --kubeconfig, -A, and takes Canary status from the cluster for files
// (--status-from-cluster), through a real kubectl in front of in-test API
// servers.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { redactUrl } from '../src/cluster.js';
import { proxyUrl } from '../src/kube.js';
import { parseObjects } from '../src/parse.js';
import { FIXTURES, runCli, tempDir } from '../testlib/helpers.js';
import { apiServer, kubectlProxy, writeKubeconfig } from '../testlib/kube.js';

const fixture = (name) =>
  parseObjects(readFileSync(join(FIXTURES, name, 'objects.yaml'), 'utf8')).objects.map((o) => ({
    ...o,
    metadata: { ...o.metadata, namespace: o.metadata.namespace ?? 'default', uid: `uid-${o.metadata.name}` },
  }));

let prod;
let staging;
let dir;
let kubeconfig;

before(async () => {
  prod = await apiServer([...fixture('podinfo-config-edited'), ...fixture('service-target')]);
  staging = await apiServer([...fixture('daemonset'), ...fixture('projected-and-init')]);
  dir = mkdtempSync(join(tmpdir(), 'canary-tracker-kube-'));
  kubeconfig = writeKubeconfig(
    dir,
    [
      { name: 'staging', server: staging.url, namespace: 'monitoring' },
      { name: 'prod', server: prod.url },
    ],
    'staging',
  );
});

after(async () => {
  await prod.close();
  await staging.close();
  rmSync(dir, { recursive: true, force: true });
});

/** kubectl processes serving a CLI-made socket: none may outlive the CLI. */
function leftoverProxies() {
  const out = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (cmd.includes('proxy') && cmd.includes('--unix-socket=') && cmd.includes('canary-tracker-')) out.push(cmd);
  }
  return out;
}

/** The requests the CLI made (kubectl itself asks for /version first). */
const ours = (api) => api.requests.filter((q) => q !== 'GET /version');

const plans = (r) =>
  JSON.parse(r.stdout)
    .plans.map((p) => `${p.canary.namespace}/${p.canary.name}`)
    .sort();

test('--context picks the cluster, -A every namespace; only that cluster is asked; the proxy is gone after', async () => {
  prod.requests.length = 0;
  staging.requests.length = 0;
  const r = await runCli(['plan', '--kubeconfig', kubeconfig, '--context=prod', '-A', '-o=json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(plans(r), ['test/backend', 'test/podinfo']);
  assert.equal(ours(prod)[0], 'GET /apis/flagger.app/v1beta1/canaries');
  assert.equal(staging.requests.length, 0);
  assert.ok(prod.requests.every((q) => q.startsWith('GET ')));
  assert.deepEqual(leftoverProxies(), []);
});

test("without -n or -A: the context's namespace, as kubectl does", async () => {
  staging.requests.length = 0;
  const r = await runCli(['plan', '--kubeconfig', kubeconfig, '--cluster', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(plans(r), ['monitoring/log-agent']);
  assert.equal(ours(staging)[0], 'GET /apis/flagger.app/v1beta1/namespaces/monitoring/canaries');
  const other = await runCli(['plan', '--kubeconfig', kubeconfig, '--cluster', '-n', 'shop', '-o', 'json']);
  assert.equal(other.code, 0, other.stderr);
  assert.deepEqual(plans(other), ['shop/api']);
  // KUBECONFIG in the environment works as for kubectl.
  const env = await runCli(['plan', '--context', 'prod', '-n', 'test', '--canary', 'podinfo'], {
    env: { KUBECONFIG: kubeconfig },
  });
  assert.equal(env.code, 0, env.stderr);
  assert.match(env.stdout, /^Canary test\/podinfo\n/);
});

test('--status-from-cluster: the status from the cluster, everything else from the files', async (t) => {
  const d = tempDir(t);
  // The manifests as they sit in git: no status.
  const manifests = fixture('podinfo-config-edited').map(({ status: _s, ...o }) => o);
  const file = join(d, 'app.yaml');
  writeFileSync(file, manifests.map((o) => `---\n${stringify(o)}`).join(''));

  const alone = await runCli(['plan', file, '--exit-code']);
  assert.equal(alone.code, 0, alone.stderr);
  assert.match(alone.stdout, /verdict: +initialize: /);

  // The files planned with the prod cluster's status.
  const withStatus = () =>
    runCli(['plan', file, '--status-from-cluster', '--kubeconfig', kubeconfig, '--context', 'prod', '--exit-code']);
  const live = await withStatus();
  assert.equal(live.code, 3, live.stderr);
  assert.match(
    live.stdout,
    /status: +from the cluster \(kubectl proxy \(context prod, kubeconfig .*\)\): phase Succeeded\n/,
  );
  assert.match(live.stdout, /verdict: +start: a new revision: Flagger starts a canary analysis\n/);
  assert.match(live.stdout, /configmap\/podinfo-config-vol +c2e5a1ee785319f1 +modified \(was 1c4a27aca3e2ef10\)/);
  assert.ok(prod.requests.includes('GET /apis/flagger.app/v1beta1/namespaces/test/canaries/podinfo'));
  assert.deepEqual(leftoverProxies(), []);

  // A Canary the cluster does not have: Flagger initializes it.
  const renamed = manifests.map((o) =>
    o.kind === 'Canary' ? { ...o, metadata: { ...o.metadata, name: 'podinfo-new' } } : o,
  );
  writeFileSync(file, renamed.map((o) => `---\n${stringify(o)}`).join(''));
  const fresh = await withStatus();
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.match(fresh.stdout, /status: +not in the cluster .*: Flagger will initialize it\n/);
  assert.match(fresh.stdout, /verdict: +initialize: /);
});

test('--status-from-cluster through a running kubectl proxy given without a scheme', async (t) => {
  const d = tempDir(t);
  const proxyKubeconfig = writeKubeconfig(d, [{ name: 'prod', server: prod.url }], 'prod');
  const proxy = await kubectlProxy(proxyKubeconfig);
  t.after(proxy.close);
  const manifests = fixture('podinfo-config-edited').map(({ status: _s, ...o }) => o);
  const file = join(d, 'app.yaml');
  writeFileSync(file, manifests.map((o) => `---\n${stringify(o)}`).join(''));
  const r = await runCli([
    'plan',
    '-f',
    file,
    '--status-from-cluster',
    `--proxy=${proxy.hostPort}`,
    '-o',
    'json',
    '--exit-code',
  ]);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(JSON.parse(r.stdout).plans[0].configsChanged, true);
  const whole = await runCli(['plan', '--proxy', proxy.hostPort, '-n', 'test', '-o', 'json']);
  assert.equal(whole.code, 0, whole.stderr);
  assert.deepEqual(plans(whole), ['test/backend', 'test/podinfo']);
});

test('kubectl failures are one clean line, exit 1', async () => {
  const noContext = await runCli(['plan', '--kubeconfig', kubeconfig, '--context', 'nope']);
  assert.equal(noContext.code, 1);
  assert.equal(noContext.stdout, '');
  assert.match(
    noContext.stderr,
    /^canary-tracker: kubectl-failed: kubectl (proxy|config view): context "nope" does not exist\n$/,
  );
  const noKubectl = await runCli(['plan', '--context', 'prod', '-n', 'test'], {
    env: { KUBECTL: '/nonexistent/kubectl' },
  });
  assert.equal(noKubectl.code, 1);
  assert.match(noKubectl.stderr, /^canary-tracker: tool-not-found: \/nonexistent\/kubectl not found on PATH[^\n]*\n$/);
  assert.deepEqual(leftoverProxies(), []);
});

test('files and a cluster together need --status-from-cluster; -n and -A exclude each other', async () => {
  for (const [args, re] of [
    [
      ['plan', join(FIXTURES, 'daemonset', 'objects.yaml'), '--context', 'prod'],
      /give files or a cluster, not both .*--status-from-cluster/,
    ],
    [['plan', '--cluster', '-A', '-n', 'x'], /give -n or -A, not both/],
    [['plan', '--status-from-cluster'], /--status-from-cluster takes the status for the Canaries in files/],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, re);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  }
});

test('a --proxy URL is shown without credentials', () => {
  assert.equal(
    redactUrl(proxyUrl('user:hunter2@127.0.0.1:8001/?token=hunter2&x=1')),
    'http://<redacted>@127.0.0.1:8001/?token=<redacted>&x=<redacted>',
  );
  assert.equal(redactUrl(proxyUrl('127.0.0.1:8001')), 'http://127.0.0.1:8001/');
  assert.equal(redactUrl('http://[bad'), '<not a URL>');
});
