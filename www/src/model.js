// Pure data rules shared by the page, the worker and the Node unit tests: a
// plan's decision and verdict, list filtering and facet counts, and mapping
// the object paths of a per-namespace plan back to the whole upload. No DOM.

/**
 * How the page shows each decision: a short label (list, facets) and a
 * colour class (changed = a rollout runs, same = nothing starts). The
 * decisions are the package's (`canary-tracker/decision`: the core's
 * `analysis`, or its fallback from the Canary's phase); the page adds
 * `failed` (the plan has an error), and `pending` / `unread` for cluster-mode
 * Canaries not planned yet or not readable.
 */
export const DECISIONS = {
  start: { label: 'start', cls: 'changed' },
  restart: { label: 'restart', cls: 'changed' },
  'promote-without-analysis': { label: 'promote without analysis', cls: 'changed' },
  initialize: { label: 'initialize', cls: 'init' },
  continue: { label: 'continue', cls: 'same' },
  none: { label: 'none', cls: 'same' },
  'rollback-noop': { label: 'rollback (no-op)', cls: 'same' },
  suspended: { label: 'suspended', cls: 'same' },
  unknown: { label: 'unknown', cls: 'unknown' },
  failed: { label: 'failed', cls: 'failed', text: 'Flagger would fail on this Canary' },
  pending: { label: 'not planned', cls: 'pending', text: 'Not planned yet' },
  unread: { label: 'not read', cls: 'failed', text: 'Could not be read from the cluster' },
};
const ORDER = Object.keys(DECISIONS);

export const decisionInfo = (d) => DECISIONS[d] ?? { label: d, cls: 'unknown' };

/**
 * The whole verdict of a plan as data: decision, one line, reasons and the
 * spec hashes (from the core's `analysis` when it has one).
 * @param {any} plan
 * @param {{decision: string, basis: string, message: string}} decided the
 *   package's `planDecision(plan, canary)`
 */
export function verdict(plan, decided) {
  const failed = !!plan?.error;
  const decision = failed ? 'failed' : decided.decision;
  const info = decisionInfo(decision);
  const a = plan?.analysis && typeof plan.analysis === 'object' ? plan.analysis : null;
  const said = typeof a?.message === 'string' && a.message !== '' ? a.message : null;
  // The decision's line is the verdict; a failed plan keeps "would fail" first and the core's line under it.
  const out = {
    decision,
    label: info.label,
    cls: info.cls,
    text: failed ? info.text : decided.message,
    message: failed ? said : null,
    basis: decided.basis,
    phase: typeof a?.phase === 'string' ? a.phase : null,
    reasons: [],
    specHash: null,
  };
  if (a) {
    for (const r of Array.isArray(a.reasons) ? a.reasons : []) {
      if (r && typeof r === 'object')
        out.reasons.push({
          code: String(r.code ?? ''),
          message: String(r.message ?? ''),
          refs: Array.isArray(r.refs) ? r.refs.map(String) : [],
        });
    }
    const h = a.specHash;
    if (h && typeof h === 'object') {
      const current = h.current ?? null;
      const lastApplied = h.lastApplied ?? null;
      out.specHash = {
        current,
        lastApplied,
        lastPromoted: h.lastPromoted ?? null,
        same: current != null && lastApplied != null ? current === lastApplied : null,
        exact: h.exact ?? null,
        form: h.form ?? null,
        unsupported: h.unsupported ?? null,
      };
    }
  } else if (plan?.configsChanged) {
    const refs = (plan.configChanges ?? []).map((c) => c.ref);
    out.reasons.push({
      code: 'configs-changed',
      message: `Tracked configs differ from the Canary's status: ${refs.join(', ')}`,
      refs,
    });
  }
  if (plan?.upgrade && typeof plan.upgrade === 'object') {
    const u = plan.upgrade;
    out.upgrade = {
      from: u.from ?? null,
      to: u.to ?? null,
      startsAnalysis: !!u.startsAnalysis,
      message: typeof u.message === 'string' ? u.message : null,
    };
  }
  return out;
}

/**
 * One list entry per plan, small enough to cross from the worker cheaply.
 * @returns {{key: string, namespace: string, name: string, target: string, decision: string, text: string}}
 */
export function summary(plan, key, decided) {
  const t = plan.target;
  const v = verdict(plan, decided);
  return {
    key,
    namespace: plan.canary.namespace,
    name: plan.canary.name,
    target: t ? `${t.kind}/${t.name}` : '',
    decision: v.decision,
    text: v.text,
  };
}

