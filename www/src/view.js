// One Canary's plan as a page section. Data only ever becomes text.
import { h } from './dom.js';
import { diffView } from './diffview.js';
import { safe, yaml } from './show.js';

const KIND = { configmap: 'ConfigMap', secret: 'Secret' };
const REASON = {
  'secret-type': 'Secret type',
  'opt-out': 'opted out',
  'optional-missing': 'optional, absent',
  'missing-skipped': 'absent, skipped',
  'tracking-disabled': 'tracking disabled',
};

export const verdictText = (plan) =>
  plan.error ? 'Flagger would fail on this Canary' : plan.configsChanged ? 'A config change will start a canary analysis' : 'No config change';
export const verdictClass = (plan) => (plan.error ? 'failed' : plan.configsChanged ? 'changed' : 'same');

const ns = (o) => o?.metadata?.namespace || 'default';
const find = (objects, kind, namespace, name) =>
  objects.find((o) => o?.kind === kind && o?.metadata?.name === name && ns(o) === namespace);

/** An error (core, parse or cluster) as a readable block. */
export function errorBox(err, where) {
  return h('div', { class: 'msg error', role: 'alert' },
    h('strong', null, err.code ? `${err.code}: ` : 'Error: '), err.message ?? String(err),
    err.ref ? h('div', null, 'Config: ', h('code', null, err.ref)) : null,
    where ? h('div', null, 'In: ', where) : null,
    HINT[err.code] ? h('div', { class: 'hint-line' }, HINT[err.code]) : null);
}

/** Rows of the tracked-configs table: every ref Flagger tracks, tracked before, or skips. */
export function configRows(plan, canary) {
  const tracked = plan.trackedConfigs ?? {};
  const status = canary?.status?.trackedConfigs;
  const changes = new Map(plan.configChanges.map((c) => [c.ref, c]));
  const untracked = new Map(plan.untrackedConfigs.map((u) => [u.ref, u]));
  const rows = [];
  for (const [ref, sum] of Object.entries(tracked)) {
    const c = changes.get(ref);
    const state = c?.change ?? 'unchanged';
    const why = state === 'added'
      ? status ? 'not in the Canary\'s status.trackedConfigs' : 'first run: the Canary has no status.trackedConfigs yet'
      : state === 'modified' ? 'content differs from the checksum in the Canary\'s status' : 'same checksum as in the Canary\'s status';
    rows.push({ ref, current: sum, status: c ? c.tracked : sum, state, why });
  }
  for (const c of plan.configChanges.filter((c) => c.change === 'removed')) {
    const u = untracked.get(c.ref);
    rows.push({ ref: c.ref, current: null, status: c.tracked, state: 'removed', why: u ? u.message : 'in the Canary\'s status but no longer referenced' });
  }
  for (const u of plan.untrackedConfigs) {
    if (!changes.has(u.ref)) rows.push({ ref: u.ref, current: null, status: status?.[u.ref] ?? null, state: 'not tracked', reason: u.reason, why: u.message });
  }
  return rows;
}

const HINT = {
  'config-not-found': 'Flagger stops here: add the missing object to the input (or the cluster), or mark the reference optional: true.',
  'target-not-found': 'Add the target to the input, or fix spec.targetRef.',
  'unsupported-target-kind': 'Flagger\'s Kubernetes controller handles Deployment, DaemonSet and Service targets.',
};

