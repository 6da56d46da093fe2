// The package API: the node entry (by package name, as a user imports it),
// the browser entry (initialised with the module's bytes), and the
// browser-safe helpers.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ct from 'canary-tracker';
import { FIXTURES, JS_DIR, summarise } from '../testlib/helpers.js';

const fixture = (name) => ct.parseObjects(readFileSync(join(FIXTURES, name, 'objects.yaml'), 'utf8')).objects;
const expected = (name) => JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8'));

test('node entry: plan() on parsed objects gives the fixture result', async () => {
  await ct.init();
  const response = ct.plan({ objects: fixture('daemonset') });
  assert.deepEqual(response.plans.map(summarise), expected('daemonset'));
  assert.match(ct.version(), /^\d+\.\d+\.\d+/);
});

test('node entry: plan() throws an Error with .code and .path on request-level errors', () => {
  assert.throws(
    () => ct.plan({ objects: fixture('daemonset'), options: { flaggerVersion: '0.19.0' } }),
    (e) => e instanceof Error && e.code === 'unsupported-flagger-version' && e.path === '/options/flaggerVersion',
  );
  assert.throws(
    () => ct.plan({ objects: 'nope' }),
    (e) => e.code === 'invalid-request',
  );
});

test('node entry: planJson returns the envelope instead of throwing', () => {
  const ok = JSON.parse(ct.planJson(JSON.stringify({ objects: fixture('service-target') })));
  assert.deepEqual(ok.plans.map(summarise), expected('service-target'));
  const bad = JSON.parse(ct.planJson('{"objects": 1}'));
  assert.equal(bad.error.code, 'invalid-request');
  assert.equal(JSON.parse(ct.planJson('not json')).error.code, 'invalid-json');
});

test('node entry: checksum() matches trackedConfigs and honours stringData', () => {
  const objects = fixture('daemonset');
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'fluent-bit');
  assert.equal(ct.checksum(cm), expected('daemonset')[0].trackedConfigs['configmap/fluent-bit']);
  const a = ct.checksum({ kind: 'Secret', metadata: { name: 's' }, data: { k: Buffer.from('v').toString('base64') } });
  const b = ct.checksum({ kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } });
  assert.equal(a, b);
  assert.throws(
    () => ct.checksum({ kind: 'Deployment', metadata: { name: 'x' } }),
    (e) => e.code === 'invalid-object',
  );
  assert.throws(
    () => ct.checksum(cm, '0.1.0'),
    (e) => e.code === 'unsupported-flagger-version',
  );
});

test('checksum(object) sends data as strings and answers as the JSON text path', async () => {
  const { AbiHost } = await import('../src/abi.js');
  const { coreApi } = await import('../src/api.js');
  // The speed build has checksum_strings (the size build leaves it out: api.js then sends JSON text).
  const host = AbiHost.load(readFileSync(join(JS_DIR, 'pkg/abi/canary_tracker.speed.wasm')));
  assert.equal(typeof host.exports.checksum_strings, 'function', 'the module exports checksum_strings');
  const api = coreApi(() => host);
  let calls = 0;
  const callStrings = host.callStrings.bind(host);
  host.callStrings = (...args) => {
    calls++;
    return callStrings(...args);
  };
  // The reference: the whole object as JSON text, through the `call` export.
  const reference = (object, version) =>
    JSON.parse(host.call('call', JSON.stringify({ fn: 'checksum', object, flaggerVersion: version ?? null })));
  const outcome = (f) => {
    try {
      return { checksum: f() };
    } catch (e) {
      return { error: { code: e.code, message: e.message, ...(e.path === undefined ? {} : { path: e.path }) } };
    }
  };
  // Deterministic strings of what needs Go's escaping, multi-byte text, U+2028/9, lone surrogates.
  let seed = 7;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pieces = [
    'a',
    'xyz ',
    '<',
    '>',
    '&',
    '"',
    '\\',
    '\n',
    '\t',
    '\u0001',
    '\u007f',
    'é',
    '—',
    '日本',
    '😀',
    '\u2028',
    '\u2029',
    '\ud800',
    '\udfff',
    '\ufffd',
    '/',
  ];
  const text = (n) => Array.from({ length: n }, () => pieces[rand(pieces.length)]).join('');
  const cm = (data, extra = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data, ...extra });
  const secret = (data, extra = {}) => ({ kind: 'Secret', metadata: { name: 's' }, data, ...extra });
  const b64 = (s) => Buffer.from(s).toString('base64');
  const cases = [
    cm({ b: 'two', a: 'one', c: null }),
    cm({}),
    cm({ '\ud800': 'lone key', '\udc00': 'another, the same key once read', '\ufffd': 'and a third' }),
    cm({ big: '日本語'.repeat(100000), small: 'x', emoji: '😀'.repeat(50000) }),
    cm({ a: 1 }),
    cm({ a: 'x' }, { binaryData: { b: 'YQ==' } }),
    cm(['a']),
    cm(new Map([['a', 'b']])),
    cm(Object.assign(Object.create(null), { a: 'null prototype' })),
    cm({ a: 'x', toJSON: () => ({ a: 'y' }) }),
    { ...cm({ a: 'x' }), toJSON: () => cm({ a: 'z' }) },
    cm({ a: 'x' }, { metadata: {} }),
    { kind: 'Deployment', metadata: { name: 'd' }, data: { a: 'b' } },
    secret({ a: b64('v'), b: null, c: `${b64('abc').slice(0, 2)}\r\n${b64('abc').slice(2)}` }),
    secret({ a: '!' }),
    secret({ a: b64('v') }, { stringData: { b: 'c' } }),
    secret({ a: b64(text(500)) }),
    ...Array.from({ length: 40 }, (_, i) =>
      cm(Object.fromEntries(Array.from({ length: rand(6) }, () => [text(rand(4)), rand(8) ? text(rand(200)) : null]))),
    ),
  ];
  for (const object of cases) {
    for (const version of [undefined, '1.36.1', '0.1.0', 44]) {
      const want = reference(object, version);
      const got = outcome(() => api.checksum(object, version));
      assert.deepEqual(got, want, `${JSON.stringify(object).slice(0, 200)} at ${version}`);
    }
  }
  assert.ok(calls >= 3 * 40, `the strings path answered ${calls} calls`);
});

