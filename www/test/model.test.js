// The page's pure rules (src/model.js) and caps (src/limits.js), in Node:
// decisions and the whole verdict, filtering and facet counts, paths of
// per-namespace plans, the upload cap, and the capped fetch against real
// HTTP servers that never answer, trickle, or send an endless body.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { plan as corePlan } from 'canary-tracker';
import { boundedFetch, checkUpload, LIMITS } from '../src/limits.js';
import {
  byNamespace,
  configRows,
  facetCounts,
  filterItems,
  globalPath,
  globalPlanPaths,
  summary,
  terms,
  verdict,
} from '../src/model.js';

const plan = (over = {}) => ({
  canary: { namespace: 'ns', name: 'web' },
  target: { kind: 'Deployment', namespace: 'ns', name: 'web-app' },
  configsChanged: false,
  configChanges: [],
  trackedConfigs: {},
  untrackedConfigs: [],
  warnings: [],
  ...over,
});
const query = (text = '', decisions = [], namespaces = []) => ({
  terms: terms(text),
  decisions: new Set(decisions),
  namespaces: new Set(namespaces),
});

/** What the package's planDecision returns (canary-tracker/decision). */
const decided = (decision, basis = 'core', message = `m-${decision}`) => ({ decision, basis, message });

describe('decision and verdict', () => {
  test("the package's decision and line; an error makes it failed", () => {
    assert.equal(verdict(plan(), decided('none')).decision, 'none');
    assert.equal(verdict(plan(), decided('none')).text, 'm-none');
    const failed = verdict(
      plan({ error: { code: 'target-not-found', message: 'x' } }),
      decided('halted', 'configs-only'),
    );
    assert.deepEqual(
      [failed.decision, failed.cls, failed.text],
      ['failed', 'failed', 'Flagger would fail on this Canary'],
    );
    // Without analysis: the basis says so, and a config change is the reason.
    const v = verdict(
      plan({
        configsChanged: true,
        configChanges: [
          { ref: 'configmap/a', change: 'modified' },
          { ref: 'secret/b', change: 'added' },
        ],
      }),
      decided('start', 'configs-only'),
    );
    assert.equal(v.basis, 'configs-only');
    assert.deepEqual(v.reasons, [
      {
        code: 'configs-changed',
        message: "Tracked configs differ from the Canary's status: configmap/a, secret/b",
        refs: ['configmap/a', 'secret/b'],
      },
    ]);
    assert.equal(v.specHash, null);
  });

  test("with the core's analysis: its reasons and spec hashes", () => {
    const p = plan({
      configsChanged: false,
      analysis: {
        decision: 'start',
        phase: 'Succeeded',
        message: 'the pod spec changed',
        reasons: [
          { code: 'spec-changed', message: 'spec hash 1 → 2' },
          { code: 'configs-changed', refs: ['configmap/a'], message: 'm' },
        ],
        specHash: {
          current: 'aaa',
          lastApplied: 'bbb',
          lastPromoted: 'bbb',
          exact: true,
          form: 'server',
          layout: 'api-v0.36',
          unsupported: null,
        },
      },
    });
    const v = verdict(p, decided('start', 'core', 'the pod spec changed'));
    assert.equal(v.cls, 'changed');
    assert.equal(v.text, 'the pod spec changed');
    assert.equal(v.message, null);
    assert.equal(v.phase, 'Succeeded');
    assert.deepEqual(
      v.reasons.map((r) => r.code),
      ['spec-changed', 'configs-changed'],
    );
    assert.deepEqual(v.reasons[1].refs, ['configmap/a']);
    assert.deepEqual(v.specHash, {
      current: 'aaa',
      lastApplied: 'bbb',
      lastPromoted: 'bbb',
      same: false,
      exact: true,
      form: 'server',
      unsupported: null,
    });
    const same = verdict(
      plan({ analysis: { decision: 'none', reasons: [], specHash: { current: 'aaa', lastApplied: 'aaa' } } }),
      decided('none'),
    );
    assert.equal(same.specHash.same, true);
    const first = verdict(
      plan({
        analysis: {
          decision: 'initialize',
          reasons: [{ code: 'first-run', message: 'no status' }],
          specHash: { current: null, lastApplied: null, unsupported: 'why' },
        },
      }),
      decided('initialize'),
    );
    assert.equal(first.cls, 'init');
    assert.equal(first.specHash.same, null);
    assert.equal(first.specHash.unsupported, 'why');
    // An error wins: Flagger stops before any decision; the core's line goes under "would fail".
    const failed = verdict(
      plan({
        error: { code: 'x', message: 'y' },
        analysis: { decision: 'none', message: 'Flagger halts on x', reasons: [{ code: 'halted', message: 'm' }] },
      }),
      decided('none'),
    );
    assert.deepEqual(
      [failed.decision, failed.text, failed.message, failed.reasons[0].code],
      ['failed', 'Flagger would fail on this Canary', 'Flagger halts on x', 'halted'],
    );
  });

  test('an upgrade is part of the verdict', () => {
    const v = verdict(
      plan({ upgrade: { from: '1.40.0', to: '1.44.0', startsAnalysis: true, message: 'fields added' } }),
      decided('none'),
    );
    assert.deepEqual(v.upgrade, { from: '1.40.0', to: '1.44.0', startsAnalysis: true, message: 'fields added' });
  });
});

