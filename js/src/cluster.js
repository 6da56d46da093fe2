// Reads what a plan needs from a cluster, through `kubectl proxy` (or any
// base URL that serves the Kubernetes REST API without further auth).
// Browser-safe: plain `fetch`, no node: imports.
//
// It fetches only: the Canaries, each Canary's target, the ConfigMaps and
// Secrets the target's pod spec references, and existing `<name>-primary`
// copies of those. A referenced config that is absent (404) is left out: the
// core then reports `config-not-found` or `optional-missing` as Flagger would.
// Secret values are never logged or put in an error message.
//
// Every request is bounded: a timeout until the response headers (which
// covers connecting), an idle timeout between body bytes and a total one
// (all three off with `timeoutMs: 0`); the bodies of one client together
// stop at MAX_INPUT_BYTES (`input-too-large`); a redirect is followed only
// within the proxy's origin. Credentials in the proxy URL (`user:pass@`,
// query values) are sent but never shown: every message carries the URL
// through `redactUrl`, and a Status message is one sanitised line.

import { escapeControl } from './escape.js';
import { fillKind, MAX_INPUT_BYTES } from './parse.js';

const FLAGGER = 'flagger.app/v1beta1';

/** Defaults: per request, milliseconds. */
export const LIMITS = Object.freeze({
  timeoutMs: 60_000,
  headersTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  maxBytes: MAX_INPUT_BYTES,
  maxRedirects: 5,
});

export class ClusterError extends Error {
  /**
   * @param {string} message
   * @param {{url?: string, status?: number, code?: string, reason?: string}} [info]
   */
  constructor(message, info = {}) {
    super(message);
    this.name = 'ClusterError';
    this.code = info.code ?? 'cluster-error';
    this.url = info.url;
    this.status = info.status;
    this.reason = info.reason;
  }
}

/**
 * A URL fit to show: user info and every query value replaced by
 * `<redacted>`, no fragment. Text that is not a URL is not shown at all.
 * @param {string | URL} url
 */
export function redactUrl(url) {
  let u;
  try {
    u = new URL(String(url));
  } catch {
    return '<not a URL>';
  }
  const auth = u.username || u.password ? '<redacted>@' : '';
  const query = [...u.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=<redacted>`).join('&');
  return `${u.protocol}//${auth}${u.host}${u.pathname}${query ? `?${query}` : ''}`;
}

/**
 * A server's text (a Status message) as one line: control characters and
 * line breaks as visible escapes (escape.js, as the CLI writes every line),
 * at most 300 characters.
 * @param {unknown} text
 */
export function oneLine(text) {
  const s = escapeControl(String(text));
  return s.length > 300 ? `${s.slice(0, 299)}…` : s;
}

/**
 * A kubectl-style duration (`30s`, `1m30s`, `500ms`, `2h`, or seconds as a
 * bare number) in milliseconds; `0` means no timeout.
 * @param {string} text
 * @returns {number}
 */
export function parseDuration(text) {
  const s = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const unit = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let ms = 0;
  let m;
  let end = 0;
  while ((m = re.exec(s)) !== null) {
    ms += Number(m[1]) * unit[m[2]];
    end = re.lastIndex;
  }
  if (s === '' || end !== s.length)
    throw new ClusterError('a duration is a number and a unit, e.g. 30s, 2m, 1m30s, 500ms (0: no timeout)', {
      code: 'invalid-duration',
    });
  return Math.round(ms);
}

/**
 * The REST path of one object or collection.
 * @param {{group?: string, version: string, resource: string, namespace?: string, name?: string}} r
 */
export function restPath({ group, version, resource, namespace, name }) {
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const ns = namespace != null ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const n = name != null ? `/${encodeURIComponent(name)}` : '';
  return `${base}${ns}/${resource}${n}`;
}

const TARGETS = {
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments', apiVersion: 'apps/v1' },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets', apiVersion: 'apps/v1' },
  Service: { version: 'v1', resource: 'services', apiVersion: 'v1' },
};
const CONFIGS = {
  ConfigMap: { version: 'v1', resource: 'configmaps', kind: 'ConfigMap' },
  Secret: { version: 'v1', resource: 'secrets', kind: 'Secret' },
};

