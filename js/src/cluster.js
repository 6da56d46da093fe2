// Reads what a plan needs from a cluster, through `kubectl proxy` (or any
// base URL that serves the Kubernetes REST API without further auth).
// Browser-safe: plain `fetch`, no node: imports.
//
// It fetches only: the Canaries, each Canary's target, the ConfigMaps and
// Secrets the target's pod spec references, and existing `<name>-primary`
// copies of those. A referenced config that is absent (404) is left out: the
// core then reports `config-not-found` or `optional-missing` as Flagger would.
// Secret values are never logged or put in an error message.

import { fillKind } from './parse.js';

const FLAGGER = 'flagger.app/v1beta1';

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
  configmap: { version: 'v1', resource: 'configmaps', kind: 'ConfigMap' },
  secret: { version: 'v1', resource: 'secrets', kind: 'Secret' },
};

/**
 * Every ConfigMap/Secret name a pod spec references, as Flagger scans it
 * (volumes configMap/secret/projected; env valueFrom; envFrom; containers and
 * init containers). Deliberately generous: fetching one config too many only
 * costs a request, the core decides what is tracked.
 * @param {any} podSpec
 * @returns {{kind: 'configmap'|'secret', name: string}[]}
 */
export function configRefs(podSpec) {
  const seen = new Map();
  const add = (kind, name) => {
    if (typeof name === 'string' && name !== '') seen.set(`${kind}/${name}`, { kind, name });
  };
  const list = (v) => (Array.isArray(v) ? v : []);
  if (!podSpec || typeof podSpec !== 'object') return [];
  for (const vol of list(podSpec.volumes)) {
    if (!vol || typeof vol !== 'object') continue;
    add('configmap', vol.configMap?.name);
    add('secret', vol.secret?.secretName);
    for (const src of list(vol.projected?.sources)) {
      add('configmap', src?.configMap?.name);
      add('secret', src?.secret?.name);
    }
  }
  for (const c of [...list(podSpec.containers), ...list(podSpec.initContainers)]) {
    if (!c || typeof c !== 'object') continue;
    for (const e of list(c.env)) {
      add('configmap', e?.valueFrom?.configMapKeyRef?.name);
      add('secret', e?.valueFrom?.secretKeyRef?.name);
    }
    for (const e of list(c.envFrom)) {
      add('configmap', e?.configMapRef?.name);
      add('secret', e?.secretRef?.name);
    }
  }
  return [...seen.values()];
}

/**
 * A small REST client over a proxy base URL.
 * @param {string} baseUrl e.g. `http://127.0.0.1:8001`
 * @param {{fetch?: typeof fetch, headers?: Record<string,string>}} [opts]
 */
export function restClient(baseUrl, opts = {}) {
  const doFetch = opts.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw new ClusterError('no fetch implementation available');
  const base = String(baseUrl).replace(/\/+$/, '');
  /**
   * GETs a path; `null` on 404 when `allow404`.
   * @returns {Promise<any>}
   */
  async function get(path, { allow404 = false } = {}) {
    const url = base + path;
    let res;
    try {
      res = await doFetch(url, { headers: { Accept: 'application/json', ...opts.headers } });
    } catch (e) {
      const cause = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(e);
      throw new ClusterError(`GET ${url}: cannot connect (${cause})`, { url, code: 'cluster-unreachable' });
    }
    if (res.status === 404 && allow404) return null;
    const text = await res.text();
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      // A Kubernetes Status carries a message and a reason; anything else is
      // described by its status only (the body could echo anything).
      const status = body && body.kind === 'Status' ? body : undefined;
      const detail = status?.message ? `: ${status.message}` : '';
      throw new ClusterError(`GET ${url}: HTTP ${res.status}${status?.reason ? ` ${status.reason}` : ''}${detail}`, {
        url,
        status: res.status,
        reason: status?.reason,
        code: res.status === 404 ? 'cluster-not-found' : 'cluster-http-error',
      });
    }
    if (body === undefined || body === null || typeof body !== 'object') {
      throw new ClusterError(`GET ${url}: HTTP ${res.status} but the body is not a JSON object`, { url, status: res.status, code: 'cluster-bad-response' });
    }
    return body;
  }
  return { get, base };
}

/**
 * Fetches the objects a plan needs.
 * @param {{proxy: string, namespace?: string, canary?: string, fetch?: typeof fetch,
 *          onRequest?: (path: string) => void}} opts
 *   `namespace` absent: all namespaces. `canary` absent: every Canary.
 * @returns {Promise<object[]>} Canaries, targets, configs and their primaries
 */
export async function fetchObjects(opts) {
  const client = restClient(opts.proxy, { fetch: opts.fetch });
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
    for (const { kind, name } of configRefs(target?.spec?.template?.spec)) {
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

function items(list, kind, apiVersion) {
  if (!Array.isArray(list?.items)) throw new ClusterError(`expected a ${kind}List, got ${typeof list?.kind === 'string' ? list.kind : 'something else'}`, { code: 'cluster-bad-response' });
  return list.items.map((i) => fillKind(i, kind, apiVersion));
}
