// Flagger's decision for each plan, and what a plan does not preview.
// Browser-safe.
//
// The core's `analysis` (the whole verdict: pod-template spec hash, the
// scheduler's phases) is used when the response has it. Without it, the
// decision is derived from what the plan does know: the Canary's phase and
// Flagger's config verdict; a pod-template change cannot be seen then, which
// `basis` says.

/** Decisions meaning "Flagger runs or finishes a rollout now" (`--exit-code` exits 3). */
export const ROLLOUT_DECISIONS = new Set(['start', 'restart', 'promote-without-analysis']);

/** Words for each decision. */
export const DECISION_TEXT = {
  initialize: 'Flagger creates the primary objects; no analysis',
  start: 'a canary analysis starts',
  restart: 'the running analysis restarts with the new revision',
  continue: 'the running analysis continues',
  none: 'no analysis',
  'promote-without-analysis': 'promoted WITHOUT analysis (skipAnalysis)',
  'rollback-noop': 'back to the promoted revision: no analysis',
  suspended: 'suspended: Flagger does not act on it',
  unknown: 'unknown',
  halted: 'Flagger halts this Canary: its plan fails',
  removed: 'Canary removed',
};

const RUNNING = new Set(['Progressing', 'WaitingPromotion']);

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A Canary's key in maps (NUL cannot occur in a name: keys never collide). */
export function canaryId(ns, name) {
  return `${ns}\0${name}`;
}

/**
 * The Canary objects of a request by `canaryId` (a later duplicate
 * wins, as in the core).
 * @param {any[]} objects
 * @param {string} defaultNamespace
 * @returns {Map<string, any>}
 */
export function canariesById(objects, defaultNamespace) {
  const out = new Map();
  for (const o of objects) {
    if (!isObj(o) || o.kind !== 'Canary' || !String(o.apiVersion ?? '').startsWith('flagger.app/')) continue;
    const name = o.metadata?.name;
    if (typeof name !== 'string') continue;
    const ns = typeof o.metadata.namespace === 'string' ? o.metadata.namespace : defaultNamespace;
    out.set(canaryId(ns, name), o);
  }
  return out;
}

/**
 * The decision for one plan.
 * @param {any} plan a plan of the core's response
 * @param {any} [canary] the Canary object planned (for its phase and flags)
 * @returns {{decision: string, basis: 'core'|'configs-only', message: string}}
 *   `configs-only`: decided without the pod-template hash (a core without
 *   `analysis`): a pod-template change is not seen
 */
export function planDecision(plan, canary) {
  if (plan.analysis?.decision) {
    const a = plan.analysis;
    return { decision: a.decision, basis: 'core', message: a.message || DECISION_TEXT[a.decision] || a.decision };
  }
  const d = fallbackDecision(plan, canary);
  return { decision: d, basis: 'configs-only', message: DECISION_TEXT[d] };
}

function fallbackDecision(plan, canary) {
  if (plan.error) return 'halted';
  const spec = isObj(canary?.spec) ? canary.spec : {};
  if (spec.suspend === true) return 'suspended';
  const phase = isObj(canary?.status) && typeof canary.status.phase === 'string' ? canary.status.phase : '';
  if (phase === '' || phase === 'Initializing') return 'initialize';
  if (plan.configsChanged !== true) return 'none';
  if (spec.skipAnalysis === true) return 'promote-without-analysis';
  return RUNNING.has(phase) ? 'restart' : 'start';
}

/** Mesh/ingress objects Flagger writes per provider (pkg/router), by the apex Service name. */
const ROUTES = [
  [
    /^istio$/,
    (apex) => [
      ['VirtualService', apex],
      ['DestinationRule', `${apex}-primary`],
      ['DestinationRule', `${apex}-canary`],
    ],
  ],
  [/^(linkerd|osm|smi(:.*)?)$/, (apex) => [['TrafficSplit', apex]]],
  [/^contour$/, (apex) => [['HTTPProxy', apex]]],
  [/^gloo/, (apex) => [['RouteTable', apex]]],
  [/^traefik$/, (apex) => [['TraefikService', apex]]],
  [/^kuma$/, (apex) => [['TrafficRoute', apex]]],
  [/^gatewayapi/, (apex) => [['HTTPRoute', apex]]],
  [
    /^appmesh/,
    (apex) => [
      ['VirtualNode', `${apex}-primary`],
      ['VirtualNode', `${apex}-canary`],
      ['VirtualService', apex],
      ['VirtualRouter', apex],
    ],
  ],
  [
    /^apisix$/,
    (apex, spec) =>
      isObj(spec.routeRef) && spec.routeRef.name ? [['ApisixRoute', `${spec.routeRef.name}-${apex}-canary`]] : [],
  ],
  [/^(kubernetes|nginx|skipper|knative)$/, () => []],
];

/**
 * What Flagger also writes for this Canary that the plan does not model, so
 * a report never looks complete when it is not.
 * @param {any} canary
 * @returns {{kind: string, name: string, why: string}[]}
 */
export function notPreviewed(canary) {
  const spec = isObj(canary?.spec) ? canary.spec : {};
  const ref = isObj(spec.targetRef) ? spec.targetRef : {};
  const service = isObj(spec.service) ? spec.service : null;
  const apex = typeof service?.name === 'string' && service.name ? service.name : String(ref.name ?? '');
  const out = [];
  if ((ref.kind === 'Deployment' || ref.kind === 'DaemonSet') && service) {
    for (const n of [apex, `${apex}-primary`, `${apex}-canary`])
      out.push({ kind: 'Service', name: n, why: 'generated from spec.service' });
  }
  if (isObj(spec.autoscalerRef) && typeof spec.autoscalerRef.name === 'string') {
    const kind = typeof spec.autoscalerRef.kind === 'string' ? spec.autoscalerRef.kind : 'HorizontalPodAutoscaler';
    out.push({ kind, name: `${spec.autoscalerRef.name}-primary`, why: 'copy of spec.autoscalerRef' });
  }
  if (isObj(spec.ingressRef) && typeof spec.ingressRef.name === 'string') {
    out.push({ kind: 'Ingress', name: `${spec.ingressRef.name}-canary`, why: 'canary copy of spec.ingressRef' });
  }
  if (service) {
    const provider = typeof spec.provider === 'string' ? spec.provider : undefined;
    if (provider === undefined) {
      out.push({
        kind: 'routing',
        name: '',
        why: "traffic routing of Flagger's -mesh-provider (spec.provider is not set)",
      });
    } else {
      const rule = ROUTES.find(([re]) => re.test(provider));
      if (!rule) out.push({ kind: 'routing', name: '', why: `traffic routing of provider ${provider}` });
      else
        for (const [kind, name] of rule[1](apex, spec)) out.push({ kind, name, why: `routing (provider ${provider})` });
    }
  }
  return out;
}

/**
 * Per plan of a response: its decision and what is not previewed, keyed by
 * `canaryId`.
 * @param {{objects: any[], options?: {defaultNamespace?: string}}} request
 * @param {{plans: any[]}} response
 */
export function planExtras(request, response) {
  const canaries = canariesById(request.objects, request.options?.defaultNamespace ?? 'default');
  const out = new Map();
  for (const p of response.plans ?? []) {
    const id = canaryId(p.canary.namespace, p.canary.name);
    const canary = canaries.get(id);
    out.set(id, { ...planDecision(p, canary), notPreviewed: notPreviewed(canary) });
  }
  return out;
}
