// `diff BASE HEAD`: what applying HEAD on top of the state BASE left does,
// per Canary — from directories, real git repositories made in the test
// (two commits, and a work tree), with the loud cases, exit codes, and the
// markdown PR comment rendered by a real Markdown library.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { parse } from 'yaml';
import { changedPaths, comparePlans } from '../src/diff.js';
import { parseObjects } from '../src/parse.js';
import { diffTextReport } from '../src/report.js';
import { app, git, makeRepo, writeTree, yamlOf } from '../testlib/apps.js';
import { EXAMPLES, runCli, tempDir } from '../testlib/helpers.js';

const PR = join(EXAMPLES, 'pr-check');

/** Runs `diff` with -o json; the parsed report. */
async function diffJson(args, opts) {
  const r = await runCli(['diff', '-o', 'json', ...args], opts);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}
const byName = (report) => Object.fromEntries(report.canaries.map((c) => [c.canary.name, c]));

/** BASE and HEAD directories of generated manifests. */
function sides(t, baseObjects, headObjects) {
  const dir = tempDir(t);
  writeTree(dir, { 'base/app.yaml': yamlOf(baseObjects), 'head/app.yaml': yamlOf(headObjects) });
  return [join(dir, 'base'), join(dir, 'head')];
}

test('changedPaths: key order and YAML style ignored; arrays by index; pointers escaped', () => {
  const a = parseObjects(
    'spec:\n  containers:\n  - name: a\n    image: "x:1"\n    args: [--a, --b]\n  labels: {k: v, "a/b": c}\n',
  ).objects[0];
  const b = parseObjects(
    '{"spec": {"labels": {"a/b": "c", "k": "v"}, "containers": [{"image": "x:1", "args": ["--a", "--b"], "name": "a"}]}}',
  ).objects[0];
  assert.deepEqual(changedPaths(a, b), []);
  const c = structuredClone(b);
  c.spec.containers[0].image = 'x:2';
  c.spec.labels['a/b'] = 'd';
  c.spec.containers.push({ name: 'b' });
  delete c.spec.labels.k;
  c.spec['t~x'] = 1;
  assert.deepEqual(changedPaths(a, c, '/root'), [
    { path: '/root/spec/containers/0/image', change: 'modified' },
    { path: '/root/spec/containers/1', change: 'added' },
    { path: '/root/spec/labels/a~1b', change: 'modified' },
    { path: '/root/spec/labels/k', change: 'removed' },
    { path: '/root/spec/t~0x', change: 'added' },
  ]);
  assert.deepEqual(changedPaths(1, '1'), [{ path: '', change: 'modified' }]);
});