/** The proxy URL split into what every request needs; credentials move to a header. */
function proxyBase(baseUrl) {
  let u;
  try {
    u = new URL(String(baseUrl));
  } catch {
    throw new ClusterError('the proxy URL is not a URL (e.g. http://127.0.0.1:8001)', { code: 'cluster-error' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ClusterError(`the proxy URL must be http or https, not ${u.protocol.replace(/[^a-z0-9+.-]/gi, '')}`, {
      code: 'cluster-error',
    });
  }
  const headers = {};
  if (u.username || u.password) {
    const cred = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    headers.Authorization = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(cred)))}`;
  }
  // The API path goes after the proxy's own path, and its query after that.
  return { origin: u.origin, prefix: u.pathname.replace(/\/+$/, ''), search: u.search, headers };
}

/**
 * A small REST client over a proxy base URL.
 * @param {string} baseUrl e.g. `http://127.0.0.1:8001`
 * @param {{fetch?: typeof fetch, headers?: Record<string,string>, timeoutMs?: number,
 *          headersTimeoutMs?: number, idleTimeoutMs?: number, maxBytes?: number}} [opts]
 *   limits default to {@link LIMITS}; `timeoutMs: 0` turns every timeout off
 */
export function restClient(baseUrl, opts = {}) {
  const doFetch = opts.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw new ClusterError('no fetch implementation available');
  const b = proxyBase(baseUrl);
  const total = opts.timeoutMs ?? LIMITS.timeoutMs;
  const limits = {
    total,
    headers: total === 0 ? 0 : Math.min(opts.headersTimeoutMs ?? LIMITS.headersTimeoutMs, total),
    idle: total === 0 ? 0 : Math.min(opts.idleTimeoutMs ?? LIMITS.idleTimeoutMs, total),
  };
  const maxBytes = opts.maxBytes ?? LIMITS.maxBytes;
  let used = 0; // body bytes read by this client, all requests together
  const secs = (ms) => `${ms / 1000}s`;

  /**
   * GETs a path; `null` on 404 when `allow404`.
   * @returns {Promise<any>}
   */
  async function get(path, { allow404 = false } = {}) {
    let url = `${b.origin}${b.prefix}${path}${b.search}`;
    for (let hop = 0; ; hop++) {
      const shown = redactUrl(url);
      const ac = new AbortController();
      let why = null;
      const stop = (reason) => {
        why ??= reason;
        ac.abort();
      };
      const timers = [];
      const after = (ms, reason) => ms > 0 && timers.push(setTimeout(() => stop(reason), ms));
      // The headers timer first: when both are due at once, it says more.
      const headersTimer =
        limits.headers > 0
          ? setTimeout(() => stop(`no response within ${secs(limits.headers)}`), limits.headers)
          : undefined;
      after(limits.total, `no complete response within ${secs(limits.total)} (the request timeout)`);
      try {
        let res;
        try {
          res = await doFetch(url, {
            headers: { Accept: 'application/json', ...b.headers, ...opts.headers },
            signal: ac.signal,
            redirect: 'manual',
          });
        } catch (e) {
          if (why) throw new ClusterError(`GET ${shown}: ${why}`, { url: shown, code: 'cluster-timeout' });
          const cause = e?.cause?.code ?? (e?.cause ? 'connection failed' : 'network error');
          throw new ClusterError(`GET ${shown}: cannot connect (${oneLine(cause)})`, {
            url: shown,
            code: 'cluster-unreachable',
          });
        } finally {
          clearTimeout(headersTimer);
        }
        // Redirects: followed within the proxy's origin only.
        if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400 && res.status !== 304)) {
          const loc = res.headers.get('location');
          let next;
          try {
            next = loc == null ? null : new URL(loc, url);
          } catch {
            next = null;
          }
          if (!next || next.origin !== b.origin) {
            throw new ClusterError(
              `GET ${shown}: HTTP ${res.status || 'redirect'} to ${next ? `another origin (${redactUrl(next.origin)})` : 'an unknown place'}: not followed`,
              { url: shown, status: res.status, code: 'cluster-redirect' },
            );
          }
          if (hop >= LIMITS.maxRedirects)
            throw new ClusterError(`GET ${shown}: more than ${LIMITS.maxRedirects} redirects`, {
              url: shown,
              code: 'cluster-redirect',
            });
          url = next.href;
          continue;
        }
        if (res.status === 404 && allow404) {
          res.body?.cancel?.().catch(() => {});
          return null;
        }
        const text = await readBody(res, shown);
        let body;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        if (!res.ok) {
          // A Kubernetes Status carries a message and a reason, shown as one
          // sanitised line; any other body is not echoed.
          const status = body && body.kind === 'Status' ? body : undefined;
          const reason =
            typeof status?.reason === 'string' && /^[A-Za-z]{1,64}$/.test(status.reason) ? status.reason : undefined;
          const detail = status?.message != null ? `: ${oneLine(status.message)}` : '';
          throw new ClusterError(`GET ${shown}: HTTP ${res.status}${reason ? ` ${reason}` : ''}${detail}`, {
            url: shown,
            status: res.status,
            reason,
            code: res.status === 404 ? 'cluster-not-found' : 'cluster-http-error',
          });
        }
        if (body === undefined || body === null || typeof body !== 'object') {
          throw new ClusterError(`GET ${shown}: HTTP ${res.status} but the body is not a JSON object`, {
            url: shown,
            status: res.status,
            code: 'cluster-bad-response',
          });
        }
        return body;
      } finally {
        timers.forEach(clearTimeout);
      }

      /** The body as text, within the idle timeout and the byte budget. */
      async function readBody(res, where) {
        if (!res.body) return '';
        const reader = res.body.getReader();
        const chunks = [];
        for (;;) {
          let idleTimer;
          const idle = new Promise((_, reject) => {
            if (limits.idle > 0) idleTimer = setTimeout(() => reject(new Error('idle')), limits.idle);
          });
          let r;
          try {
            r = await Promise.race([reader.read(), idle]);
          } catch {
            if (!why && limits.idle > 0) stop(`no data for ${secs(limits.idle)}`);
            reader.cancel().catch(() => {});
            throw new ClusterError(`GET ${where}: ${why ?? 'the response broke off'}`, {
              url: where,
              code: why ? 'cluster-timeout' : 'cluster-unreachable',
            });
          } finally {
            clearTimeout(idleTimer);
          }
          if (r.done) break;
          used += r.value.length;
          if (used > maxBytes) {
            stop('too large');
            reader.cancel().catch(() => {});
            throw new ClusterError(
              `GET ${where}: the responses are over ${maxBytes} bytes (128 MiB, the request limit)`,
              { url: where, code: 'input-too-large' },
            );
          }
          chunks.push(r.value);
        }
        const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        return new TextDecoder().decode(all);
      }
    }
  }
  return { get, base: redactUrl(`${b.origin}${b.prefix}`) };
}