test('browser entry works once init() has the wasm bytes, and refuses before', async () => {
  const web = await import('../src/browser.js');
  assert.throws(() => web.plan({ objects: [] }), /await init\(\)/);
  const bytes = readFileSync(join(JS_DIR, 'pkg/abi/canary_tracker.wasm'));
  const p = web.init(bytes);
  assert.equal(web.init(), p, 'init is idempotent');
  await p;
  const response = web.plan({ objects: fixture('projected-and-init') });
  assert.deepEqual(response.plans.map(summarise), expected('projected-and-init'));
  assert.equal(web.version(), ct.version());
  assert.equal(typeof web.textReport, 'function');
  assert.deepEqual(web.flaggerVersions(), ct.flaggerVersions());
});

test("specHash: Flagger's lastAppliedSpec of a Deployment, errors thrown", () => {
  const deployment = fixture('daemonset').find((o) => o.kind === 'DaemonSet');
  const h = ct.specHash(deployment, '1.44.0', 'manifest');
  assert.equal(h.form, 'manifest');
  assert.ok(h.current === null || /^[0-9a-f]+$/.test(h.current), JSON.stringify(h));
  assert.throws(
    () => ct.specHash({ kind: 'ConfigMap', metadata: { name: 'x' } }),
    (e) => e instanceof ct.CanaryTrackerError && e.code === 'invalid-object' && e.path === '/kind',
  );
});

test('specHash sends only what the core reads: the same answers and errors as the whole object', async () => {
  const { AbiHost } = await import('../src/abi.js');
  const { coreApi } = await import('../src/api.js');
  const host = AbiHost.load(readFileSync(join(JS_DIR, 'pkg/abi/canary_tracker.wasm')));
  const api = coreApi(() => host);
  // The whole object through the module's call, as specHash sent it before.
  const whole = (o, release, form) => {
    let req = `{"fn":"specHash","object":${JSON.stringify(o) ?? 'null'}`;
    if (release != null) req += `,"flaggerVersion":${JSON.stringify(release)}`;
    if (form != null) req += `,"specForm":${JSON.stringify(form)}`;
    return JSON.parse(host.call('call', `${req}}`));
  };
  const viaApi = (o, release, form) => {
    try {
      return api.specHash(o, release, form);
    } catch (e) {
      return { error: { code: e.code, message: e.message, ...(e.path === undefined ? {} : { path: e.path }) } };
    }
  };
  const vectors = readFileSync(join(JS_DIR, '../tests/data/vectors/spechash-inputs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const live = structuredClone(vectors[0]);
  live.metadata.managedFields = [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }];
  live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify(vectors[0]);
  class Instance {
    constructor(o) {
      Object.assign(this, o);
    }
  }
  const inherited = Object.create({ spec: vectors[0].spec });
  Object.assign(inherited, { kind: 'Deployment', metadata: { name: 'x', uid: 'u' } });
  const odd = [
    live,
    new Instance(vectors[0]),
    inherited,
    { ...vectors[0], toJSON: () => ({ kind: 'Service', metadata: { name: 's' } }) },
    { ...vectors[0], metadata: 'x' },
    { ...vectors[0], metadata: { ...vectors[0].metadata, name: 3 } },
    { ...vectors[0], metadata: { ...vectors[0].metadata, uid: undefined, resourceVersion: null } },
    { ...vectors[0], metadata: { ...vectors[0].metadata, creationTimestamp: { toJSON: () => null } } },
    { ...vectors[0], spec: [] },
    { ...vectors[0], spec: { template: { spec: { containers: 'x' } } } },
    { ...vectors[0], spec: { template: undefined, replicas: 1 } },
    { ...vectors[0], kind: 'DaemonSet' },
    { ...vectors[0], kind: 'ConfigMap' },
    { ...vectors[0], kind: undefined },
    { ...vectors[0], apiVersion: 1 },
    { kind: 'Service', metadata: { name: 's', uid: 'u' }, spec: { ports: [{ port: 80 }] }, status: {} },
    { kind: 'Deployment', metadata: { name: 'd', namespace: 'n', uid: 'u' }, spec: { template: { spec: {} } } },
    { kind: 'Deployment', metadata: { name: 'd', resourceVersion: '1' }, spec: { template: { spec: {} } } },
    null,
    [],
    'Deployment',
  ];
  let compared = 0;
  for (const o of [...vectors, ...odd])
    for (const release of [undefined, '1.0.0', '1.44.0'])
      for (const form of [undefined, 'server', 'manifest']) {
        assert.deepEqual(viaApi(o, release, form), whole(o, release, form), JSON.stringify(o)?.slice(0, 200));
        compared++;
      }
  assert.ok(compared > 600);
  // The live object's hash is the stored object's: what the projection leaves out is not hashed.
  assert.deepEqual(api.specHash(live), api.specHash(vectors[0]));
});

test('flaggerVersions and configRefs come from the core', () => {
  const v = ct.flaggerVersions();
  assert.equal(v.newest, v.releases[0]);
  assert.equal(v.oldest, v.releases.at(-1));
  assert.ok(v.releases.includes('1.30.0'));
  assert.throws(
    () => ct.configRefs({ volumes: 'x' }),
    (e) => e instanceof ct.CanaryTrackerError && e.path === '/podSpec/volumes',
  );
});

test('redact() replaces Secret data and stringData values anywhere, copies, and leaves the rest', () => {
  const input = {
    plans: [
      {
        primaryConfigs: [
          { kind: 'Secret', metadata: { name: 's' }, data: { a: 'c2Vj', b: 'cmV0' }, stringData: { c: 'plain' } },
          { kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'visible' } },
        ],
        nested: { deeper: [{ kind: 'Secret', data: 'not-a-map' }] },
      },
    ],
  };
  const before = JSON.stringify(input);
  const out = ct.redact(input);
  assert.equal(JSON.stringify(input), before, 'input unchanged');
  assert.deepEqual(out.plans[0].primaryConfigs[0].data, { a: '<redacted>', b: '<redacted>' });
  assert.deepEqual(out.plans[0].primaryConfigs[0].stringData, { c: '<redacted>' });
  assert.deepEqual(out.plans[0].primaryConfigs[1].data, { a: 'visible' });
  assert.equal(out.plans[0].nested.deeper[0].data, '<redacted>');
  assert.equal(ct.REDACTED, '<redacted>');
});