test('the pr-check example: start (image + config), initialize (new Canary), and an opted-out config said loudly', async () => {
  const { code, report, stderr } = await diffJson([join(PR, 'base'), join(PR, 'head')]);
  assert.equal(code, 0, stderr);
  const c = byName(report);
  assert.equal(c.frontend.decision, 'start');
  assert.deepEqual(c.frontend.templateChanges, [
    { path: '/spec/template/spec/containers/0/image', change: 'modified' },
  ]);
  assert.deepEqual(
    c.frontend.configChanges.map((x) => [x.ref, x.change]),
    [['configmap/frontend-config', 'modified']],
  );
  assert.match(c.frontend.configChanges[0].before, /^[0-9a-f]{16}$/);
  assert.notEqual(c.frontend.configChanges[0].before, c.frontend.configChanges[0].after);
  assert.deepEqual(
    c.frontend.reasons.map((r) => r.code),
    ['spec-changed', 'configs-changed'],
  );
  assert.equal(c.worker.decision, 'initialize');
  assert.equal(c.worker.status, 'added');
  assert.equal(c.checkout.decision, 'none');
  assert.deepEqual(
    c.checkout.unanalysed.map((u) => [u.ref, u.reason, u.change, u.keys]),
    [['configmap/checkout-flags', 'opt-out', 'modified', ['new-payment-flow']]],
  );
  assert.deepEqual(
    c.checkout.notes.map((n) => n.code),
    ['analysis-changed'],
  );
  assert.deepEqual(
    c.checkout.notPreviewed.map((n) => `${n.kind}/${n.name}`),
    [
      'Service/checkout',
      'Service/checkout-primary',
      'Service/checkout-canary',
      'HorizontalPodAutoscaler/checkout-primary',
      'VirtualService/checkout',
      'DestinationRule/checkout-primary',
      'DestinationRule/checkout-canary',
    ],
  );
  assert.deepEqual(report.summary, { none: 1, start: 1, initialize: 1 });
  const rc = await runCli(['diff', join(PR, 'base'), join(PR, 'head'), '--exit-code']);
  assert.equal(rc.code, 3);
  assert.match(rc.stdout, /^BASE .*base → HEAD .*head\n3 Canaries: 1 start, 1 initialize, 1 none\n/);
  assert.match(rc.stdout, /!! shop\/checkout: configmap\/checkout-flags modified \(opted out/);
});

test('a git repository, two commits: diff REV REV [--] PATH, read without touching the work tree', async (t) => {
  const dir = tempDir(t);
  const files = (side) =>
    Object.fromEntries(
      ['frontend.yaml', 'checkout.yaml', 'worker.yaml']
        .map((f) => [
          `deploy/${f}`,
          (() => {
            try {
              return readFileSync(join(PR, side, f), 'utf8');
            } catch {
              return null;
            }
          })(),
        ])
        .filter(([, v]) => v !== null),
    );
  makeRepo(dir, [
    { ...files('base'), 'README.md': 'not a manifest\n', '.github/ci.yml': 'on: [push]\n' },
    files('head'),
  ]);
  const status = git(dir, 'status', '--porcelain');
  const headBefore = git(dir, 'rev-parse', 'HEAD');
  for (const args of [
    ['HEAD~1', 'HEAD', '--', 'deploy'],
    ['HEAD~1', 'HEAD', 'deploy/'],
    ['main~1', 'main'],
  ]) {
    const { code, report, stderr } = await diffJson(args, { cwd: dir });
    assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
    assert.deepEqual(
      Object.fromEntries(report.canaries.map((c) => [c.canary.name, c.decision])),
      { frontend: 'start', checkout: 'none', worker: 'initialize' },
      args.join(' '),
    );
    assert.match(report.base.source, /^(HEAD~1|main~1):/);
  }
  // From a subdirectory, paths are relative to it, as for git.
  const sub = await diffJson(['HEAD~1', 'HEAD', '.'], { cwd: join(dir, 'deploy') });
  assert.equal(sub.code, 0, sub.stderr);
  assert.equal(sub.report.canaries.length, 3);
  assert.equal(git(dir, 'status', '--porcelain'), status);
  assert.equal(git(dir, 'rev-parse', 'HEAD'), headBefore);
  const bad = await runCli(['diff', 'no-such-rev', 'HEAD'], { cwd: dir });
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /^canary-tracker: no-such-rev: neither a file, a directory, - \(stdin\), nor a git revision of the current repository\n$/,
  );
});