/**
 * Fetches the objects a plan needs.
 * @param {{proxy: string, namespace?: string, canary?: string, fetch?: typeof fetch,
 *          onRequest?: (path: string) => void, timeoutMs?: number, flaggerVersion?: string,
 *          configRefs: (podSpec: any, flaggerVersion?: string) => {kind: 'ConfigMap'|'Secret', name: string}[]}} opts
 *   `namespace` absent: all namespaces. `canary` absent: every Canary. `configRefs`: the core's (the
 *   entry points pass it), so what is fetched is what Flagger scans at `flaggerVersion`.
 * @returns {Promise<object[]>} Canaries, targets, configs and their primaries
 */
export async function fetchObjects(opts) {
  const client = restClient(opts.proxy, { fetch: opts.fetch, timeoutMs: opts.timeoutMs });
  const get = (path, o) => {
    opts.onRequest?.(path);
    return client.get(path, o);
  };
  const canaryRes = { group: 'flagger.app', version: 'v1beta1', resource: 'canaries' };
  let canaries;
  if (opts.canary != null && opts.namespace != null) {
    const c = await get(restPath({ ...canaryRes, namespace: opts.namespace, name: opts.canary }));
    canaries = [fillKind(c, 'Canary', FLAGGER)];
  } else {
    const list = await get(restPath({ ...canaryRes, namespace: opts.namespace ?? undefined }));
    canaries = items(list, 'Canary', FLAGGER);
    if (opts.canary != null) canaries = canaries.filter((c) => c?.metadata?.name === opts.canary);
  }

  const objects = [...canaries];
  const have = new Set();
  const addOnce = (obj, key) => {
    if (obj && !have.has(key)) {
      have.add(key);
      objects.push(obj);
    }
  };
  for (const canary of canaries) {
    const ns = canary?.metadata?.namespace ?? opts.namespace ?? 'default';
    const ref = canary?.spec?.targetRef ?? {};
    const t = TARGETS[ref.kind];
    // Unsupported kinds and missing names are the core's to report.
    if (!t || typeof ref.name !== 'string' || ref.name === '') continue;
    const key = `${ref.kind}/${ns}/${ref.name}`;
    if (have.has(key)) continue;
    const target = await get(restPath({ ...t, namespace: ns, name: ref.name }), { allow404: true });
    if (!target) continue; // target-not-found, reported by the core
    addOnce(fillKind(target, ref.kind, t.apiVersion), key);
    if (ref.kind === 'Service') continue;
    for (const { kind, name } of podSpecRefs(opts, target?.spec?.template?.spec)) {
      const c = CONFIGS[kind];
      for (const n of [name, `${name}-primary`]) {
        const k = `${c.kind}/${ns}/${n}`;
        if (have.has(k)) continue;
        const obj = await get(restPath({ ...c, namespace: ns, name: n }), { allow404: true });
        have.add(k);
        if (obj) objects.push(fillKind(obj, c.kind, 'v1'));
      }
    }
  }
  return objects;
}

/** The core's refs of a pod spec; none when it cannot read the spec (the plan then reports why). */
function podSpecRefs(opts, podSpec) {
  if (typeof opts.configRefs !== 'function') throw new TypeError("fetchObjects needs opts.configRefs (the core's)");
  try {
    return opts.configRefs(podSpec ?? {}, opts.flaggerVersion);
  } catch (e) {
    if (e?.name === 'CanaryTrackerError') return [];
    throw e;
  }
}

function items(list, kind, apiVersion) {
  if (!Array.isArray(list?.items))
    throw new ClusterError(
      `expected a ${kind}List, got ${typeof list?.kind === 'string' ? oneLine(list.kind) : 'something else'}`,
      { code: 'cluster-bad-response' },
    );
  return list.items.map((i) => {
    if (i === null || typeof i !== 'object' || Array.isArray(i))
      throw new ClusterError(`a ${kind}List item is not an object`, { code: 'cluster-bad-response' });
    return fillKind(i, kind, apiVersion);
  });
}