/** Lower-case search terms of the filter box. */
export const terms = (q) =>
  String(q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);

/** True when every term is in the Canary's namespace, name or target. */
function textMatch(item, ts) {
  if (!ts.length) return true;
  const hay = `${item.namespace}/${item.name} ${item.target}`.toLowerCase();
  return ts.every((t) => hay.includes(t));
}

/**
 * The query: filter text terms and the facet selections (empty set = all).
 * @typedef {{terms: string[], decisions: Set<string>, namespaces: Set<string>}} Query
 */

/** Items that pass the query, in their order. */
export function filterItems(items, q) {
  return items.filter(
    (i) =>
      textMatch(i, q.terms) &&
      (!q.decisions.size || q.decisions.has(i.decision)) &&
      (!q.namespaces.size || q.namespaces.has(i.namespace)),
  );
}

/**
 * Counts per facet value. Each facet counts the items that pass the text and
 * the *other* facet, so a count says what clicking that value would show.
 * Values selected but now at zero are kept, so they can be unselected.
 * @returns {{decisions: [string, number][], namespaces: [string, number][]}}
 */
export function facetCounts(items, q) {
  const decisions = new Map();
  const namespaces = new Map();
  for (const i of items) {
    if (!textMatch(i, q.terms)) continue;
    if (!q.namespaces.size || q.namespaces.has(i.namespace))
      decisions.set(i.decision, (decisions.get(i.decision) ?? 0) + 1);
    if (!q.decisions.size || q.decisions.has(i.decision))
      namespaces.set(i.namespace, (namespaces.get(i.namespace) ?? 0) + 1);
  }
  for (const d of q.decisions) if (!decisions.has(d)) decisions.set(d, 0);
  for (const n of q.namespaces) if (!namespaces.has(n)) namespaces.set(n, 0);
  const rank = (d) => (ORDER.includes(d) ? ORDER.indexOf(d) : ORDER.length);
  return {
    decisions: [...decisions].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0])),
    namespaces: [...namespaces].sort((a, b) => a[0].localeCompare(b[0])),
  };
}

/**
 * Object indices grouped by namespace, in order of first appearance. A Canary
 * only ever reads objects of its own namespace (target, configs, primaries),
 * so each group plans on its own; an object without a string namespace is in
 * `default` (the core's default namespace, which the dashboard never changes).
 * @returns {Map<string, number[]>}
 */
export function byNamespace(objects) {
  const groups = new Map();
  objects.forEach((o, i) => {
    const ns =
      typeof o?.metadata?.namespace === 'string' && o.metadata.namespace !== '' ? o.metadata.namespace : 'default';
    let g = groups.get(ns);
    if (!g) groups.set(ns, (g = []));
    g.push(i);
  });
  return groups;
}

/** `/objects/<i>…` of a request made of `indices` → the same path in the whole upload. */
export function globalPath(path, indices) {
  if (typeof path !== 'string') return path;
  const m = /^\/objects\/(\d+)(?=\/|$)/.exec(path);
  if (!m || Number(m[1]) >= indices.length) return path;
  return `/objects/${indices[Number(m[1])]}${path.slice(m[0].length)}`;
}

/**
 * Rewrites the object paths the core reports (the error, warnings, analysis
 * reasons) of a plan made from a subset of the objects. Only these fields:
 * a generic walk would also rewrite user data such as an httpGet `path`.
 */
export function globalPlanPaths(plan, indices) {
  if (plan.error?.path) plan.error.path = globalPath(plan.error.path, indices);
  for (const w of plan.warnings ?? []) if (w.path) w.path = globalPath(w.path, indices);
  for (const r of plan.analysis?.reasons ?? []) if (r?.path) r.path = globalPath(r.path, indices);
  return plan;
}

/**
 * Rows of the tracked-configs table: the core's `plan.configs` (every ref
 * Flagger tracks, tracked before, or skips), in the table's words.
 * @param {any} plan
 */
export function configRows(plan) {
  return (plan.configs ?? []).map((c) => ({
    ref: c.ref,
    current: c.current,
    status: c.tracked,
    state: c.state === 'not-tracked' ? 'not tracked' : c.state,
    reason: c.state === 'not-tracked' ? c.reason : undefined,
    why: c.message,
  }));
}

/** `1234567` → `1.2 MB` (decimal, as file managers show sizes). */
export function bytes(n) {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  return `${v.toFixed(v < 100 ? 1 : 0)} ${units[u]}`;
}