test('--git-base REF: REF against the work tree as git sees it (.gitignore honoured); a plan that newly fails exits 2', async (t) => {
  const dir = tempDir(t);
  makeRepo(dir, [{ 'deploy/app.yaml': yamlOf(app()), '.gitignore': 'node_modules/\n' }]);
  writeTree(dir, { 'deploy/node_modules/junk.yaml': 'not: [valid\n', 'deploy/new.yaml': yamlOf(app({ name: 'api' })) });
  // Uncommitted: the mandatory ConfigMap removed (Flagger halts the Canary).
  writeFileSync(join(dir, 'deploy/app.yaml'), yamlOf(app({ skip: ['web-config'] })));
  const r = await diffJson(['--git-base', 'main', 'deploy'], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  const c = byName(r.report);
  assert.equal(c.web.decision, 'halted');
  assert.deepEqual(
    c.web.alerts.map((a) => a.code),
    ['plan-fails'],
  );
  assert.equal(c.web.error.code, 'config-not-found');
  assert.equal(c.api.decision, 'initialize');
  assert.match(r.stderr, /^canary-tracker: Canary shop\/web: HEAD: config-not-found: .*\[configmap\/web-config\]\n$/);
  assert.equal(r.report.head.source, 'work tree:deploy');
  // Default path: the whole tree below the current directory.
  const all = await diffJson(['--git-base', 'HEAD'], { cwd: dir });
  assert.equal(all.code, 2, all.stderr);
});

test('loud: untracked Secret type, tracking disabled and binaryData changes reach the primary with no analysis', async (t) => {
  const creds = (v) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds', namespace: 'shop' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(v).toString('base64') },
  });
  const bin = (v) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'blob', namespace: 'shop' },
    data: { a: 'same' },
    binaryData: { 'b.bin': Buffer.from(v).toString('base64') },
  });
  const vols = [
    { name: 'creds', kind: 'secret' },
    { name: 'blob', kind: 'configMap' },
  ];
  const [b, h] = sides(
    t,
    app({ volumes: vols, extra: [creds('{"auths":{"SECRET-ONE":{}}}'), bin('one')] }),
    app({ volumes: vols, extra: [creds('{"auths":{"SECRET-TWO":{}}}'), bin('two')] }),
  );
  const { code, report, stdout } = await diffJson([b, h, '--exit-code']);
  assert.equal(code, 0);
  const web = byName(report).web;
  assert.equal(web.decision, 'none');
  assert.deepEqual(
    web.unanalysed.map((u) => [u.ref, u.reason, u.keys]),
    [
      ['secret/creds', 'secret-type', ['.dockerconfigjson']],
      ['configmap/blob', 'binary-data', ['binaryData/b.bin']],
    ],
  );
  assert.ok(
    !stdout.includes('SECRET-') && !stdout.includes(Buffer.from('{"auths":{"SECRET-TWO":{}}}').toString('base64')),
  );
  const text = await runCli(['diff', b, h]);
  assert.match(
    text.stdout,
    /!! shop\/web: secret\/creds modified \(a Secret type Flagger does not track\): the workload reads it directly, so the primary's pods get it with no analysis\n/,
  );
  assert.match(text.stdout, /!! shop\/web: configmap\/blob: binaryData changed .*the -primary copy never gets it\n/);

  const [b2, h2] = sides(t, app(), app({ config: { MODE: 'b' } }));
  const tracked = await diffJson([b2, h2, '--exit-code']);
  assert.equal(tracked.code, 3);
  const off = await diffJson([b2, h2, '--disable-config-tracking', '--exit-code']);
  assert.equal(off.code, 0);
  assert.equal(byName(off.report).web.decision, 'none');
  assert.deepEqual(
    byName(off.report).web.unanalysed.map((u) => [u.ref, u.reason]),
    [['configmap/web-config', 'tracking-disabled']],
  );
});

test('Canary added, removed (with and without revertOnDeletion), retargeted; analysis settings alone start nothing', async (t) => {
  const [b, h] = sides(
    t,
    [...app({ name: 'a' }), ...app({ name: 'gone' }), ...app({ name: 'kept', canary: { revertOnDeletion: true } })],
    [
      ...app({ name: 'a', canary: { analysis: { interval: '2m', threshold: 5, iterations: 10 } } }),
      ...app({ name: 'new' }),
    ],
  );
  const { code, report } = await diffJson([b, h, '--exit-code']);
  assert.equal(code, 0);
  const c = byName(report);
  assert.equal(c.a.decision, 'none');
  assert.deepEqual(
    c.a.notes.map((n) => [n.code, n.paths]),
    [['analysis-changed', ['/spec/analysis/interval']]],
  );
  assert.equal(c.new.decision, 'initialize');
  assert.equal(c.gone.decision, 'removed');
  assert.match(
    c.gone.alerts[0].message,
    /deleted with it, while the target stays as Flagger left it \(scaled to zero\)/,
  );
  assert.match(c.kept.alerts[0].message, /revertOnDeletion is set, so Flagger restores the target/);

  const other = app({ name: 'b' }).filter((o) => o.kind !== 'Canary');
  const retarget = app({ name: 'a', canary: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'b' } } });
  const [b2, h2] = sides(t, [...app({ name: 'a' }), ...other], [...retarget, ...other]);
  const r = await diffJson([b2, h2]);
  assert.deepEqual(
    byName(r.report).a.alerts.map((x) => [x.code, x.from.name, x.to.name]),
    [['retargeted', 'a', 'b']],
  );
});

