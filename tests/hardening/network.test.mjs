// The cluster client (js/src/cluster.js, CLI --proxy, the dashboard's
// cluster mode) against hostile servers on 127.0.0.1 (issue 13 items 2, 6,
// 10): a server that never answers, one that trickles, one that goes idle,
// an endless body, redirects to another origin, credentials in the proxy URL,
// a Status message with control characters, a `__proto__` key in a list item.
// Each case has its expected code and, where it runs the CLI, a bound on wall
// time and peak RSS 10× the figure measured when it was written.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { ClusterError, fetchObjects, oneLine, parseDuration, redactUrl, restClient } from '../../js/src/cluster.js';
import { CLI, assertBounds, measuredAsync } from './common.mjs';

const CANARIES = '/apis/flagger.app/v1beta1/namespaces/test/canaries';
const servers = [];
const seen = [];

/** A server on 127.0.0.1 whose handler gets (req, res); returns its base URL. */
async function serve(handler) {
  const s = createServer((req, res) => {
    seen.push({ port: s.address().port, url: req.url, auth: req.headers.authorization });
    handler(req, res);
  });
  s.keepAliveTimeout = 100;
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  servers.push(s);
  return `http://127.0.0.1:${s.address().port}`;
}
after(() => {
  for (const s of servers) s.closeAllConnections?.();
  return Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const json = (res, code, body) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

let silent;
let trickle;
let idle;
let endless;
before(async () => {
  silent = await serve(() => {}); // accepts, never answers
  trickle = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const t = setInterval(() => res.write(' '), 200);
    res.on('close', () => clearInterval(t));
  });
  idle = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
  });
  endless = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1 << 20, 0x20);
    const pump = () => {
      while (res.write(chunk));
    };
    res.on('drain', pump);
    pump();
  });
});

/** [ms, peak RSS MiB] measured when written (load average 13 on 2 cores); bounds are 10×. */
const MEASURED = {
  'no response headers': [1500, 60],
  'a trickling body': [2400, 90],
  'an endless body': [1400, 210],
  'a redirect to another origin': [1300, 90],
};
const bound = (name) => ({ ms: MEASURED[name][0] * 10, rssMiB: MEASURED[name][1] * 10 });
const run = (args) => measuredAsync(CLI, args);
const figures = (name, r) => process.env.PRINT_FIGURES && console.log(`${name}: ${r.ms.toFixed(0)} ms, ${r.rssMiB.toFixed(0)} MiB`);

test('no response headers: cluster-timeout after --request-timeout', async () => {
  const r = await run(['plan', '--proxy', silent, '-n', 'test', '--request-timeout', '1s']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^canary-tracker: cluster-timeout: GET http:\/\/127\.0\.0\.1:\d+\/apis\/flagger\.app\/v1beta1\/namespaces\/test\/canaries: no response within 1s\n$/);
  figures('no response headers', r);
  assertBounds(assert, r, bound('no response headers'), 'no headers');
});

test('a trickling body (a byte every 200 ms) stops at the request timeout', async () => {
  const r = await run(['plan', '--proxy', trickle, '-n', 'test', '--request-timeout', '2s']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cluster-timeout: .*: no complete response within 2s \(the request timeout\)\n$/);
  figures('a trickling body', r);
  assertBounds(assert, r, bound('a trickling body'), 'trickle');
});

test('a body that stops arriving: the idle timeout', async () => {
  const client = restClient(idle, { timeoutMs: 20_000, idleTimeoutMs: 300 });
  await assert.rejects(client.get(CANARIES), (e) => e instanceof ClusterError && e.code === 'cluster-timeout' && /no data for 0\.3s/.test(e.message));
});

test('an endless body: input-too-large at 128 MiB, memory bounded', async () => {
  const r = await run(['plan', '--proxy', endless, '-n', 'test']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^canary-tracker: input-too-large: GET .*: the responses are over 134217728 bytes/);
  figures('an endless body', r);
  assertBounds(assert, r, bound('an endless body'), 'endless');
});

test('the byte budget covers all the responses of a client together', async () => {
  const small = await serve((req, res) => json(res, 200, { kind: 'CanaryList', items: [], pad: 'x'.repeat(600) }));
  const client = restClient(small, { maxBytes: 1000 });
  await client.get(CANARIES);
  await assert.rejects(client.get(CANARIES), (e) => e.code === 'input-too-large');
});