describe('filter and facets', () => {
  const items = [
    summary(
      plan({ canary: { namespace: 'shop', name: 'cart' }, target: { kind: 'Deployment', name: 'cart-api' } }),
      'shop/cart',
      decided('start'),
    ),
    summary(
      plan({ canary: { namespace: 'shop', name: 'search' }, target: { kind: 'DaemonSet', name: 'indexer' } }),
      'shop/search',
      decided('none'),
    ),
    summary(
      plan({ canary: { namespace: 'blog', name: 'web' }, error: { code: 'target-not-found', message: 'm' } }),
      'blog/web',
      decided('none'),
    ),
    summary(
      plan({ canary: { namespace: 'blog', name: 'cart-widget' }, target: { kind: 'Service', name: 'w' } }),
      'blog/cart-widget',
      decided('none'),
    ),
  ];
  const keys = (xs) => xs.map((i) => i.key);

  test('text terms match namespace, name and target, all terms must match', () => {
    assert.deepEqual(keys(filterItems(items, query('cart'))), ['shop/cart', 'blog/cart-widget']);
    assert.deepEqual(keys(filterItems(items, query('INDEXER'))), ['shop/search']);
    assert.deepEqual(keys(filterItems(items, query('daemonset/'))), ['shop/search']);
    assert.deepEqual(keys(filterItems(items, query('blog cart'))), ['blog/cart-widget']);
    assert.deepEqual(keys(filterItems(items, query('shop/'))), ['shop/cart', 'shop/search']);
    assert.deepEqual(keys(filterItems(items, query('  '))), keys(items));
    assert.deepEqual(keys(filterItems(items, query('nothing-like-this'))), []);
  });

  test('facets filter, and each facet counts under the text and the other facet', () => {
    assert.deepEqual(keys(filterItems(items, query('', ['failed']))), ['blog/web']);
    assert.deepEqual(keys(filterItems(items, query('', ['none', 'failed'], ['blog']))), [
      'blog/web',
      'blog/cart-widget',
    ]);
    const all = facetCounts(items, query());
    assert.deepEqual(
      all.decisions,
      [
        ['start', 1],
        ['none', 2],
        ['failed', 1],
      ],
      'in the order of DECISIONS',
    );
    assert.deepEqual(all.namespaces, [
      ['blog', 2],
      ['shop', 2],
    ]);
    const inBlog = facetCounts(items, query('', [], ['blog']));
    assert.deepEqual(inBlog.decisions, [
      ['none', 1],
      ['failed', 1],
    ]);
    assert.deepEqual(
      inBlog.namespaces,
      [
        ['blog', 2],
        ['shop', 2],
      ],
      'the namespace facet ignores its own selection',
    );
    const cart = facetCounts(items, query('cart', ['failed']));
    assert.deepEqual(
      cart.decisions,
      [
        ['start', 1],
        ['none', 1],
        ['failed', 0],
      ],
      'a chosen value at zero stays, to be unchosen',
    );
    assert.deepEqual(cart.namespaces, []);
  });
});