test('decisions: a restyled file starts nothing; skipAnalysis promotes without analysis; suspend; --exit-code 3 iff a rollout starts', async (t) => {
  const dir = tempDir(t);
  const objs = app();
  writeTree(dir, {
    'base/app.yaml': yamlOf(objs),
    // The same objects as JSON, keys reversed.
    'same/app.json': JSON.stringify(
      objs.map(function rev(v) {
        if (Array.isArray(v)) return v.map(rev);
        if (v && typeof v === 'object')
          return Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, rev(x)]),
          );
        return v;
      }),
    ),
    'skip/app.yaml': yamlOf(app({ image: 'registry.example.com/web:1.0.1', canary: { skipAnalysis: true } })),
    'suspend/app.yaml': yamlOf(app({ image: 'registry.example.com/web:1.0.1', canary: { suspend: true } })),
  });
  const same = await diffJson([join(dir, 'base'), join(dir, 'same'), '--exit-code']);
  assert.equal(same.code, 0, same.stderr);
  assert.equal(same.report.canaries[0].status, 'unchanged');
  assert.equal(same.report.canaries[0].decision, 'none');
  const skip = await diffJson([join(dir, 'base'), join(dir, 'skip'), '--exit-code']);
  assert.equal(skip.code, 3);
  assert.equal(skip.report.canaries[0].decision, 'promote-without-analysis');
  assert.ok(skip.report.canaries[0].reasons.some((r) => r.code === 'skip-analysis'));
  const suspend = await diffJson([join(dir, 'base'), join(dir, 'suspend'), '--exit-code']);
  assert.equal(suspend.code, 0);
  assert.equal(suspend.report.canaries[0].decision, 'suspended');
  // -o yaml is the same report.
  const y = await runCli(['diff', join(dir, 'base'), join(dir, 'skip'), '-o', 'yaml']);
  assert.deepEqual(parse(y.stdout), skip.report);
  // stdin as one side.
  const stdin = await diffJson([join(dir, 'base'), '-'], { input: yamlOf(app({ config: { MODE: 'z' } })) });
  assert.equal(stdin.report.canaries[0].decision, 'start');
});

test('duplicate objects: a warning naming both files and lines; kustomize directories: a hint, or built with --kustomize', async (t) => {
  const dir = tempDir(t);
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'web-config', namespace: 'shop' },
    data: { MODE: 'dup' },
  };
  writeTree(dir, {
    'base/app.yaml': yamlOf(app()),
    'head/app.yaml': yamlOf(app()),
    'head/zz.yaml': `# a comment\n${yamlOf([cm])}`,
  });
  const r = await runCli(['diff', join(dir, 'base'), join(dir, 'head')]);
  assert.match(
    r.stdout,
    /! \[HEAD\] duplicate-object: ConfigMap shop\/web-config is defined twice: .*head\/app\.yaml:\d+ and .*head\/zz\.yaml:3; the later one is used/,
  );
  const plan = await runCli(['plan', join(dir, 'head'), '-o', 'json']);
  assert.match(
    plan.stderr,
    /^canary-tracker: warning: duplicate-object: ConfigMap shop\/web-config is defined twice: .*app\.yaml:\d+ and .*zz\.yaml:3/,
  );

  // A base and an overlay that bumps the image through a patch.
  const k = join(dir, 'k');
  writeTree(k, {
    'base/app.yaml': yamlOf(app()),
    'base/kustomization.yaml': 'resources:\n- app.yaml\n',
    'overlay/kustomization.yaml': 'resources:\n- ../base\nimages:\n- name: registry.example.com/web\n  newTag: 2.0.0\n',
  });
  const hint = await runCli(['plan', join(k, 'base'), '-o', 'json']);
  assert.match(
    hint.stderr,
    /warning: kustomization: .*base holds a kustomization \(.*base\): its files are read as plain manifests.*pipe `kubectl kustomize .*base` into `canary-tracker … -`, or add --kustomize/,
  );
  const built = await diffJson([join(k, 'base'), join(k, 'overlay'), '--kustomize']);
  assert.equal(built.code, 0, built.stderr);
  assert.equal(built.report.canaries[0].decision, 'start');
  assert.deepEqual(
    built.report.canaries[0].templateChanges.map((p) => p.path),
    ['/spec/template/spec/containers/0/image'],
  );

  // The same at git revisions: the overlay reaches outside its directory.
  const repo = tempDir(t);
  makeRepo(repo, [
    {
      'base/app.yaml': yamlOf(app()),
      'base/kustomization.yaml': 'resources:\n- app.yaml\n',
      'overlay/kustomization.yaml': 'resources:\n- ../base\n',
    },
    {
      'overlay/kustomization.yaml':
        'resources:\n- ../base\nimages:\n- name: registry.example.com/web\n  newTag: 2.0.0\n',
    },
  ]);
  const g = await diffJson(['HEAD~1', 'HEAD', '--kustomize', '--', 'overlay'], { cwd: repo });
  assert.equal(g.code, 0, g.stderr);
  assert.equal(g.report.canaries[0].decision, 'start');
  assert.match(g.report.base.source, /^HEAD~1:overlay$/);
});

