// The CLI's flags, outputs and exit codes, through the wasm build.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { parseObjects } from '../src/parse.js';
import { EXAMPLES, FIXTURES, runCli, summarise, tempDir } from '../testlib/helpers.js';

const fx = (name) => join(FIXTURES, name, 'objects.yaml');

/**
 * A fixture whose Canary settled on its current pod template: the status
 * gets lastAppliedSpec/lastPromotedSpec = the template's spec hash (what
 * Flagger wrote after the last promotion). Returns the file.
 */
function settled(t, name) {
  const { objects } = parseObjects(readFileSync(fx(name), 'utf8'));
  const canary = objects.find((o) => o.kind === 'Canary');
  const target = objects.find(
    (o) => o.kind === canary.spec.targetRef.kind && o.metadata.name === canary.spec.targetRef.name,
  );
  const hash = core.specHash(target).current;
  canary.status = { ...canary.status, lastAppliedSpec: hash, lastPromotedSpec: hash };
  const file = join(tempDir(t), 'settled.json');
  writeFileSync(file, JSON.stringify(objects));
  return file;
}
const core = await import('../src/wasm-node.js');
const json = async (args) => {
  const r = await runCli([...args, '-o', 'json']);
  return { ...r, response: r.stdout ? JSON.parse(r.stdout) : undefined };
};

test('--help prints usage with the exit codes; --version the versions', async () => {
  const h = await runCli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^Usage:\n {2}canary-tracker plan/);
  assert.match(h.stdout, /Exit codes: 0 ok; 1 bad input or usage; 2 .*; 3 with\n--exit-code/s);
  const v = await runCli(['--version']);
  assert.equal(v.code, 0);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.match(
    v.stdout,
    new RegExp(
      `^canary-tracker ${pkg.version.replace(/\./g, '\\.')} \\(core \\d+\\.\\d+\\.\\d+; Flagger 0\\.20\\.4 to \\d+\\.\\d+\\.\\d+\\)\\n$`,
    ),
  );
});

test('usage errors exit 1 with one message on stderr', async () => {
  for (const args of [
    [],
    ['frobnicate'],
    ['plan'],
    ['plan', fx('daemonset'), '-o', 'xml'],
    ['plan', fx('daemonset'), '--no-such-flag'],
    ['plan', fx('daemonset'), '--proxy', 'http://x'],
    ['checksum'],
    ['checksum', fx('daemonset'), '--exit-code'],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^canary-tracker: [^\n]+ \(see 'canary-tracker help'\)\n$/, args.join(' '));
  }
});

test('the text report: target, version, verdict in words, configs with status, untracked, rewrites, warnings', async (t) => {
  const r = await runCli(['plan', fx('podinfo-config-edited')]);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^Canary test\/podinfo\n/);
  assert.match(out, /target: +Deployment test\/podinfo\n/);
  assert.match(out, /Flagger: +1\.44\.0\n/);
  assert.match(out, /verdict: +start: a new revision: Flagger starts a canary analysis\n/);
  assert.match(out, /configmap\/podinfo-config-vol +c2e5a1ee785319f1 +modified \(was [0-9a-f]+\)\n/);
  assert.match(out, /configmap\/podinfo-config-env +8bfec02451522895 +unchanged\n/);
  assert.match(out, /secret\/registry-creds +secret-type +Secrets of type kubernetes\.io\/dockerconfigjson/);
  assert.match(
    out,
    /\/spec\/template\/spec\/volumes\/0\/configMap\/name +podinfo-config-vol → podinfo-config-vol-primary\n/,
  );
  const unchanged = await runCli(['plan', settled(t, 'podinfo-unchanged')]);
  assert.match(unchanged.stdout, /verdict: +none: /);
  const first = await runCli(['plan', fx('podinfo-first-run')]);
  assert.match(first.stdout, /secret\/podinfo-secret-env +23dc8207aaa606d5 +added\n/);
});