describe('per-namespace planning', () => {
  test('objects group by namespace in order of first appearance; no namespace is default', () => {
    const objs = [
      { metadata: { namespace: 'b' } },
      { metadata: {} },
      { metadata: { namespace: 'a' } },
      { metadata: { namespace: 'b' } },
      { metadata: { namespace: 7 } },
      {},
    ];
    assert.deepEqual(
      [...byNamespace(objs)],
      [
        ['b', [0, 3]],
        ['default', [1, 4, 5]],
        ['a', [2]],
      ],
    );
  });

  test('paths of a subset map back to the whole upload; user data named path is left alone', () => {
    const idx = [4, 9, 17];
    assert.equal(globalPath('/objects/2/spec/template', idx), '/objects/17/spec/template');
    assert.equal(globalPath('/objects/1', idx), '/objects/9');
    assert.equal(globalPath('/objects/12', idx), '/objects/12', 'out of range: unchanged');
    assert.equal(globalPath('/options/x', idx), '/options/x');
    assert.equal(globalPath(undefined, idx), undefined);
    const p = plan({
      error: { code: 'c', message: 'm', path: '/objects/0/spec' },
      warnings: [
        { code: 'w', message: 'm', path: '/objects/2' },
        { code: 'w', message: 'm' },
      ],
      analysis: { decision: 'none', reasons: [{ code: 'r', message: 'm', path: '/objects/1/status' }] },
      primaryWorkload: {
        spec: { template: { spec: { containers: [{ livenessProbe: { httpGet: { path: '/objects/0' } } }] } } },
      },
    });
    globalPlanPaths(p, idx);
    assert.equal(p.error.path, '/objects/4/spec');
    assert.deepEqual(
      p.warnings.map((w) => w.path),
      ['/objects/17', undefined],
    );
    assert.equal(p.analysis.reasons[0].path, '/objects/9/status');
    assert.equal(p.primaryWorkload.spec.template.spec.containers[0].livenessProbe.httpGet.path, '/objects/0');
  });

  test("config rows: the core's plan.configs (tracked, modified, removed and untracked) in the table's words", () => {
    const cm = (name, v) => ({ kind: 'ConfigMap', metadata: { name, namespace: 't' }, data: { k: v } });
    const objects = [
      {
        kind: 'Canary',
        metadata: { name: 'c', namespace: 't' },
        spec: { targetRef: { kind: 'Deployment', name: 'd' } },
        status: { trackedConfigs: { 'configmap/b': '9', 'configmap/old': '5' } },
      },
      {
        kind: 'Deployment',
        metadata: { name: 'd', namespace: 't' },
        spec: {
          selector: { matchLabels: { app: 'd' } },
          template: {
            metadata: { labels: { app: 'd' } },
            spec: {
              volumes: [
                { name: 'b', configMap: { name: 'b' } },
                { name: 'p', secret: { secretName: 'pull' } },
              ],
              containers: [{ name: 'x' }],
            },
          },
        },
      },
      cm('b', '2'),
      { kind: 'Secret', type: 'kubernetes.io/dockerconfigjson', metadata: { name: 'pull', namespace: 't' }, data: {} },
    ];
    const rows = configRows(corePlan({ objects }).plans[0]);
    assert.deepEqual(
      rows.map((r) => [r.ref, r.state, r.status, r.reason]),
      [
        ['configmap/b', 'modified', '9', undefined],
        ['configmap/old', 'removed', '5', undefined],
        ['secret/pull', 'not tracked', null, 'secret-type'],
      ],
    );
    assert.match(rows[0].why, /differs/);
  });
});

