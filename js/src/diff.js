// BASE → HEAD: what Flagger does when HEAD's manifests are applied on top of
// the state BASE left. Browser-safe (the core is passed in).
//
// BASE's state is what Flagger would have written once BASE settled: its
// Canary's status.trackedConfigs = BASE's plan's checksums, lastAppliedSpec =
// lastPromotedSpec = the spec hash of BASE's pod template (when the core
// computes it), phase Succeeded. That status is put on HEAD's Canary and HEAD
// is planned: the core's decision then is the answer. The "why" comes from
// comparing the two sides: JSON pointers of the pod template fields that
// changed (a semantic comparison: key order and YAML style do not count),
// config checksums before → after, and the changes Flagger never analyses.

import { canariesById, canaryId, DECISION_TEXT, notPreviewed, ROLLOUT_DECISIONS } from './decision.js';

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A JSON pointer segment. */
const seg = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Where two JSON values differ, as JSON pointers under `base`: objects key
 * by key (order ignored), arrays index by index (Flagger's hash sees order).
 * @returns {{path: string, change: 'added'|'removed'|'modified'}[]}
 */
export function changedPaths(a, b, base = '') {
  const out = [];
  walk(a, b, base);
  return out;
  function walk(x, y, path) {
    if (x === undefined && y === undefined) return;
    if (x === undefined) return void out.push({ path, change: 'added' });
    if (y === undefined) return void out.push({ path, change: 'removed' });
    if (isObj(x) && isObj(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (const k of keys) walk(x[k], y[k], `${path}/${seg(k)}`);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i++) walk(x[i], y[i], `${path}/${i}`);
      return;
    }
    if (x !== y) out.push({ path, change: 'modified' });
  }
}

/** The object `kind` ns/name in `objects` (the later duplicate, as the core). */
function find(objects, kind, ns, name, defaultNamespace) {
  let hit;
  for (const o of objects) {
    if (isObj(o) && o.kind === kind && o.metadata?.name === name && (o.metadata.namespace ?? defaultNamespace) === ns)
      hit = o;
  }
  return hit;
}

function targetOf(canary) {
  const ref = isObj(canary?.spec?.targetRef) ? canary.spec.targetRef : {};
  return { kind: typeof ref.kind === 'string' ? ref.kind : '?', name: typeof ref.name === 'string' ? ref.name : '?' };
}

/** What Flagger hashes of a target: a workload's pod template, a Service's spec. */
function hashedPart(target, kind) {
  if (!isObj(target)) return { value: undefined, at: '' };
  if (kind === 'Service') return { value: target.spec, at: '/spec' };
  return { value: isObj(target.spec) ? target.spec.template : undefined, at: '/spec/template' };
}

function decode64(s) {
  try {
    return typeof atob === 'function' ? atob(String(s).replace(/\s+/g, '')) : String(s);
  } catch {
    return `\0invalid:${s}`;
  }
}

/** A string's UTF-8 bytes as a binary string, comparable with `atob`'s output. */
function utf8Binary(s) {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return out;
}

/**
 * A config's content as the API server stores it, key → comparable value
 * (Secret `stringData` merged into `data`, values decoded), and its binaryData.
 */
function content(obj) {
  if (!isObj(obj)) return null;
  const data = {};
  if (obj.kind === 'Secret') {
    for (const [k, v] of Object.entries(isObj(obj.data) ? obj.data : {})) data[k] = decode64(v);
    for (const [k, v] of Object.entries(isObj(obj.stringData) ? obj.stringData : {})) data[k] = utf8Binary(String(v));
  } else {
    for (const [k, v] of Object.entries(isObj(obj.data) ? obj.data : {})) data[k] = String(v);
  }
  const binary = {};
  for (const [k, v] of Object.entries(isObj(obj.binaryData) ? obj.binaryData : {})) binary[k] = decode64(v);
  return { data, binary };
}

/** Keys whose values differ between two key → value maps. */
function changedKeys(a = {}, b = {}) {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

const UNANALYSED_REASONS = new Set(['secret-type', 'opt-out', 'tracking-disabled']);

const REASON_WORDS = {
  'secret-type': 'a Secret type Flagger does not track',
  'opt-out': 'opted out (flagger.app/config-tracking: disabled)',
  'tracking-disabled': 'config tracking is disabled',
  'binary-data': 'binaryData, which Flagger neither hashes nor copies',
};

/**
 * Changes Flagger never analyses: an untracked config the workload reads
 * directly changed (it reaches the primary's pods as it is), or the
 * binaryData of a tracked one changed (never hashed, never copied: the
 * primary never gets it).
 */
function unanalysedChanges(headPlan, baseObjects, headObjects, ns, defaultNamespace) {
  const out = [];
  const kindOf = (ref) => (ref.startsWith('secret/') ? 'Secret' : 'ConfigMap');
  const nameOf = (ref) => ref.slice(ref.indexOf('/') + 1);
  const both = (ref) =>
    [baseObjects, headObjects].map((objs) => content(find(objs, kindOf(ref), ns, nameOf(ref), defaultNamespace)));
  for (const u of headPlan.untrackedConfigs ?? []) {
    if (!UNANALYSED_REASONS.has(u.reason)) continue;
    const [before, after] = both(u.ref);
    if (!before && !after) continue;
    const keys = changedKeys(before?.data, after?.data).concat(
      changedKeys(before?.binary, after?.binary).map((k) => `binaryData/${k}`),
    );
    if (before && after && keys.length === 0) continue;
    const change = !before ? 'added' : !after ? 'removed' : 'modified';
    out.push({
      ref: u.ref,
      reason: u.reason,
      change,
      keys,
      message: `${u.ref} ${change} (${REASON_WORDS[u.reason]}): the workload reads it directly, so the primary's pods get it with no analysis`,
    });
  }
  for (const ref of Object.keys(headPlan.trackedConfigs ?? {})) {
    const [before, after] = both(ref);
    if (!before || !after) continue;
    const keys = changedKeys(before.binary, after.binary);
    if (keys.length === 0) continue;
    out.push({
      ref,
      reason: 'binary-data',
      change: 'modified',
      keys: keys.map((k) => `binaryData/${k}`),
      message: `${ref}: binaryData changed (${REASON_WORDS['binary-data']}): no analysis, and the -primary copy never gets it`,
    });
  }
  return out;
}

/** The status Flagger would have written once BASE settled. */
export function settledStatus(basePlan) {
  const status = { phase: 'Succeeded' };
  if (basePlan.trackedConfigs && Object.keys(basePlan.trackedConfigs).length)
    status.trackedConfigs = { ...basePlan.trackedConfigs };
  const hash = basePlan.analysis?.specHash?.current;
  if (typeof hash === 'string') {
    status.lastAppliedSpec = hash;
    status.lastPromotedSpec = hash;
  }
  return status;
}

function withStatus(canary, status) {
  const { status: _dropped, ...rest } = canary;
  return status ? { ...rest, status } : rest;
}

const pathsText = (paths, max = 8) => {
  const shown = paths
    .slice(0, max)
    .map((p) => p.path)
    .join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
};

/**
 * Compares two sides.
 * @param {{base: {objects: any[], label?: string}, head: {objects: any[], label?: string},
 *          options?: object, plan: (request: object, side: 'base'|'head') => any,
 *          select?: (namespace: string, name: string) => boolean}} input
 *   `plan`: the core's plan function (throws on a request error);
 *   `select`: which Canaries to report (default: all)
 */
export function comparePlans({ base, head, options = {}, plan, select = () => true }) {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const baseResp = plan({ objects: base.objects, options }, 'base');
  const basePlans = new Map(baseResp.plans.map((p) => [canaryId(p.canary.namespace, p.canary.name), p]));
  const baseCanaries = canariesById(base.objects, defaultNamespace);
  const headCanaries = canariesById(head.objects, defaultNamespace);

  // HEAD's Canaries carry the status BASE left (none for a new Canary, or
  // when BASE's plan failed: Flagger halted there, the state is not known).
  const headObjects = head.objects.map((o) => {
    if (!isObj(o) || o.kind !== 'Canary' || !String(o.apiVersion ?? '').startsWith('flagger.app/')) return o;
    const id = canaryId(o.metadata?.namespace ?? defaultNamespace, o.metadata?.name);
    const bp = basePlans.get(id);
    return withStatus(o, bp && !bp.error ? settledStatus(bp) : undefined);
  });
  const headResp = plan({ objects: headObjects, options }, 'head');
  const headPlans = new Map(headResp.plans.map((p) => [canaryId(p.canary.namespace, p.canary.name), p]));

  // A NUL cannot be in a name: these keys never collide ('/' could, in hostile input).
  const key = (c) => `${c.namespace}\0${c.name}`;
  const order = new Map();
  for (const p of [...headResp.plans, ...baseResp.plans])
    if (!order.has(key(p.canary))) order.set(key(p.canary), p.canary);
  const picked = [...order.values()].filter((c) => select(c.namespace, c.name));
  const canaries = picked
    .map((c) => canaryId(c.namespace, c.name))
    .map((id, i) =>
      compareOne({
        canary: picked[i],
        basePlan: basePlans.get(id),
        headPlan: headPlans.get(id),
        baseCanary: baseCanaries.get(id),
        headCanary: headCanaries.get(id),
        base,
        head,
        defaultNamespace,
      }),
    );
  const summary = {};
  for (const c of canaries) summary[c.decision] = (summary[c.decision] ?? 0) + 1;
  return {
    base: { source: base.label ?? 'BASE', canaries: baseResp.plans.length },
    head: { source: head.label ?? 'HEAD', canaries: headResp.plans.length },
    summary,
    canaries,
    warnings: [
      ...(baseResp.warnings ?? []).map((w) => ({ ...w, side: 'base' })),
      ...(headResp.warnings ?? []).map((w) => ({ ...w, side: 'head' })),
    ],
  };
}

function compareOne({ canary, basePlan, headPlan, baseCanary, headCanary, base, head, defaultNamespace }) {
  const { namespace } = canary;
  const entry = {
    canary: { namespace, name: canary.name },
    status: !basePlan ? 'added' : !headPlan ? 'removed' : 'changed',
    decision: 'none',
    basis: 'core',
    message: '',
    target: { base: basePlan ? targetOf(baseCanary) : null, head: headPlan ? targetOf(headCanary) : null },
    reasons: [],
    alerts: [],
    notes: [],
    templateChanges: [],
    configChanges: [],
    unanalysed: [],
    error: headPlan?.error ?? null,
    baseError: basePlan?.error ?? null,
    notPreviewed: headPlan ? notPreviewed(headCanary) : [],
    warnings: headPlan?.warnings ?? [],
  };
  const say = (list, code, message, extra = {}) => list.push({ code, message, ...extra });

  if (!headPlan) {
    entry.decision = 'removed';
    const revert = baseCanary?.spec?.revertOnDeletion === true;
    say(
      entry.alerts,
      'canary-removed',
      revert
        ? 'Canary removed: spec.revertOnDeletion is set, so Flagger restores the target before its -primary objects are deleted'
        : 'Canary removed: its -primary objects are owned by the Canary and are deleted with it, while the target stays as Flagger left it (scaled to zero) — set spec.revertOnDeletion: true first to have Flagger restore it',
    );
    entry.message = DECISION_TEXT.removed;
    return entry;
  }

  // Pod template (or Service spec) and config changes.
  const tBase = basePlan ? targetOf(baseCanary) : null;
  const tHead = targetOf(headCanary);
  if (basePlan) {
    const bt = hashedPart(find(base.objects, tBase.kind, namespace, tBase.name, defaultNamespace), tBase.kind);
    const ht = hashedPart(find(head.objects, tHead.kind, namespace, tHead.name, defaultNamespace), tHead.kind);
    if (bt.value !== undefined && ht.value !== undefined)
      entry.templateChanges = changedPaths(bt.value, ht.value, ht.at);
    if (!basePlan.error)
      entry.configChanges = (headPlan.configChanges ?? []).map((c) => ({
        ref: c.ref,
        change: c.change,
        before: c.tracked ?? null,
        after: c.current ?? null,
      }));
    if (tBase.kind !== tHead.kind || tBase.name !== tHead.name) {
      say(
        entry.alerts,
        'retargeted',
        `Canary retargeted: ${tBase.kind} ${tBase.name} → ${tHead.kind} ${tHead.name}: Flagger creates ${tHead.name}-primary from HEAD's ${tHead.name}; ${tBase.name}-primary is owned by the Canary and stays until the Canary is deleted`,
        { from: tBase, to: tHead },
      );
    }
    const specOf = (c) => (isObj(c?.spec) ? c.spec : {});
    const analysis = changedPaths(specOf(baseCanary).analysis, specOf(headCanary).analysis, '/spec/analysis');
    if (analysis.length)
      say(
        entry.notes,
        'analysis-changed',
        `analysis settings changed (no analysis by themselves): ${pathsText(analysis)}`,
        { paths: analysis.map((p) => p.path) },
      );
    const { analysis: _a, targetRef: _t, ...bs } = specOf(baseCanary);
    const { analysis: _b, targetRef: _u, ...hs } = specOf(headCanary);
    const other = changedPaths(bs, hs, '/spec');
    if (other.length)
      say(entry.notes, 'canary-spec-changed', `Canary spec changed (no analysis by itself): ${pathsText(other)}`, {
        paths: other.map((p) => p.path),
      });
    entry.unanalysed = unanalysedChanges(headPlan, base.objects, head.objects, namespace, defaultNamespace);
    for (const u of entry.unanalysed)
      say(entry.alerts, 'unanalysed-change', u.message, { ref: u.ref, reason: u.reason, keys: u.keys });
  }

  // The decision.
  if (headPlan.error) {
    entry.decision = 'halted';
    if (!basePlan?.error)
      say(
        entry.alerts,
        'plan-fails',
        `HEAD's plan fails where BASE's did not: ${headPlan.error.code}: ${headPlan.error.message}; Flagger halts this Canary`,
      );
    else say(entry.notes, 'plan-still-fails', `the plan fails on both sides: ${headPlan.error.code}`);
  } else if (!basePlan) {
    entry.status = 'added';
    entry.decision = headPlan.analysis?.decision ?? 'initialize';
    say(
      entry.reasons,
      'first-run',
      'new Canary: Flagger initializes it (creates the -primary objects from HEAD, routes all traffic to them) without an analysis',
    );
  } else if (basePlan.error) {
    entry.decision = 'unknown';
    say(
      entry.notes,
      'plan-fixed',
      `BASE's plan fails (${basePlan.error.code}), HEAD's does not: Flagger halted on BASE, so the state HEAD lands on is not known here; compare HEAD with the cluster: plan FILES --status-from-cluster`,
    );
  } else {
    // The core decides when it hashed both sides' templates; otherwise (a core
    // without `analysis`, or a template it cannot hash) the manifests are compared.
    const coreHash =
      headPlan.analysis &&
      typeof basePlan.analysis?.specHash?.current === 'string' &&
      typeof headPlan.analysis.specHash?.current === 'string';
    if (coreHash) {
      entry.decision = headPlan.analysis.decision;
      for (const r of headPlan.analysis.reasons ?? [])
        if (r.code !== 'spec-changed' && r.code !== 'configs-changed') entry.reasons.push(r);
    } else {
      entry.basis = 'manifest-comparison';
      entry.decision = fallback(headCanary, entry.templateChanges.length > 0 || headPlan.configsChanged === true);
    }
    const specChanged = coreHash
      ? (headPlan.analysis.reasons ?? []).some((r) => r.code === 'spec-changed')
      : entry.templateChanges.length > 0;
    if (specChanged) {
      const where = entry.templateChanges.length
        ? pathsText(entry.templateChanges)
        : 'fields equal as manifests, different once the API server defaults them';
      say(
        entry.reasons,
        'spec-changed',
        `${tHead.kind === 'Service' ? 'Service spec' : 'pod template'} changed: ${where}`,
        { paths: entry.templateChanges.map((p) => p.path) },
      );
    } else if (entry.templateChanges.length) {
      say(
        entry.notes,
        'spec-equivalent',
        `the pod template differs as written (${pathsText(entry.templateChanges)}) but not once the API server defaults it: Flagger sees no change`,
      );
    }
    if (headPlan.configsChanged === true) {
      const list = entry.configChanges.map((c) => `${c.ref} ${c.change}`).join(', ');
      say(entry.reasons, 'configs-changed', `tracked configs changed: ${list}`, {
        refs: entry.configChanges.map((c) => c.ref),
      });
    }
    if (headCanary?.spec?.skipAnalysis === true && ROLLOUT_DECISIONS.has(entry.decision))
      say(entry.reasons, 'skip-analysis', 'spec.skipAnalysis is true: Flagger promotes without an analysis');
    if (entry.decision === 'suspended')
      say(entry.reasons, 'suspended', 'spec.suspend is true: Flagger does not act on this Canary');
  }
  const touched =
    entry.templateChanges.length ||
    entry.configChanges.length ||
    entry.alerts.length ||
    entry.reasons.length ||
    entry.notes.some((n) => n.code !== 'plan-still-fails');
  if (entry.status === 'changed' && !touched) entry.status = 'unchanged';
  entry.message = DECISION_TEXT[entry.decision] ?? entry.decision;
  return entry;
}

function fallback(canary, changed) {
  const spec = isObj(canary?.spec) ? canary.spec : {};
  if (spec.suspend === true) return 'suspended';
  if (!changed) return 'none';
  return spec.skipAnalysis === true ? 'promote-without-analysis' : 'start';
}

/** The exit code `--exit-code` asks for: 3 iff some decision starts a rollout. */
export function rolloutStarts(diff) {
  return diff.canaries.some((c) => ROLLOUT_DECISIONS.has(c.decision));
}
