// The dashboard's worker: reads and parses files, talks to the cluster proxy,
// runs the planner (the wasm is loaded here) and prepares what the page
// draws. The page's main thread only renders, so it never blocks.
//
// Protocol: the page posts {id, op, ...}; the worker answers with any number
// of {id, type: 'progress'|'plans'} and then one {id, type: 'done'|'error'}.
// {op: 'cancel', target} stops an operation at its next checkpoint (between
// files, namespaces or requests); a file operation changes nothing until it
// completes, so a cancelled one leaves the previous result in place.
import { configRefs, flaggerVersions, init, locate, parseObjects, plan as runPlan } from 'canary-tracker';
import { fetchObjects, restClient, restPath } from 'canary-tracker/cluster';
import { allowedOrigin, boundedFetch } from './limits.js';
import { byNamespace, globalPath, globalPlanPaths, summary } from './model.js';
import { decide, objectIndex, viewModel } from './prepare.js';

const CANARIES = { group: 'flagger.app', version: 'v1beta1', resource: 'canaries' };
const wasm = init(new URL('./canary_tracker.wasm', import.meta.url));

class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.code = 'cancelled';
  }
}

/** Files mode: parsed files (by name, in upload order) and the current plans. */
let files = new Map();
let current = { plans: new Map(), find: objectIndex([]), where: () => null };
/** The plans of a file operation still running: the page may show them before it ends. */
let staged = null;
/** Cluster mode: the proxy, the listed Canaries and each planned one's objects. */
const cluster = { base: '', canaries: new Map(), entries: new Map(), session: { read: 0 } };

const cancelled = new Set();
const aborts = new Map();
const post = (msg) => self.postMessage(msg);
const tick = () => new Promise((r) => setTimeout(r, 0));

/** Lets messages (cancel, view) in, then stops if this operation was cancelled. */
async function checkpoint(id) {
  await tick();
  if (cancelled.has(id)) throw new Cancelled();
}

/** Progress, at most every 100 ms unless `force`. */
function progress(id) {
  let last = 0;
  return (p, force = false) => {
    const now = performance.now();
    if (!force && now - last < 100) return;
    last = now;
    post({ id, type: 'progress', ...p });
  };
}

/** A plain copy of an error's safe fields (what crosses to the page). */
function plainError(e) {
  const out = { message: String(e?.message ?? e), code: typeof e?.code === 'string' ? e.code : undefined };
  for (const k of ['status', 'line', 'col', 'document', 'detail', 'ref', 'path']) if (e?.[k] != null) out[k] = e[k];
  if (e instanceof WebAssembly.RuntimeError) {
    out.code = 'internal-error';
    out.message = `the planner stopped (${e.message}); reload the page to use it again`;
    out.fatal = true;
  }
  return out;
}