describe('caps', () => {
  test('uploads over the cap are refused before reading, in order', () => {
    const MB = 1024 * 1024;
    const v = checkUpload([
      { name: 'a', size: 40 * MB },
      { name: 'b', size: 30 * MB },
      { name: 'c', size: 10 * MB },
      { name: 'd', size: 100 * MB },
    ]);
    assert.deepEqual(
      v.map((x) => x.ok),
      [true, false, true, false],
    );
    assert.match(v[1].message, /would take the files over the dashboard's 64 MiB limit/);
    assert.match(v[3].message, /105 MB is over the dashboard's 64 MiB limit.*CLI/);
    assert.equal(v[3].code, 'upload-too-large');
    assert.deepEqual(
      checkUpload([{ name: 'a', size: 10 }], LIMITS.uploadBytes - 5).map((x) => x.ok),
      [false],
    );
  });

  /** An HTTP server on 127.0.0.1 whose handler is `handle(req, res)`. */
  async function server(handle) {
    const sockets = new Set();
    const s = createServer(handle);
    s.on('connection', (c) => sockets.add(c));
    await new Promise((r) => s.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${s.address().port}/api/v1/things`,
      close: () => {
        for (const c of sockets) c.destroy();
        return new Promise((r) => s.close(r));
      },
    };
  }

  test('an endless body stops at the response cap with response-too-large', async () => {
    const srv = await server((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"kind":"CanaryList","items":[');
      const chunk = `${JSON.stringify({ metadata: { name: 'x'.repeat(1000) } })},`.repeat(64);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    try {
      const f = boundedFetch({ limits: { responseBytes: 2 * 1024 * 1024 } });
      const res = await f.fetch(srv.url);
      const t0 = Date.now();
      await assert.rejects(
        res.text(),
        (e) =>
          e.code === 'response-too-large' &&
          /passed 2 MiB; stopped reading it/.test(e.message) &&
          e.message.includes('/api/v1/things'),
      );
      assert.ok(Date.now() - t0 < 30000);
      assert.ok(f.session.read <= 2 * 1024 * 1024 + 256 * 1024, `read ${f.session.read} bytes`);
      assert.equal(f.incident.code, 'response-too-large');
    } finally {
      await srv.close();
    }
  });

  test('the session cap counts every response', async () => {
    const body = 'x'.repeat(600 * 1024);
    const srv = await server((req, res) => res.end(body));
    try {
      const session = { read: 0 };
      const f = boundedFetch({ session, limits: { sessionBytes: 1024 * 1024 } });
      assert.equal((await (await f.fetch(srv.url)).text()).length, body.length);
      await assert.rejects(
        (await f.fetch(srv.url)).text(),
        (e) => e.code === 'response-too-large' && /1 MiB read from the cluster in this session/.test(e.message),
      );
    } finally {
      await srv.close();
    }
  });

  test('no headers, a stalled body and a slow whole answer each end in cluster-timeout', async () => {
    const srv = await server((req, res) => {
      if (req.url.endsWith('silent')) return; // never answers
      res.writeHead(200);
      res.write('{');
      if (req.url.endsWith('stall')) return; // headers, one byte, then nothing
      const t = setInterval(() => res.write(' '), 20); // a byte every 20 ms, forever
      res.on('close', () => clearInterval(t));
    });
    try {
      const limits = { headersMs: 300, idleMs: 300, totalMs: 900 };
      let f = boundedFetch({ limits });
      await assert.rejects(
        f.fetch(`${srv.url}/silent`),
        (e) => e.code === 'cluster-timeout' && /no response within 0.3 s/.test(e.message),
      );
      f = boundedFetch({ limits });
      await assert.rejects(
        (await f.fetch(`${srv.url}/stall`)).text(),
        (e) => e.code === 'cluster-timeout' && /stalled/.test(e.message),
      );
      f = boundedFetch({ limits });
      await assert.rejects(
        (await f.fetch(`${srv.url}/trickle`)).text(),
        (e) => e.code === 'cluster-timeout' && /no complete answer within/.test(e.message),
      );
    } finally {
      await srv.close();
    }
  });

  test('a redirect is refused, and a cancelled session stops its requests', async () => {
    const srv = await server((req, res) => {
      if (req.url.endsWith('moved')) return res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
      res.writeHead(200);
      res.write('{');
    });
    try {
      await assert.rejects(boundedFetch().fetch(`${srv.url}/moved`), TypeError);
      const ctrl = new AbortController();
      const f = boundedFetch({ signal: ctrl.signal });
      const res = await f.fetch(`${srv.url}/open`);
      setTimeout(() => ctrl.abort(), 50);
      await assert.rejects(res.text());
      assert.equal(f.incident, null, 'a cancel is not an incident');
    } finally {
      await srv.close();
    }
  });
});

describe('origins', () => {
  test('the page reaches its own origin and local http proxies only', async () => {
    const { allowedOrigin } = await import('../src/limits.js');
    const own = 'https://dash.example';
    const ok = (u) => allowedOrigin(new URL(u), own);
    assert.ok(ok('https://dash.example/api') && ok('http://127.0.0.1:8001') && ok('http://localhost:9'));
    assert.ok(
      !ok('https://127.0.0.1:8001') &&
        !ok('http://127.0.0.2:8001') &&
        !ok('http://cluster.example:8001') &&
        !ok('http://localhost.evil.example'),
    );
  });
});
