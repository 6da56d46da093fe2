// One Canary's plan as a page section, from the view model the worker made
// (prepare.js). Data only ever becomes text.

import { diffView } from './diffview.js';
import { h } from './dom.js';
import { configRows } from './model.js';

const KIND = { configmap: 'ConfigMap', secret: 'Secret' };
const REASON = {
  'secret-type': 'Secret type',
  'opt-out': 'opted out',
  'optional-missing': 'optional, absent',
  'missing-skipped': 'absent, skipped',
  'tracking-disabled': 'tracking disabled',
};
/** Characters of one object's YAML drawn in the page; Copy and Download give all of it. */
const SHOWN = 200_000;

/** An error (core, parse or cluster) as a readable block. */
export function errorBox(err, where) {
  return h(
    'div',
    { class: 'msg error', role: 'alert' },
    h('strong', null, err.code ? `${err.code}: ` : 'Error: '),
    err.message ?? String(err),
    err.ref ? h('div', null, 'Config: ', h('code', null, err.ref)) : null,
    where ? h('div', null, 'In: ', where) : null,
    HINT[err.code] ? h('div', { class: 'hint-line' }, HINT[err.code]) : null,
  );
}

const HINT = {
  'config-not-found':
    'Flagger stops here: add the missing object to the input (or the cluster), or mark the reference optional: true.',
  'target-not-found': 'Add the target to the input, or fix spec.targetRef.',
  'unsupported-target-kind': "Flagger's Kubernetes controller handles Deployment, DaemonSet and Service targets.",
};

function configTable(plan, status) {
  const rows = configRows(plan);
  if (plan.error && rows.length === 0)
    return h(
      'p',
      { class: 'muted' },
      'Flagger stops at the error above: it writes no status.trackedConfigs and creates no primary objects.',
    );
  if (rows.length === 0)
    return h(
      'p',
      { class: 'muted' },
      plan.target?.kind === 'Service'
        ? 'Service targets have no pod spec: Flagger tracks no configs.'
        : 'The pod spec references no ConfigMap or Secret.',
    );
  const sum = (s) => (s ? h('code', null, s) : h('span', { class: 'muted' }, '—'));
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'configs' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Kind', 'Name', 'Current checksum', 'Checksum in Canary status', 'State'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) => {
          const [prefix, ...rest] = r.ref.split('/');
          return h(
            'tr',
            { 'data-ref': r.ref, 'data-state': r.state },
            h('td', { class: 'kind' }, KIND[prefix] ?? prefix),
            h('td', { class: 'name' }, rest.join('/')),
            h('td', { class: 'current' }, sum(r.current)),
            h('td', { class: 'status' }, sum(r.status)),
            h(
              'td',
              { class: 'state' },
              h(
                'span',
                { class: `badge ${r.state.replace(' ', '-')}` },
                r.reason ? `${r.state}: ${REASON[r.reason] ?? r.reason}` : r.state,
              ),
              h('div', { class: 'why' }, r.why),
            ),
          );
        }),
      ),
    ),
  );
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
  setTimeout(() => {
    button.textContent = 'Copy';
  }, 1500);
}

/** One object (already masked YAML) with Copy and Download buttons. */
function objectBlock(o, open) {
  const title = `${o.kind} ${o.namespace}/${o.name}`;
  const file = `${o.kind.toLowerCase()}-${o.name || 'object'}.yaml`;
  const copyBtn = h('button', { type: 'button', class: 'small' }, 'Copy');
  copyBtn.addEventListener('click', () => copy(o.text, copyBtn));
  const cut = o.text.length > SHOWN;
  return h(
    'details',
    { class: 'object', open },
    h(
      'summary',
      null,
      h('span', { class: 'kind' }, o.kind),
      ' ',
      `${o.namespace}/${o.name}`,
      o.secret ? h('span', { class: 'muted' }, ' · values masked') : null,
    ),
    h(
      'div',
      { class: 'actions' },
      copyBtn,
      h(
        'button',
        { type: 'button', class: 'small', onclick: () => download(file, o.text), 'aria-label': `Download ${title}` },
        'Download',
      ),
    ),
    h('pre', { class: 'yaml' }, h('code', null, cut ? o.text.slice(0, SHOWN) : o.text)),
    cut
      ? h(
          'p',
          { class: 'muted' },
          `Showing the first ${SHOWN.toLocaleString('en')} of ${o.text.length.toLocaleString('en')} characters; Copy and Download give all of it.`,
        )
      : null,
  );
}

function podTemplate(plan, diff) {
  if (!diff) return null;
  return h(
    'section',
    { class: 'card' },
    h('h3', null, `Pod template: ${diff.from} vs ${diff.to}`),
    h(
      'p',
      { class: 'muted' },
      'What the primary runs, against the target. Marked: what Flagger changes; ',
      h('mark', { class: 'primary' }, '-primary'),
      ' marks each rename.',
    ),
    diffView(diff.rows, 'pod template diff'),
    plan.rewrites?.length
      ? h(
          'details',
          { class: 'rewrites' },
          h(
            'summary',
            null,
            `${plan.rewrites.length} rename${plan.rewrites.length === 1 ? '' : 's'} in the primary workload`,
          ),
          h(
            'div',
            { class: 'scroll' },
            h(
              'table',
              null,
              h('thead', null, h('tr', null, h('th', null, 'Path'), h('th', null, 'From'), h('th', null, 'To'))),
              h(
                'tbody',
                null,
                plan.rewrites.map((r) =>
                  h('tr', null, h('td', null, h('code', null, r.path)), h('td', null, r.from), h('td', null, r.to)),
                ),
              ),
            ),
          ),
        )
      : null,
  );
}

