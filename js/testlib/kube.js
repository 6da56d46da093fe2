// A fixture Kubernetes API server, kubeconfig files and a real `kubectl
// proxy`, for tests of cluster access (js/test, tests/hardening, www/test).

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const RESOURCES = {
  Canary: { prefix: '/apis/flagger.app/v1beta1', plural: 'canaries' },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments' },
  DaemonSet: { prefix: '/apis/apps/v1', plural: 'daemonsets' },
  Service: { prefix: '/api/v1', plural: 'services' },
  ConfigMap: { prefix: '/api/v1', plural: 'configmaps' },
  Secret: { prefix: '/api/v1', plural: 'secrets' },
};

const status = (code, reason, message) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

/**
 * A fixture Kubernetes API on 127.0.0.1, shared by js/test, tests/hardening
 * and www/test: GET of `api.objects` (mutable; a missing namespace is
 * `default`) and their lists (all namespaces or one) at their REST paths,
 * Kubernetes Status bodies for errors. Every request is recorded in
 * `api.requests` as `METHOD PATH`. Between tests a caller may set
 * `api.forbidden` (every resource answers 403), `api.delayMs` (wait before
 * each answer) and `api.endless` (the all-namespaces Canary list never ends).
 * @param {any[]} objects
 */
export async function apiServer(objects = []) {
  const api = { objects, requests: [], forbidden: false, delayMs: 0, endless: false, url: '', close: async () => {} };
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    api.requests.push(`${req.method} ${path}`);
    if (api.delayMs) await new Promise((r) => setTimeout(r, api.delayMs));
    if (api.endless && path === '/apis/flagger.app/v1beta1/canaries') return endlessCanaries(res);
    const send = (code, body) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed', 'only GET'));
    for (const [kind, { prefix, plural }] of Object.entries(RESOURCES)) {
      if (!path.startsWith(`${prefix}/`)) continue;
      const rest = path
        .slice(prefix.length + 1)
        .split('/')
        .map(decodeURIComponent);
      let ns;
      let name;
      if (rest[0] === 'namespaces' && rest[2] === plural && rest.length <= 4) [ns, name] = [rest[1], rest[3]];
      else if (rest[0] === plural && rest.length === 1) ns = undefined;
      else continue;
      if (api.forbidden)
        return send(
          403,
          status(403, 'Forbidden', `${plural} is forbidden: User "test" cannot list resource "${plural}"`),
        );
      const match = api.objects.filter(
        (o) => o.kind === kind && (ns === undefined || (o.metadata.namespace ?? 'default') === ns),
      );
      if (name === undefined) {
        // Like the real API: list items of built-in kinds carry no kind/apiVersion, a custom resource's do.
        const items = match.map(({ kind: _k, apiVersion: _a, ...o }) =>
          kind === 'Canary' ? { kind, apiVersion: 'flagger.app/v1beta1', ...o } : o,
        );
        return send(200, {
          kind: `${kind}List`,
          apiVersion: prefix.replace(/^\/apis?\//, ''),
          metadata: { resourceVersion: '1' },
          items,
        });
      }
      const obj = match.find((o) => o.metadata.name === name);
      if (!obj) return send(404, status(404, 'NotFound', `${plural} "${name}" not found`));
      return send(200, { ...obj, metadata: { namespace: 'default', ...obj.metadata } });
    }
    return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
  });
  server.on('connection', (c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  api.url = `http://127.0.0.1:${server.address().port}`;
  api.close = () => {
    for (const c of sockets) c.destroy();
    return new Promise((r) => server.close(r));
  };
  return api;
}

/** A CanaryList whose items never end (written as fast as the client reads). */
function endlessCanaries(res) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"kind":"CanaryList","apiVersion":"flagger.app/v1beta1","metadata":{},"items":[');
  let i = 0;
  const item = () => ({
    kind: 'Canary',
    metadata: { name: `c${i++}`, namespace: 'endless', annotations: { pad: 'x'.repeat(2000) } },
    spec: { targetRef: { kind: 'Deployment', name: 'd' } },
  });
  const pump = () => {
    while (!res.destroyed && res.write(`${JSON.stringify(item())},`));
  };
  res.on('drain', pump);
  pump();
}

/**
 * Writes a kubeconfig with one context per entry (no credentials: the
 * fixture server needs none).
 * @param {string} dir
 * @param {{name: string, server: string, namespace?: string}[]} contexts
 * @param {string} current
 */
export function writeKubeconfig(dir, contexts, current) {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`);
  lines.push('users:', '- name: nobody', '  user: {}', 'contexts:');
  for (const c of contexts) {
    lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, '    user: nobody');
    if (c.namespace) lines.push(`    namespace: ${c.namespace}`);
  }
  lines.push(`current-context: ${current}`, '');
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, lines.join('\n'));
  return file;
}

/**
 * `kubectl proxy --port=0` with `kubeconfig` (and `args`, e.g. `--www`), as a
 * user would run it for `--proxy`. Resolves with its `127.0.0.1:PORT` and a
 * close function.
 * @param {string} kubeconfig
 * @param {string[]} [args]
 */
export async function kubectlProxy(kubeconfig, args = []) {
  const child = spawn(
    process.env.KUBECTL || 'kubectl',
    ['proxy', `--kubeconfig=${kubeconfig}`, ...args, '--port=0', '--address=127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const hostPort = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`kubectl proxy did not start: ${out}`)), 15000);
    const on = (d) => {
      out += d;
      const m = /Starting to serve on (127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (code) => reject(new Error(`kubectl proxy exited (${code}): ${out}`)));
  });
  return {
    hostPort,
    close: () =>
      new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}