test('the text report of the podinfo example shows every kind of status', async () => {
  const r = await runCli(['plan', join(EXAMPLES, 'podinfo')]);
  assert.equal(r.code, 0, r.stderr);
  for (const re of [
    / modified \(was /,
    / unchanged\n/,
    /configmap\/podinfo-legacy +- +removed/,
    /optional-missing/,
    /opt-out/,
    /secret-type/,
    /initContainers\/0\/envFrom\/0\/configMapRef\/name +podinfo-init → podinfo-init-primary/,
    /Warnings\n/,
  ]) {
    assert.match(r.stdout, re);
  }
  assert.equal(r.stderr, '');
});

test('the text report says why: each reason of the decision, and the spec hashes compared', async () => {
  const r = await runCli(['plan', join(EXAMPLES, 'podinfo')]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse((await runCli(['plan', join(EXAMPLES, 'podinfo'), '-o', 'json'])).stdout);
  const a = json.plans[0].analysis;
  assert.equal(a.decision, 'start');
  assert.match(r.stdout, new RegExp(`verdict: +start: ${a.message}`));
  assert.match(r.stdout, /why: +the spec hash is \w+, status.lastAppliedSpec is \w+ \(manifest form/);
  assert.match(r.stdout, /\n +tracked configs changed: configmap\/podinfo-config, configmap\/podinfo-legacy\n/);
  assert.match(
    r.stdout,
    new RegExp(
      `spec hash: +${a.specHash.current} \\(manifest form, approximate, api-v0.36; lastAppliedSpec ${a.specHash.lastApplied}\\)`,
    ),
  );
});

test('exit codes: 0 ok, 2 plan error, 3 only with --exit-code when a rollout starts', async (t) => {
  assert.equal((await runCli(['plan', fx('podinfo-config-edited')])).code, 0);
  assert.equal((await runCli(['plan', fx('podinfo-config-edited'), '--exit-code'])).code, 3);
  assert.equal((await runCli(['plan', settled(t, 'podinfo-unchanged'), '--exit-code'])).code, 0);
  // No status: Flagger initializes the Canary, no rollout.
  assert.equal((await runCli(['plan', fx('podinfo-first-run'), '--exit-code'])).code, 0);
  const failed = await runCli(['plan', fx('mandatory-missing'), '--exit-code']);
  assert.equal(failed.code, 2);
  assert.equal(
    failed.stderr,
    'canary-tracker: Canary edge/proxy: config-not-found: ConfigMap edge/proxy-conf is referenced by the pod spec but is not in objects [configmap/proxy-conf]\n',
  );
  // A plan error outranks a change in another Canary.
  const both = await runCli(['plan', fx('mandatory-missing'), fx('podinfo-config-edited'), '--exit-code']);
  assert.equal(both.code, 2);
  assert.match(both.stdout, /Canary edge\/proxy[\s\S]*Canary test\/podinfo/);
});

test('no Canary in the input is an error, exit 1', async (t) => {
  const file = join(tempDir(t), 'cm.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n');
  const r = await runCli(['plan', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^canary-tracker: no Canary \(flagger\.app\) found in .*cm\.yaml\n$/);
});

test('-o json prints the core response; -o yaml the objects to apply as a YAML stream', async () => {
  const { code, response } = await json(['plan', fx('podinfo-first-run')]);
  assert.equal(code, 0);
  assert.deepEqual(Object.keys(response), ['plans']);
  const plan = response.plans[0];
  const y = await runCli(['plan', fx('podinfo-first-run'), '-o', 'yaml']);
  assert.equal(y.code, 0);
  assert.match(y.stdout, /^---\n/);
  const docs = parseAllDocuments(y.stdout).map((d) => d.toJS());
  assert.deepEqual(docs, [...plan.primaryConfigs, plan.primaryWorkload]);
  assert.deepEqual(
    docs.map((d) => `${d.kind}/${d.metadata.name}`),
    [
      'ConfigMap/podinfo-config-env-primary',
      'ConfigMap/podinfo-config-vol-primary',
      'Secret/podinfo-secret-env-primary',
      'Secret/podinfo-secret-vol-primary',
      'Deployment/podinfo-primary',
    ],
  );
  for (const d of docs.filter((x) => x.kind === 'Secret'))
    for (const v of Object.values(d.data)) assert.equal(v, '<redacted>');
  const shown = parseAllDocuments(
    (await runCli(['plan', fx('podinfo-first-run'), '-o', 'yaml', '--show-secrets'])).stdout,
  ).map((d) => d.toJS());
  assert.equal(shown.find((d) => d.metadata.name === 'podinfo-secret-env-primary').data.user, 'YWRtaW4=');
  const svc = parseAllDocuments((await runCli(['plan', fx('service-target'), '-o', 'yaml'])).stdout).map((d) =>
    d.toJS(),
  );
  assert.deepEqual(
    svc.map((d) => `${d.kind}/${d.metadata.name}`),
    ['Service/backend-primary', 'Service/backend-canary'],
  );
});

test('-o yaml quotes strings a YAML 1.1 reader (kubectl) would take for something else', async (t) => {
  const dir = tempDir(t);
  const text = readFileSync(fx('podinfo-first-run'), 'utf8').replace(
    "PODINFO_UI_COLOR: '#34577c'",
    "PODINFO_UI_COLOR: 'yes'\n  OCTAL: '0755'",
  );
  writeFileSync(join(dir, 'o.yaml'), text);
  const y = await runCli(['plan', join(dir, 'o.yaml'), '-o', 'yaml']);
  assert.match(y.stdout, /PODINFO_UI_COLOR: "yes"\n/);
  assert.match(y.stdout, /OCTAL: "0755"\n/);
});

test('--flagger-version: 1.43.0 leaves init-container refs unrewritten, 1.44.0 rewrites them', async () => {
  const at = async (v) => (await json(['plan', fx('projected-and-init'), '--flagger-version', v])).response.plans[0];
  const old = await at('1.43.0');
  const now = await at('1.44.0');
  assert.equal(old.flaggerVersion, '1.43.0');
  assert.equal(now.flaggerVersion, '1.44.0');
  assert.deepEqual(summarise(now).primaryPodSpecRefs, [
    'configmap/api-settings-primary',
    'configmap/db-migrations-primary',
    'secret/api-tls-primary',
  ]);
  assert.deepEqual(summarise(old).primaryPodSpecRefs, [
    'configmap/api-settings-primary',
    'configmap/db-migrations',
    'secret/api-tls-primary',
  ]);
  assert.ok(old.warnings.some((w) => w.code === 'init-container-not-rewritten'));
});

test('--flagger-version older than supported: exit 1, unsupported-flagger-version on stderr', async () => {
  for (const args of [
    ['plan', fx('projected-and-init')],
    ['checksum', fx('projected-and-init')],
  ]) {
    const r = await runCli([...args, '--flagger-version', '0.19.0']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^canary-tracker: .*unsupported-flagger-version: .*0\.19\.0/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('--disable-config-tracking: nothing tracked, every ref listed as tracking-disabled', async () => {
  const { code, response } = await json(['plan', fx('podinfo-first-run'), '--disable-config-tracking']);
  assert.equal(code, 0);
  const p = response.plans[0];
  assert.equal(p.configsChanged, false);
  assert.deepEqual(p.primaryConfigs, []);
  assert.ok(p.untrackedConfigs.length >= 4 && p.untrackedConfigs.every((u) => u.reason === 'tracking-disabled'));
});

test('--selector-labels and --include-label-prefix reach the core', async (t) => {
  const bad = await runCli(['plan', fx('podinfo-first-run'), '--selector-labels', 'tier,  team']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no-selector-label: .*\["tier", "team"\]/);
  const dir = tempDir(t);
  const text = readFileSync(fx('podinfo-first-run'), 'utf8').replace(
    '  name: podinfo-config-env\n',
    '  name: podinfo-config-env\n  labels:\n    team: a\n    owner.io/x: b\n    other: c\n',
  );
  writeFileSync(join(dir, 'l.yaml'), text);
  const labels = async (...flags) =>
    (await json(['plan', join(dir, 'l.yaml'), ...flags])).response.plans[0].primaryConfigs[0].metadata.labels;
  assert.equal(await labels(), undefined);
  assert.deepEqual(await labels('--include-label-prefix', 'team,owner.io'), { team: 'a', 'owner.io/x': 'b' });
  assert.deepEqual(await labels('--include-label-prefix', 'team', '--include-label-prefix', 'other'), {
    team: 'a',
    other: 'c',
  });
});

test('-n sets the namespace of objects without one and selects Canaries; --canary selects by name', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, 'nons.yaml'),
    readFileSync(fx('podinfo-first-run'), 'utf8').replace(/^ {2}namespace: test\n/gm, ''),
  );
  const dflt = await json(['plan', join(dir, 'nons.yaml')]);
  assert.equal(dflt.response.plans[0].canary.namespace, 'default');
  const prod = await json(['plan', join(dir, 'nons.yaml'), '-n', 'prod']);
  assert.equal(prod.code, 0, prod.stderr);
  assert.equal(prod.response.plans[0].canary.namespace, 'prod');
  assert.equal(prod.response.plans[0].primaryConfigs[0].metadata.namespace, 'prod');
  const two = [fx('podinfo-first-run'), fx('daemonset')];
  const one = await json(['plan', ...two, '--canary', 'log-agent']);
  assert.deepEqual(
    one.response.plans.map((p) => p.canary.name),
    ['log-agent'],
  );
  const none = await runCli(['plan', ...two, '-n', 'nowhere']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^canary-tracker: canary-not-found: /);
});

test('core errors pointing into an object name the file, document and line', async (t) => {
  const dir = tempDir(t);
  const text = readFileSync(fx('podinfo-first-run'), 'utf8').replace('replicas: 2', 'replicas: 2\n  template: []');
  writeFileSync(
    join(dir, 'bad.yaml'),
    text.replace(/ {2}template:\n {4}metadata:[\s\S]*?\n {2}replicas/, '  replicas'),
  );
  const r = await runCli(['plan', join(dir, 'bad.yaml')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /invalid-object: .* in .*bad\.yaml \(document 7, line \d+\) at \/spec\/template/);
});

test('checksum prints one line per ConfigMap/Secret, matching the plan', async () => {
  const r = await runCli(['checksum', fx('podinfo-first-run')]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines, [
    'configmap/test/podinfo-config-env 8bfec02451522895',
    'configmap/test/podinfo-config-vol c2e5a1ee785319f1',
    'secret/test/podinfo-secret-env 23dc8207aaa606d5',
    'secret/test/podinfo-secret-vol fed7a27106a07691',
    expect(lines[4], /^secret\/test\/registry-creds [0-9a-f]{16}$/),
  ]);
  const stdin = await runCli(['checksum', '-'], { input: 'kind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n' });
  assert.match(stdin.stdout, /^configmap\/default\/a [0-9a-f]{16}\n$/);
  const ns = await runCli(['checksum', '-', '-n', 'x'], {
    input: 'kind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n',
  });
  assert.match(ns.stdout, /^configmap\/x\/a [0-9a-f]{16}\n$/);
});

function expect(value, re) {
  assert.match(value, re);
  return value;
}

test("upgrade-check: does upgrading Flagger alone start an analysis (the core's upgrade per plan)", async (t) => {
  // The Canary settled under 1.30.0: lastAppliedSpec is the template's hash there.
  const { objects } = parseObjects(readFileSync(fx('podinfo-config-edited'), 'utf8'));
  const canary = objects.find((o) => o.kind === 'Canary');
  const hash = core.specHash(
    objects.find((o) => o.kind === 'Deployment'),
    '1.30.0',
  ).current;
  canary.status = { ...canary.status, lastAppliedSpec: hash, lastPromotedSpec: hash };
  const file = join(tempDir(t), 'settled-1.30.json');
  writeFileSync(file, JSON.stringify(objects));
  const r = await runCli(['upgrade-check', file, '--from', '1.30.0', '--to', '1.44.0', '--exit-code', '-o', 'json']);
  assert.equal(r.code, 3, r.stderr);
  const c = JSON.parse(r.stdout).canaries[0];
  assert.equal(c.startsAnalysis, true);
  assert.equal(c.fromHash, hash);
  assert.notEqual(c.toHash, hash);
  assert.ok(c.fieldsAdded.includes('PodSpec.HostnameOverride'), c.fieldsAdded.join());
  const text = await runCli(['upgrade-check', '-f', file, '--from=1.30.0', '--to=1.44.0']);
  assert.equal(text.code, 0);
  assert.match(
    text.stdout,
    /^Flagger 1\.30\.0 → 1\.44\.0: the upgrade alone starts an analysis of 1 Canary\n\nCanary test\/podinfo\n {2}verdict: +starts an analysis\n/,
  );
  const same = await runCli(['upgrade-check', file, '--from', '1.30.0', '--to', '1.30.0', '--exit-code']);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /the upgrade alone starts no analysis/);
  const usage = await runCli(['upgrade-check', file, '--from', '1.30.0']);
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /^canary-tracker: upgrade-check needs --from X\.Y\.Z .* and --to X\.Y\.Z/);
});