/** Markdown tokens of a table: cell counts per row. */
function tableShapes(tokens) {
  const tables = [];
  let cur;
  let cells = 0;
  for (const tk of tokens) {
    if (tk.type === 'table_open') tables.push((cur = []));
    if (tk.type === 'tr_open') cells = 0;
    if (tk.type === 'th_open' || tk.type === 'td_open') cells += 1;
    if (tk.type === 'tr_close') cur.push(cells);
  }
  return tables;
}

test('-o markdown: a PR comment that a Markdown library renders to well-formed tables, with every input string as text', async (t) => {
  const md = new MarkdownIt({ html: true });
  const r = await runCli(['diff', 'examples/pr-check/base', 'examples/pr-check/head', '-o', 'markdown']);
  assert.equal(r.code, 0, r.stderr);
  const tokens = md.parse(r.stdout, {});
  const shapes = tableShapes(tokens);
  assert.ok(shapes.length >= 3);
  for (const rows of shapes)
    assert.ok(
      rows.every((n) => n === rows[0]),
      JSON.stringify(shapes),
    );
  assert.deepEqual(shapes[0], [3, 3, 3, 3]);
  const html = md.render(r.stdout);
  assert.match(html, /<td><code>shop\/frontend<\/code><\/td>\s*<td><strong>start<\/strong><\/td>/);
  assert.match(html, /<details>\s*<summary><code>shop\/checkout<\/code>: none<\/summary>/);
  assert.equal(
    r.stdout,
    readFileSync(join(PR, 'comment.md'), 'utf8'),
    'examples/pr-check/comment.md is stale: run examples/pr-check/generate.sh',
  );

  // Hostile names: markup, pipes, backticks, HTML, newlines and ANSI.
  const evil = 'x|y`<img src=x onerror=alert(1)>*b*\n\u001b[31m@here';
  const dir = tempDir(t);
  const objs = (tag) =>
    app({ name: 'web', image: `registry.example.com/web:${tag}`, extra: [], config: { MODE: tag } }).map((o) =>
      o.kind === 'Canary' ? { ...o, metadata: { ...o.metadata, name: evil } } : o,
    );
  writeTree(dir, { 'b/app.yaml': yamlOf(objs('1')), 'h/app.yaml': yamlOf(objs('2')) });
  const e = await runCli(['diff', join(dir, 'b'), join(dir, 'h'), '-o', 'markdown']);
  assert.equal(e.code, 0, e.stderr);
  assert.ok(!/[\u0000-\u0009\u000b-\u001f]/.test(e.stdout), 'no control character but newline');
  const eh = md.render(e.stdout);
  assert.ok(!eh.includes('<img'), eh);
  assert.ok(!eh.includes('<em>b</em>'));
  for (const rows of tableShapes(md.parse(e.stdout, {}))) assert.ok(rows.every((n) => n === rows[0]));
  // The name survives as text: the rendered code cell holds it, escapes shown.
  assert.ok(eh.includes('<code>shop/x|y`&lt;img src=x onerror=alert(1)&gt;*b*\\n\\x1b[31m@here</code>'), eh);
  assert.ok(
    eh.includes(
      '<summary><code>shop/x|y`&lt;img src=x onerror=alert(1)&gt;*b*\\n\\x1b[31m@here</code>: start</summary>',
    ),
    eh,
  );
});