/** Unique list keys: `ns/name`, then `ns/name#2` for a duplicate Canary. */
function keyer() {
  const seen = new Map();
  return (c) => {
    const base = `${c.namespace}/${c.name}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  };
}

// ---- files ----

async function loadFiles(id, { add = [], remove = [], options }) {
  const next = new Map(files);
  for (const name of remove) next.delete(name);
  const report = progress(id);
  let read = 0;
  let bytesRead = 0;
  for (const { name, file } of add) {
    report({ phase: 'read', file: name, filesRead: read, filesTotal: add.length, bytes: bytesRead }, true);
    let rec;
    try {
      const text = await file.text();
      bytesRead += file.size;
      report({ phase: 'parse', file: name, filesRead: read, filesTotal: add.length, bytes: bytesRead }, true);
      await checkpoint(id);
      const { objects, origins } = parseObjects(text, { file: name });
      rec = { name, size: file.size, objects, origins };
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      rec = { name, size: file.size, objects: [], origins: [], error: plainError(e) };
    }
    next.set(name, rec);
    read += 1;
    await checkpoint(id);
  }
  const objectsParsed = [...next.values()].reduce((n, f) => n + f.objects.length, 0);
  report({ phase: 'parsed', filesRead: read, filesTotal: add.length, bytes: bytesRead, objects: objectsParsed }, true);
  const result = await planFiles(id, next, options, report);
  files = next;
  return {
    ...result,
    files: [...next.values()].map((f) => ({ name: f.name, size: f.size, count: f.objects.length, error: f.error })),
  };
}

async function planFiles(id, set, options, report) {
  await wasm;
  const ok = [...set.values()].filter((f) => !f.error);
  const objects = ok.flatMap((f) => f.objects);
  const origins = ok.flatMap((f) => f.origins);
  const canaries = objects.reduce((n, o) => n + (o?.kind === 'Canary' ? 1 : 0), 0);
  const where = (path) => locate(path, origins) ?? null;
  const key = keyer();
  const plans = new Map();
  const next = (staged = { plans, find: objectIndex(objects), where });
  const warnings = [];
  const items = [];
  let first = true;
  // One request per namespace: the list fills in as they finish, and progress is real.
  for (const [, indices] of byNamespace(objects)) {
    const res = runPlan({ objects: indices.map((i) => objects[i]), options });
    const chunk = res.plans.map((p) => {
      globalPlanPaths(p, indices);
      const k = key(p.canary);
      plans.set(k, p);
      return summary(p, k, decide(p, next.find));
    });
    for (const w of res.warnings ?? []) warnings.push({ ...w, path: globalPath(w.path, indices) });
    items.push(...chunk);
    if (chunk.length) {
      post({ id, type: 'plans', reset: first, items: chunk });
      first = false;
    }
    report({ phase: 'plan', objects: objects.length, planned: items.length, canaries });
    await checkpoint(id);
  }
  report({ phase: 'plan', objects: objects.length, planned: items.length, canaries }, true);
  const index = (p) => Number(/^\/objects\/(\d+)/.exec(p ?? '')?.[1] ?? Infinity);
  warnings.sort((a, b) => index(a.path) - index(b.path));
  current = next;
  return { items, warnings: warnings.map((w) => ({ code: w.code, message: w.message, where: where(w.path) })) };
}

// ---- cluster ----

/** Runs `fn` with a capped fetch; a cap or timeout is reported as itself, not as "cannot connect". */
async function capped(id, fn) {
  const st = boundedFetch({ session: cluster.session, signal: aborts.get(id)?.signal });
  try {
    return await fn(st.fetch);
  } catch (e) {
    throw st.incident ?? e;
  }
}

async function listCanaries(id, { base }) {
  if (!allowedOrigin(new URL(base), self.location.origin)) {
    throw Object.assign(
      new Error(`${new URL(base).origin} is not this page's origin or a proxy on 127.0.0.1/localhost`),
      { code: 'blocked' },
    );
  }
  Object.assign(cluster, { base, canaries: new Map(), entries: new Map() });
  progress(id)({ phase: 'list' }, true);
  const list = await capped(id, (f) => restClient(base, { fetch: f }).get(restPath(CANARIES)));
  if (!Array.isArray(list.items))
    throw Object.assign(new Error(`expected a CanaryList from ${restPath(CANARIES)}`), {
      code: 'cluster-bad-response',
    });
  const key = keyer();
  const items = [];
  for (const i of list.items) {
    const meta = i && typeof i === 'object' ? i.metadata : null;
    const c = {
      namespace: typeof meta?.namespace === 'string' && meta.namespace ? meta.namespace : 'default',
      name: typeof meta?.name === 'string' ? meta.name : '',
    };
    const ref = i?.spec?.targetRef;
    const k = key(c);
    cluster.canaries.set(k, c);
    items.push({
      key: k,
      ...c,
      target: typeof ref?.kind === 'string' && typeof ref?.name === 'string' ? `${ref.kind}/${ref.name}` : '',
      decision: 'pending',
      text: 'Not planned yet',
    });
  }
  return { items };
}

function clusterWhere(objects) {
  return (path) => {
    const m = /^\/objects\/(\d+)/.exec(path ?? '');
    const o = m && objects[Number(m[1])];
    return o ? `${o.kind} ${o.metadata?.namespace ?? 'default'}/${o.metadata?.name} (from the cluster)` : null;
  };
}

