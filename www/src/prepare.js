// What the page needs to draw one Canary's plan, made in the worker: the
// plan without object bodies, the verdict, the YAML of the objects Flagger
// creates (Secret values masked here, so they never reach the page) and the
// pod template diff rows. The page only turns this into DOM.
import { notPreviewed, planDecision } from 'canary-tracker/decision';
import { diffRows } from './diffrows.js';
import { verdict } from './model.js';
import { safe, yaml } from './show.js';

/** Plan fields the page shows; the object bodies travel as masked YAML instead. */
const FIELDS = [
  'canary',
  'target',
  'flaggerVersion',
  'error',
  'trackedConfigs',
  'configsChanged',
  'configChanges',
  'untrackedConfigs',
  'configs',
  'warnings',
  'rewrites',
  'analysis',
  'upgrade',
];

const ns = (o) => (typeof o?.metadata?.namespace === 'string' && o.metadata.namespace) || 'default';
const id = (kind, namespace, name) => `${kind}\0${namespace}\0${name}`;

/** Objects by kind/namespace/name; a later duplicate wins, as in the core. */
export function objectIndex(objects) {
  const index = new Map();
  for (const o of objects) {
    if (o && typeof o.kind === 'string' && typeof o.metadata?.name === 'string')
      index.set(id(o.kind, ns(o), o.metadata.name), o);
  }
  return (kind, namespace, name) => index.get(id(kind, namespace, name));
}

/** The package's decision for a plan, from the Canary object it planned. */
export function decide(plan, find) {
  return planDecision(plan, find('Canary', plan.canary.namespace, plan.canary.name));
}

/** A status.trackedConfigs map as strings only (it is untrusted input). */
function trackedStatus(canary) {
  const t = canary?.status?.trackedConfigs;
  if (!t || typeof t !== 'object' || Array.isArray(t)) return null;
  return Object.fromEntries(Object.entries(t).filter(([, v]) => typeof v === 'string'));
}

function objectText(o) {
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  return { kind: String(o.kind), namespace: ns(o), name, secret: o.kind === 'Secret', text: yaml(safe(o)) };
}

/**
 * @param {any} plan one plan of the core's response
 * @param {{find: ReturnType<typeof objectIndex>, where: (path?: string) => string|null|undefined}} ctx
 */
export function viewModel(plan, ctx) {
  const canary = ctx.find('Canary', plan.canary.namespace, plan.canary.name);
  const t = plan.target;
  const target = t && ctx.find(t.kind, t.namespace, t.name);
  const made = [
    ...(plan.primaryConfigs ?? []),
    plan.primaryWorkload,
    plan.services?.primary,
    plan.services?.canary,
  ].filter(Boolean);
  const before = target?.spec?.template;
  const after = plan.primaryWorkload?.spec?.template;
  const diff =
    t?.kind !== 'Service' && before && after
      ? {
          from: t.name,
          to: String(plan.primaryWorkload.metadata?.name ?? ''),
          rows: diffRows(yaml(safe(before)), yaml(safe(after))),
        }
      : null;
  return {
    plan: Object.fromEntries(FIELDS.filter((f) => f in plan).map((f) => [f, plan[f]])),
    verdict: verdict(plan, planDecision(plan, canary)),
    notPreviewed: notPreviewed(canary),
    status: trackedStatus(canary),
    errorWhere: plan.error ? (ctx.where(plan.error.path) ?? null) : null,
    diff,
    made: made.map(objectText),
  };
}