test('usage: diff needs two sides; one stdin; paths after revisions only', async () => {
  for (const [args, re] of [
    [['diff', join(PR, 'base')], /diff needs BASE and HEAD/],
    [['diff', '-', '-'], /only one side can be -/],
    [['diff', join(PR, 'base'), join(PR, 'head'), 'x'], /paths after the revisions apply to git revisions only/],
    [['diff', '--git-base', 'no-such-rev-anywhere'], /--git-base: "no-such-rev-anywhere" is not a git revision/],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

test("the example CI workflow: its diff command, run in a pull request's checkout, writes the comment", async (t) => {
  const workflow = parse(readFileSync(join(PR, '.github', 'workflows', 'canary-pr-check.yml'), 'utf8'));
  const step = workflow.jobs['canary-check'].steps.find((s) => s.id === 'check');
  const line = step.run.split('\n').find((l) => l.includes('canary-tracker'));
  // `npx --yes canary-tracker@VERSION ARGS... > comment.md`, BASE_REF from the env.
  const args = line
    .slice(line.indexOf('canary-tracker'))
    .split('>')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((a) =>
      a.replace(/^"(.*)"$/, '$1').replace('$BASE_REF', step.env.BASE_REF === '${{ github.base_ref }}' ? 'main' : '?'),
    );
  assert.deepEqual(args, ['diff', '--git-base', 'origin/main', 'deploy/', '-o', 'markdown', '--exit-code']);
  // The pull request: base on main (fetched as origin/main), head checked out.
  const dir = tempDir(t);
  const tree = (side) =>
    Object.fromEntries(
      ['frontend.yaml', 'checkout.yaml', 'worker.yaml'].flatMap((f) => {
        try {
          return [[`deploy/${f}`, readFileSync(join(PR, side, f), 'utf8')]];
        } catch {
          return [];
        }
      }),
    );
  makeRepo(dir, [tree('base')]);
  git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'pr');
  writeTree(dir, tree('head'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'bump');
  const r = await runCli(args, { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(
    r.stdout,
    /^### canary-tracker: 1 Canary starts a rollout\n\n`origin\/main:deploy\/` → `work tree:deploy\/`: 1 start, 1 initialize, 1 none\n/,
  );
});

test("a server default written out is no change for Flagger: the core's spec hash decides, the field is noted", async (t) => {
  const explicit = app();
  const c = explicit.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
  c.imagePullPolicy = 'IfNotPresent'; // the API server's default for a tagged image
  c.terminationMessagePath = '/dev/termination-log';
  const [b, h] = sides(t, app(), explicit);
  const { code, report } = await diffJson([b, h, '--exit-code']);
  assert.equal(code, 0);
  const web = report.canaries[0];
  assert.equal(web.decision, 'none');
  assert.equal(web.basis, 'core');
  assert.deepEqual(
    web.templateChanges.map((p) => p.path),
    ['/spec/template/spec/containers/0/imagePullPolicy', '/spec/template/spec/containers/0/terminationMessagePath'],
  );
  assert.deepEqual(
    web.notes.map((n) => n.code),
    ['spec-equivalent'],
  );
});

test("without the core's analysis (an older core), the manifests are compared: a changed field decides start", async () => {
  const core = await import('../src/wasm-node.js');
  // The same core with `analysis` taken out of every plan.
  const plan = (request) => {
    const r = JSON.parse(core.planJson(JSON.stringify(request)));
    for (const p of r.plans) delete p.analysis;
    return r;
  };
  const run = (base, head) => comparePlans({ base: { objects: base }, head: { objects: head }, plan }).canaries[0];
  const bumped = run(app(), app({ image: 'registry.example.com/web:1.0.1' }));
  assert.equal(bumped.decision, 'start');
  assert.equal(bumped.basis, 'manifest-comparison');
  assert.deepEqual(
    bumped.reasons.map((r) => r.code),
    ['spec-changed'],
  );
  const same = run(app(), structuredClone(app()));
  assert.equal(same.decision, 'none');
  assert.equal(same.status, 'unchanged');
  const config = run(app(), app({ config: { MODE: 'b' } }));
  assert.equal(config.decision, 'start');
  assert.deepEqual(
    config.reasons.map((r) => r.code),
    ['configs-changed'],
  );
  assert.equal(run(app(), app({ image: 'x:2', canary: { skipAnalysis: true } })).decision, 'promote-without-analysis');
  const text = diffTextReport({
    base: { source: 'a' },
    head: { source: 'b' },
    summary: { start: 1 },
    canaries: [bumped],
    warnings: [],
  });
  assert.match(text, /pod template compared as written \(this core does not hash it yet\)/);
});

test('plan -o markdown: a summary table and a section per Canary, well-formed, no Secret value', async () => {
  const md = new MarkdownIt({ html: true });
  const r = await runCli(['plan', join(EXAMPLES, 'podinfo'), join(PR, 'head'), '-o', 'markdown', '--show-secrets']);
  assert.equal(r.code, 0, r.stderr);
  const shapes = tableShapes(md.parse(r.stdout, {}));
  assert.deepEqual(shapes[0], [3, 3, 3, 3, 3]); // header + 4 Canaries
  for (const rows of shapes) assert.ok(rows.every((n) => n === rows[0]));
  const html = md.render(r.stdout);
  assert.match(html, /<td><code>test\/podinfo<\/code><\/td>\s*<td><strong>start<\/strong><\/td>/);
  assert.match(html, /<td><code>shop\/worker<\/code><\/td>\s*<td>initialize<\/td>/);
  assert.match(html, /<summary><code>test\/podinfo<\/code>: start<\/summary>/);
  // Markdown holds checksums and key names, never values, even with --show-secrets.
  for (const v of ['example-key-v1', 'cG9kaW5mbw==', 'redis://cache.test.svc:6379/0'])
    assert.ok(!r.stdout.includes(v), v);
});