function configTable(plan, canary) {
  const rows = configRows(plan, canary);
  if (plan.error && rows.length === 0) return h('p', { class: 'muted' }, 'Flagger stops at the error above: it writes no status.trackedConfigs and creates no primary objects.');
  if (rows.length === 0) return h('p', { class: 'muted' }, plan.target?.kind === 'Service' ? 'Service targets have no pod spec: Flagger tracks no configs.' : 'The pod spec references no ConfigMap or Secret.');
  const sum = (s) => (s ? h('code', null, s) : h('span', { class: 'muted' }, '—'));
  return h('div', { class: 'scroll' }, h('table', { class: 'configs' },
    h('thead', null, h('tr', null, ['Kind', 'Name', 'Current checksum', 'Checksum in Canary status', 'State'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows.map((r) => {
      const [prefix, ...rest] = r.ref.split('/');
      return h('tr', { 'data-ref': r.ref, 'data-state': r.state },
        h('td', { class: 'kind' }, KIND[prefix] ?? prefix), h('td', { class: 'name' }, rest.join('/')),
        h('td', { class: 'current' }, sum(r.current)), h('td', { class: 'status' }, sum(r.status)),
        h('td', { class: 'state' }, h('span', { class: `badge ${r.state.replace(' ', '-')}` }, r.reason ? `${r.state}: ${REASON[r.reason] ?? r.reason}` : r.state),
          h('div', { class: 'why' }, r.why)));
    }))));
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Copy failed';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

/** One object as YAML with Copy and Download buttons. */
function objectBlock(obj, open) {
  const shown = safe(obj);
  const text = yaml(shown);
  const title = `${obj.kind} ${ns(obj)}/${obj.metadata?.name ?? ''}`;
  const file = `${String(obj.kind).toLowerCase()}-${obj.metadata?.name ?? 'object'}.yaml`;
  const copyBtn = h('button', { type: 'button', class: 'small' }, 'Copy');
  copyBtn.addEventListener('click', () => copy(text, copyBtn));
  return h('details', { class: 'object', open },
    h('summary', null, h('span', { class: 'kind' }, obj.kind), ' ', `${ns(obj)}/${obj.metadata?.name ?? ''}`,
      obj.kind === 'Secret' ? h('span', { class: 'muted' }, ' · values masked') : null),
    h('div', { class: 'actions' }, copyBtn,
      h('button', { type: 'button', class: 'small', onclick: () => download(file, text), 'aria-label': `Download ${title}` }, 'Download')),
    h('pre', { class: 'yaml' }, h('code', null, text)));
}

function podTemplate(plan, target) {
  if (plan.target?.kind === 'Service') return null;
  const after = plan.primaryWorkload?.spec?.template;
  const before = target?.spec?.template;
  if (!after || !before) return null;
  return h('section', { class: 'card' },
    h('h3', null, `Pod template: ${plan.target.name} vs ${plan.primaryWorkload.metadata?.name}`),
    h('p', { class: 'muted' }, 'What the primary runs, against the target. Marked: what Flagger changes; ', h('mark', { class: 'primary' }, '-primary'), ' marks each rename.'),
    diffView(yaml(safe(before)), yaml(safe(after)), 'pod template diff'),
    plan.rewrites.length
      ? h('details', { class: 'rewrites' }, h('summary', null, `${plan.rewrites.length} rename${plan.rewrites.length === 1 ? '' : 's'} in the primary workload`),
        h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, h('th', null, 'Path'), h('th', null, 'From'), h('th', null, 'To'))),
          h('tbody', null, plan.rewrites.map((r) => h('tr', null, h('td', null, h('code', null, r.path)), h('td', null, r.from), h('td', null, r.to)))))))
      : null);
}

/**
 * @param {any} plan one entry of the core's `plans`
 * @param {{objects: object[], where: (path?: string) => string|null}} ctx
 */
export function planView(plan, ctx) {
  const canary = find(ctx.objects, 'Canary', plan.canary.namespace, plan.canary.name);
  const t = plan.target;
  const target = t && find(ctx.objects, t.kind, t.namespace, t.name);
  const made = [...plan.primaryConfigs, plan.primaryWorkload, plan.services?.primary, plan.services?.canary].filter(Boolean);
  return h('article', { class: 'plan', 'data-canary': `${plan.canary.namespace}/${plan.canary.name}` },
    h('header', { class: 'plan-head' },
      h('h2', null, 'Canary ', h('span', { class: 'id' }, `${plan.canary.namespace}/${plan.canary.name}`)),
      h('p', { class: 'target' }, 'Target: ', t ? [h('strong', { class: 'target-kind' }, t.kind), ` ${t.namespace}/${t.name}`, t.apiVersion ? h('span', { class: 'muted' }, ` (${t.apiVersion})`) : null] : '—',
        h('span', { class: 'muted' }, ` · Flagger ${plan.flaggerVersion}`)),
      h('p', { class: `verdict ${verdictClass(plan)}`, 'data-verdict': verdictClass(plan) }, verdictText(plan))),
    plan.error ? errorBox(plan.error, ctx.where(plan.error.path)) : null,
    h('section', { class: 'card' }, h('h3', null, 'Tracked configs'), configTable(plan, canary)),
    plan.warnings.length
      ? h('section', { class: 'card' }, h('h3', null, `Warnings (${plan.warnings.length})`),
        h('ul', { class: 'warnings' }, plan.warnings.map((w) => h('li', { 'data-code': w.code }, h('code', null, w.code), ' ', w.message))))
      : null,
    podTemplate(plan, target),
    made.length
      ? h('section', { class: 'card' }, h('h3', null, 'Objects Flagger creates'), made.map((o, i) => objectBlock(o, i < 2 && made.length <= 3)))
      : null);
}
