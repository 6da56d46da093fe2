// Cluster access the way kubectl users have it (Node only): the user's own
// `kubectl` runs `kubectl proxy` for the CLI, so kubeconfig, contexts and
// auth plugins work as they do for kubectl. The proxy listens on a Unix
// socket in a private temporary directory (not a TCP port other local users
// could reach) and is stopped when the CLI is done.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { redactUrl } from './cluster.js';
import { firstLine, run, ToolError } from './proc.js';

/** The kubectl to run: `$KUBECTL`, else `kubectl` on PATH. */
export function kubectlCommand() {
  return process.env.KUBECTL || 'kubectl';
}

/** kubectl's own flags for a context/kubeconfig choice. */
export function kubectlFlags({ context, kubeconfig } = {}) {
  const flags = [];
  if (kubeconfig !== undefined) flags.push(`--kubeconfig=${kubeconfig}`);
  if (context !== undefined) flags.push(`--context=${context}`);
  return flags;
}

/**
 * `--proxy` as typed: `127.0.0.1:8001` (no scheme, as `kubectl proxy`
 * prints it) means `http://127.0.0.1:8001`.
 */
export function proxyUrl(value) {
  const v = String(value).trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`;
}

/**
 * The namespace kubectl would use without `-n`: the context's, else `default`.
 * @param {{context?: string, kubeconfig?: string}} opts
 */
export async function contextNamespace(opts) {
  const kubectl = kubectlCommand();
  const r = await run(
    kubectl,
    ['config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.namespace}', ...kubectlFlags(opts)],
    { maxBytes: 4096 },
  );
  if (r.code !== 0)
    throw new ToolError(`${kubectl} config view: ${firstLine(r.stderr) || `exit ${r.code}`}`, {
      code: 'kubectl-failed',
    });
  return r.stdout.toString('utf8').trim() || 'default';
}

/**
 * `kubectl kustomize DIR`: the built manifests, as text.
 * @param {string} dir
 */
export async function kustomize(dir) {
  const kubectl = kubectlCommand();
  const r = await run(kubectl, ['kustomize', dir]);
  if (r.code !== 0)
    throw new ToolError(`${kubectl} kustomize ${dir}: ${firstLine(r.stderr) || `exit ${r.code}`}`, {
      code: 'kustomize-failed',
    });
  return r.stdout.toString('utf8');
}

/**
 * A `fetch` that sends every request to an HTTP server on a Unix socket
 * (the URL's host is only the Host header). Errors have fetch's shape: a
 * TypeError whose `cause` carries the system error code.
 * @param {string} socketPath
 * @returns {typeof fetch}
 */
export function unixFetch(socketPath) {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const u = new URL(String(url));
      const headers = Object.fromEntries(new Headers(init.headers ?? {}).entries());
      const req = request(
        {
          socketPath,
          path: u.pathname + u.search,
          method: init.method ?? 'GET',
          headers: { host: u.host, ...headers },
          signal: init.signal ?? undefined,
        },
        (res) => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) out.append(k, one);
          }
          const empty = [204, 205, 304].includes(res.statusCode ?? 0);
          if (empty) res.resume();
          resolve(
            new Response(empty ? null : /** @type {any} */ (Readable.toWeb(res)), {
              status: res.statusCode,
              statusText: res.statusMessage,
              headers: out,
            }),
          );
        },
      );
      req.on('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
      req.end();
    });
}

const START_TIMEOUT_MS = 30_000;

/**
 * Starts `kubectl proxy --unix-socket=…` with the user's context and
 * kubeconfig. Call `close()` when done (also done on SIGINT/SIGTERM).
 * @param {{context?: string, kubeconfig?: string}} opts
 * @returns {Promise<{baseUrl: string, fetch: typeof fetch, where: string, close: () => Promise<void>}>}
 */
export async function startKubectlProxy(opts = {}) {
  const kubectl = kubectlCommand();
  const dir = mkdtempSync(join(tmpdir(), 'canary-tracker-'));
  const socket = join(dir, 'proxy.sock');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  let child;
  try {
    child = spawn(kubectl, ['proxy', `--unix-socket=${socket}`, ...kubectlFlags(opts)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    cleanup();
    throw new ToolError(`cannot run ${kubectl} (${e?.code ?? e?.message})`, { code: 'tool-not-found' });
  }
  const onSignal = (sig) => {
    child.kill('SIGTERM');
    cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const close = () =>
    new Promise((resolve) => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      const done = () => {
        cleanup();
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  try {
    await new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(
        () =>
          reject(
            new ToolError(`${kubectl} proxy did not start within ${START_TIMEOUT_MS / 1000} s`, {
              code: 'kubectl-failed',
            }),
          ),
        START_TIMEOUT_MS,
      );
      const settle = (fn) => (v) => {
        clearTimeout(timer);
        fn(v);
      };
      const ok = settle(resolve);
      const fail = settle(reject);
      child.stdout.setEncoding('utf8').on('data', (d) => {
        out += d;
        if (out.includes('Starting to serve on')) ok();
      });
      child.stderr.setEncoding('utf8').on('data', (d) => {
        if (err.length < 16 * 1024) err += d;
      });
      child.on('error', (e) =>
        fail(
          e?.code === 'ENOENT'
            ? new ToolError(
                `${kubectl} not found on PATH (needed for --context, --kubeconfig, -A, --cluster and --status-from-cluster without --proxy)`,
                { code: 'tool-not-found' },
              )
            : new ToolError(`cannot run ${kubectl} (${e?.code ?? e?.message})`),
        ),
      );
      child.on('exit', (code) =>
        fail(new ToolError(`${kubectl} proxy: ${firstLine(err) || `exited with ${code}`}`, { code: 'kubectl-failed' })),
      );
    });
  } catch (e) {
    await close();
    throw e;
  }
  const where = [
    'kubectl proxy',
    opts.context !== undefined ? `context ${opts.context}` : 'current context',
    opts.kubeconfig !== undefined ? `kubeconfig ${opts.kubeconfig}` : undefined,
  ].filter(Boolean);
  return {
    baseUrl: 'http://localhost',
    fetch: unixFetch(socket),
    where: `${where[0]} (${where.slice(1).join(', ')})`,
    close,
  };
}

/**
 * Opens the cluster the flags name: `--proxy URL` as given, else a
 * `kubectl proxy` of the context. `fn` gets the client's base URL and fetch.
 * @template T
 * @param {{proxy?: string, context?: string, kubeconfig?: string}} opts
 * @param {(c: {baseUrl: string, fetch?: typeof fetch, where: string}) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withCluster(opts, fn) {
  if (opts.proxy !== undefined) {
    const baseUrl = proxyUrl(opts.proxy);
    return fn({ baseUrl, where: redactUrl(baseUrl) });
  }
  const proxy = await startKubectlProxy(opts);
  try {
    return await fn(proxy);
  } finally {
    await proxy.close();
  }
}