test('a redirect to another origin is not followed; one within the proxy is', async () => {
  const other = await serve((req, res) => json(res, 200, { kind: 'CanaryList', items: [] }));
  const redirecting = await serve((req, res) => {
    if (req.url.startsWith('/moved')) return json(res, 200, { kind: 'CanaryList', items: [] });
    res.writeHead(302, { location: req.url.includes('same') ? `/moved${req.url}` : `${other}${req.url}?token=leak` });
    res.end();
  });
  const before = seen.filter((s) => s.url && other.endsWith(`:${s.port}`)).length;
  const r = await run(['plan', '--proxy', redirecting, '-n', 'test']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^canary-tracker: cluster-redirect: GET .*: HTTP 302 to another origin \(http:\/\/127\.0\.0\.1:\d+\/\): not followed\n$/);
  assert.doesNotMatch(r.stderr, /leak/);
  assert.equal(seen.filter((s) => other.endsWith(`:${s.port}`)).length, before, 'the other origin was contacted');
  figures('a redirect to another origin', r);
  assertBounds(assert, r, bound('a redirect to another origin'), 'redirect');
  assert.deepEqual(await fetchObjects({ proxy: `${redirecting}/same` }), []);
});

test('credentials in the proxy URL are sent (Basic auth, query after the API path) and never shown', async () => {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason: 'Forbidden',
    code: 403,
    message: `canaries is forbidden:\x1b[31m red\x1b[0m\nsecond line\u2028third\r\x07 ${'long '.repeat(100)}`,
  };
  const api = await serve((req, res) => (req.url.includes('empty') ? json(res, 200, { kind: 'CanaryList', items: [] }) : json(res, 403, status)));
  const proxy = `${api.replace('http://', 'http://us%65r:p4ss%40w0rd@')}/prefix?token=T0KEN&x=1`;
  const r = await run(['plan', '--proxy', proxy, '-n', 'test']);
  assert.equal(r.status, 1);
  const hit = seen.at(-1);
  assert.equal(hit.url, `/prefix${CANARIES}?token=T0KEN&x=1`, 'the API path goes before the query');
  assert.equal(hit.auth, `Basic ${Buffer.from('user:p4ss@w0rd').toString('base64')}`);
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  assert.doesNotMatch(r.stderr, /p4ss|w0rd|T0KEN|us%65r|user|\x1b|\x07|\r|\u2028/);
  // The user info went into the header; the query values are redacted; the Status message is one line.
  assert.match(r.stderr, /^canary-tracker: cluster-http-error: GET http:\/\/127\.0\.0\.1:\d+\/prefix\/apis\/flagger\.app\/v1beta1\/namespaces\/test\/canaries\?token=<redacted>&x=<redacted>: HTTP 403 Forbidden: canaries is forbidden:\\x1b\[31m red\\x1b\[0m\\nsecond line\\u2028third\\r\\a (long ){40,}.*…\n$/);
  const none = await run(['plan', '--proxy', proxy.replace('/prefix', '/empty')]);
  assert.match(none.stderr, /^canary-tracker: no Canary \(flagger\.app\) found in http:\/\/<redacted>@127\.0\.0\.1:\d+\/empty\?token=<redacted>&x=<redacted>\n$/);
});

test('a __proto__ key in a fetched list item stays a key', async () => {
  const item = '{"metadata": {"name": "c", "namespace": "test"}, "__proto__": {"polluted": true}, "spec": {"targetRef": {"kind": "Nope", "name": "x"}}}';
  const api = await serve((req, res) => json(res, 200, `{"apiVersion": "flagger.app/v1beta1", "kind": "CanaryList", "items": [${item}]}`));
  const [c] = await fetchObjects({ proxy: api, namespace: 'test' });
  assert.equal(Object.getPrototypeOf(c), Object.prototype);
  assert.equal(c.polluted, undefined);
  assert.equal(c.kind, 'Canary');
  assert.deepEqual(Object.getOwnPropertyDescriptor(c, '__proto__').value, { polluted: true });
});

test('helpers: redactUrl, oneLine, parseDuration', async () => {
  assert.equal(redactUrl('http://a:b@h:1/p?q=1#f'), 'http://<redacted>@h:1/p?q=<redacted>');
  assert.equal(redactUrl('not a url with s3cret'), '<not a URL>');
  assert.equal(oneLine('a\nb\x1b[0m\u202ec'), 'a\\nb\\x1b[0m\\u202ec');
  assert.deepEqual(['30s', '1m30s', '500ms', '2h', '0', '1.5'].map(parseDuration), [30_000, 90_000, 500, 7_200_000, 0, 1500]);
  assert.throws(() => parseDuration('soon'), /a duration is a number and a unit/);
  const r = await run(['plan', '--proxy', silent, '--request-timeout', 'soon']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^canary-tracker: --request-timeout: a duration/);
});