test('textReport / objectsToApply / yamlStream / errorLine on a real response', () => {
  const objects = fixture('podinfo-config-edited');
  const { objects: parsed, origins } = ct.parseObjects(
    readFileSync(join(FIXTURES, 'mandatory-missing', 'objects.yaml'), 'utf8'),
    { file: 'mm.yaml' },
  );
  const response = ct.plan({ objects });
  const text = ct.textReport(response);
  assert.match(text, /verdict: +start: a new revision: Flagger starts a canary analysis/);
  assert.equal(ct.verdictText(response.plans[0]), 'start: a new revision: Flagger starts a canary analysis');
  const { analysis: _a, ...withoutAnalysis } = response.plans[0];
  assert.equal(ct.verdictText(withoutAnalysis), 'config change: a canary analysis will start');
  const apply = ct.objectsToApply(response);
  assert.equal(apply.length, 5);
  assert.equal(ct.yamlStream(apply).split(/^---$/m).length - 1, 5);
  const failed = ct.plan({ objects: parsed });
  assert.deepEqual(ct.objectsToApply(failed), []);
  assert.match(ct.errorLine(failed.plans[0].error, origins), /^config-not-found: .*\[configmap\/proxy-conf\]$/);
  assert.equal(ct.locate('/objects/2/spec', origins), 'mm.yaml (document 3, line 27)');
});

test('reports of a huge response: lines appended one by one, never spread as arguments', async () => {
  const { planMarkdown } = await import('canary-tracker/markdown');
  // 300,000 rows: past the argument count at which `push(...rows)` overflows the stack.
  const N = 300_000;
  const [plan] = ct.plan({ objects: fixture('podinfo-config-edited') }).plans;
  const trackedConfigs = {};
  for (let i = 0; i < N; i++) trackedConfigs[`configmap/c${i}`] = 'x';
  const configs = Object.keys(trackedConfigs).map((ref) => ({ ref, current: 'x', tracked: 'x', state: 'unchanged' }));
  const big = {
    ...plan,
    trackedConfigs,
    configs,
    untrackedConfigs: Array.from({ length: N }, (_, i) => ({
      ref: `secret/s${i}`,
      reason: 'optional-missing',
      message: 'm',
    })),
  };
  const text = ct.textReport({ plans: [big] });
  assert.match(text, /configmap\/c299999 +x +/);
  assert.match(text, /secret\/s299999 +optional-missing +m\n/);
  const md = planMarkdown({
    plans: Array.from({ length: N }, (_, i) => ({ ...plan, canary: { namespace: 'n', name: `c${i}` } })),
  });
  assert.match(md, /\| `n\/c299999` \|/);
});