const hash = (s) => (s ? h('code', null, s) : h('span', { class: 'muted' }, 'none'));

/** The whole verdict: decision, its reasons, the spec hash now against the Canary's status. */
function verdictBlock(v) {
  const s = v.specHash;
  return [
    h(
      'p',
      { class: 'verdict-line' },
      h('span', { class: `decision ${v.cls}`, 'data-decision': v.decision }, v.label),
      ' ',
      h('span', { class: `verdict ${v.cls}`, 'data-verdict': v.cls }, v.text),
    ),
    v.message ? h('p', { class: 'verdict-message' }, v.message) : null,
    v.basis === 'configs-only'
      ? h(
          'p',
          { class: 'verdict-message basis' },
          "Decided from the configs and the Canary's phase only: this planner has no spec hash, so a pod-template change is not seen.",
        )
      : null,
    v.reasons.length
      ? h(
          'ul',
          { class: 'reasons' },
          v.reasons.map((r) => h('li', { 'data-code': r.code }, h('code', null, r.code), ' ', r.message)),
        )
      : null,
    s
      ? h(
          'dl',
          { class: 'spechash', 'data-same': s.same == null ? null : String(s.same) },
          h('dt', null, 'Pod spec hash now'),
          h(
            'dd',
            { class: 'current' },
            hash(s.current),
            s.form ? h('span', { class: 'muted' }, ` (${s.form}${s.exact === false ? ', not exact' : ''})`) : null,
          ),
          h('dt', null, 'status.lastAppliedSpec'),
          h(
            'dd',
            { class: 'last-applied' },
            hash(s.lastApplied),
            s.same === true
              ? h('span', { class: 'muted' }, ' · same: the spec did not change')
              : s.same === false
                ? h('strong', null, ' · differs: the spec changed')
                : null,
          ),
          s.lastPromoted ? [h('dt', null, 'status.lastPromotedSpec'), h('dd', null, hash(s.lastPromoted))] : null,
          s.unsupported ? [h('dt', null, 'Not computed'), h('dd', { class: 'unsupported' }, s.unsupported)] : null,
        )
      : null,
    v.upgrade
      ? h(
          'p',
          { class: 'upgrade' },
          `Upgrade ${v.upgrade.from ?? '?'} → ${v.upgrade.to ?? '?'}: `,
          v.upgrade.startsAnalysis ? h('strong', null, 'starts an analysis') : 'no analysis',
          v.upgrade.message ? ` — ${v.upgrade.message}` : '',
        )
      : null,
  ];
}

/** @param {ReturnType<import('./prepare.js').viewModel>} vm */
export function planView(vm) {
  const { plan, verdict } = vm;
  const t = plan.target;
  return h(
    'article',
    { class: 'plan', 'data-canary': `${plan.canary.namespace}/${plan.canary.name}`, 'data-decision': verdict.decision },
    h(
      'header',
      { class: 'plan-head' },
      h('h2', null, 'Canary ', h('span', { class: 'id' }, `${plan.canary.namespace}/${plan.canary.name}`)),
      h(
        'p',
        { class: 'target' },
        'Target: ',
        t
          ? [
              h('strong', { class: 'target-kind' }, t.kind),
              ` ${t.namespace}/${t.name}`,
              t.apiVersion ? h('span', { class: 'muted' }, ` (${t.apiVersion})`) : null,
            ]
          : '—',
        h('span', { class: 'muted' }, ` · Flagger ${plan.flaggerVersion}`),
      ),
      verdictBlock(verdict),
    ),
    plan.error ? errorBox(plan.error, vm.errorWhere) : null,
    h('section', { class: 'card' }, h('h3', null, 'Tracked configs'), configTable(plan, vm.status)),
    plan.warnings?.length
      ? h(
          'section',
          { class: 'card' },
          h('h3', null, `Warnings (${plan.warnings.length})`),
          h(
            'ul',
            { class: 'warnings' },
            plan.warnings.map((w) => h('li', { 'data-code': w.code }, h('code', null, w.code), ' ', w.message)),
          ),
        )
      : null,
    podTemplate(plan, vm.diff),
    vm.notPreviewed?.length
      ? h(
          'section',
          { class: 'card not-previewed' },
          h('h3', null, 'Also written by Flagger, not previewed here'),
          h(
            'ul',
            null,
            vm.notPreviewed.map((n) =>
              h('li', null, n.name ? [h('strong', null, n.kind), ' ', h('code', null, n.name), ': '] : null, n.why),
            ),
          ),
        )
      : null,
    vm.made.length
      ? h(
          'section',
          { class: 'card' },
          h('h3', null, 'Objects Flagger creates'),
          vm.made.map((o, i) => objectBlock(o, i < 2 && vm.made.length <= 3)),
        )
      : null,
  );
}