function clusterItem(k, entry) {
  const c = cluster.canaries.get(k);
  if (entry.plan) return summary(entry.plan, k, decide(entry.plan, entry.find));
  return { key: k, ...c, target: '', decision: 'unread', text: entry.error.message };
}

function planEntry(objects, canary, options) {
  const res = runPlan({ objects, canary, options });
  return { objects, plan: res.plans[0], find: objectIndex(objects), where: clusterWhere(objects) };
}

/** Fetches and plans the given Canaries, four requests' worth at a time. */
async function planCluster(id, { keys, options }) {
  await wasm;
  const report = progress(id);
  const todo = keys.filter((k) => cluster.canaries.has(k));
  let done = 0;
  let next = 0;
  report({ phase: 'fetch', planned: 0, canaries: todo.length }, true);
  const worker = async () => {
    while (next < todo.length) {
      if (cancelled.has(id)) throw new Cancelled();
      const k = todo[next++];
      const c = cluster.canaries.get(k);
      let entry;
      try {
        const objects = await capped(id, (f) =>
          fetchObjects({
            proxy: cluster.base,
            namespace: c.namespace,
            canary: c.name,
            fetch: f,
            configRefs,
            flaggerVersion: options?.flaggerVersion,
          }),
        );
        if (cancelled.has(id)) throw new Cancelled();
        entry = planEntry(objects, c, options);
      } catch (e) {
        if (cancelled.has(id)) throw new Cancelled();
        entry = { error: plainError(e) };
        if (entry.error.fatal) throw e;
      }
      cluster.entries.set(k, entry);
      done += 1;
      post({ id, type: 'plans', items: [clusterItem(k, entry)] });
      report({ phase: 'fetch', planned: done, canaries: todo.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, todo.length) }, worker));
  report({ phase: 'fetch', planned: done, canaries: todo.length }, true);
  return { items: todo.map((k) => clusterItem(k, cluster.entries.get(k))) };
}

async function replanCluster(id, { options }) {
  await wasm;
  const items = [];
  for (const [k, e] of cluster.entries) {
    if (!e.objects) continue;
    const entry = planEntry(e.objects, cluster.canaries.get(k), options);
    cluster.entries.set(k, entry);
    items.push(clusterItem(k, entry));
    await checkpoint(id);
  }
  return { items };
}

// ---- views ----

function view({ mode, key }) {
  if (mode === 'files') {
    const from = staged?.plans.has(key) ? staged : current;
    const p = from.plans.get(key);
    return p ? { view: viewModel(p, from) } : { missing: true };
  }
  const e = cluster.entries.get(key);
  if (!e) return { missing: true };
  if (e.error) return { error: e.error };
  return { view: viewModel(e.plan, e) };
}

// ---- dispatch ----

const OPS = {
  files: (id, m) => loadFiles(id, m),
  replan: async (id, m) => (m.mode === 'files' ? planFiles(id, files, m.options, progress(id)) : replanCluster(id, m)),
  list: listCanaries,
  plan: planCluster,
  view: (id, m) => view(m),
  versions: async () => {
    await wasm;
    return flaggerVersions();
  },
};

self.onmessage = async ({ data: m }) => {
  if (m.op === 'cancel') {
    cancelled.add(m.target);
    aborts.get(m.target)?.abort();
    return;
  }
  const run = OPS[m.op];
  if (!run)
    return post({ id: m.id, type: 'error', error: { code: 'internal-error', message: `unknown operation ${m.op}` } });
  aborts.set(m.id, new AbortController());
  try {
    post({ id: m.id, type: 'done', ...(await run(m.id, m)) });
  } catch (e) {
    // Whatever a cancelled operation failed with (an aborted request, say), it was cancelled.
    post({
      id: m.id,
      type: e instanceof Cancelled || cancelled.has(m.id) ? 'cancelled' : 'error',
      error: plainError(e),
    });
  } finally {
    if (m.op === 'files' || m.op === 'replan') staged = null;
    cancelled.delete(m.id);
    aborts.delete(m.id);
  }
};
