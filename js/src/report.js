// Human-readable reports (plan, diff) and JSON output (YAML: yaml-out.js). Browser-safe.
// No function prints a Secret value unless the caller passes a response
// that still holds them (the CLI redacts first unless --show-secrets). Every
// text line goes through escapeControl: names and messages from the input
// never reach a terminal as control characters.

import { canaryId, DECISION_TEXT } from './decision.js';
import { escapeControl, escapeRawInData } from './escape.js';

/** The verdict in words (the core's decision when the plan has one). */
export function verdictText(plan) {
  if (plan.analysis?.decision)
    return `${plan.analysis.decision}: ${plan.analysis.message || DECISION_TEXT[plan.analysis.decision] || ''}`;
  if (plan.error) return 'none: Flagger stops on an error for this Canary';
  if (plan.configsChanged === true) return 'config change: a canary analysis will start';
  if (plan.configsChanged === false) return 'no config change';
  return 'unknown';
}

/**
 * Where `/objects/N/...` came from, given the loader's origins.
 * @param {string | undefined} path a JSON pointer into the request
 * @param {import('./parse.js').Origin[] | undefined} origins
 * @returns {string | undefined} e.g. `app.yaml (document 3, line 41)`
 */
export function locate(path, origins) {
  const m = /^\/objects\/(\d+)(\/|$)/.exec(path ?? '');
  const o = m && origins ? origins[Number(m[1])] : undefined;
  if (!o) return undefined;
  const item = o.item != null ? `, item ${o.item}` : '';
  return `${o.file} (document ${o.document}${item}, line ${o.line})`;
}

/** One line for a coded error: `code: message (ref) [at where]`. */
export function errorLine(error, origins) {
  const where = locate(error.path, origins);
  const ref = error.ref ? ` [${error.ref}]` : '';
  const at = where
    ? ` in ${where} at ${error.path.replace(/^\/objects\/\d+/, '') || '/'}`
    : error.path
      ? ` at ${error.path}`
      : '';
  return `${error.code}: ${error.message}${ref}${at}`;
}

/** Aligned columns; cells are escaped first so widths hold. */
function table(out, rows, indent = '  ') {
  const cells = rows.map((r) => r.map((c) => escapeControl(c)));
  const widths = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  // One push a line: `out.push(...lines)` overflows the stack on a large input.
  for (const r of cells)
    out.push((indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).trimEnd());
}

/** Lines as terminal-safe text: a newline or escape inside a line is shown, never acted on. */
function lines(out) {
  return `${out.map((l) => escapeControl(l)).join('\n')}\n`;
}

/**
 * The configs a plan looked at, with their status:
 * unchanged / modified / added / removed.
 */
export function configRows(plan) {
  // The core's rows (plan.configs); "Not tracked" has its own table below.
  return (plan.configs ?? [])
    .filter((c) => c.state !== 'not-tracked')
    .map((c) => ({
      ref: c.ref,
      checksum: c.current ?? '-',
      status: c.state === 'modified' || c.state === 'removed' ? `${c.state} (was ${c.tracked})` : c.state,
    }));
}

function objectName(o) {
  return `${o?.kind ?? '?'}/${o?.metadata?.name ?? '?'}`;
}

/**
 * Extra facts per Canary (by `canaryId`) the CLI knows beyond the plan.
 * @typedef {Map<string, {decision?: string, message?: string, basis?: string,
 *   notPreviewed?: {kind: string, name: string, why: string}[], status?: string}>} Extras
 */

/**
 * A text report of a whole response, one section per Canary.
 * @param {any} response `{"plans": [...], "warnings"?: [...]}`
 * @param {{origins?: import('./parse.js').Origin[], extras?: Extras,
 *   inputWarnings?: {code: string, message: string}[]}} [opts]
 */
/** `59ddb854d4 (manifest form, approximate; lastAppliedSpec 5b8d9c7f6d)` */
function specHashText(h) {
  if (!h.current) return `not reproduced: ${h.unsupported}`;
  const form = h.exact ? `Flagger's, ${h.layout}` : `${h.form} form, approximate, ${h.layout}`;
  const applied = h.lastApplied ? `; lastAppliedSpec ${h.lastApplied}` : '; no lastAppliedSpec';
  return `${h.current} (${form}${applied})`;
}

export function textReport(response, opts = {}) {
  const out = [];
  const plans = response.plans ?? [];
  if (plans.length === 0) out.push('No Canary in the input.');
  for (const plan of plans) {
    if (out.length) out.push('');
    out.push(`Canary ${plan.canary.namespace}/${plan.canary.name}`);
    const t = plan.target;
    const extra = opts.extras?.get(canaryId(plan.canary.namespace, plan.canary.name));
    const rows = [
      ['target:', t ? `${t.kind} ${t.namespace}/${t.name}` : '-'],
      ['Flagger:', plan.flaggerVersion],
    ];
    if (extra?.status) rows.push(['status:', extra.status]);
    rows.push(['verdict:', extra?.decision ? `${extra.decision}: ${extra.message}` : verdictText(plan)]);
    if (extra?.basis === 'configs-only' && (extra.decision === 'none' || extra.decision === 'start')) {
      rows.push(['', 'from the configs only: this core does not hash the pod template yet']);
    }
    // The why, from the core's analysis (issue 15): each reason, then the spec hashes compared.
    const a = plan.analysis;
    for (const [i, r] of (a?.reasons ?? []).entries()) rows.push([i ? '' : 'why:', r.message]);
    if (a?.specHash?.current || a?.specHash?.unsupported) rows.push(['spec hash:', specHashText(a.specHash)]);
    table(out, rows);
    if (plan.error) {
      out.push(`  error: ${errorLine(plan.error, opts.origins)}`);
    }

    if (plan.trackedConfigs === null || plan.trackedConfigs === undefined) {
      if (!plan.error && plan.target?.kind === 'Service') out.push('', '  Service target: Flagger tracks no configs.');
    } else {
      const rows = configRows(plan);
      out.push('', '  Tracked configs');
      if (rows.length === 0) out.push('    (none)');
      else table(out, [['REF', 'CHECKSUM', 'STATUS'], ...rows.map((r) => [r.ref, r.checksum, r.status])], '    ');
    }

    if ((plan.untrackedConfigs ?? []).length) {
      out.push('', '  Not tracked');
      table(
        out,
        plan.untrackedConfigs.map((u) => [u.ref, u.reason, u.message]),
        '    ',
      );
    }

    const created = [...(plan.primaryConfigs ?? [])];
    if (plan.primaryWorkload) created.push(plan.primaryWorkload);
    if (plan.services) created.push(plan.services.primary, plan.services.canary);
    if (created.length) {
      out.push('', '  Objects Flagger creates or updates');
      for (const o of created) out.push(`    ${objectName(o)}`);
    }

    if ((plan.rewrites ?? []).length) {
      out.push('', '  References rewritten in the primary');
      table(
        out,
        plan.rewrites.map((r) => [r.path, `${r.from} → ${r.to}`]),
        '    ',
      );
    }

    if ((plan.warnings ?? []).length) {
      out.push('', '  Warnings');
      for (const w of plan.warnings) out.push(`    ! ${warningLine(w, opts.origins)}`);
    }
    notPreviewedLines(out, extra?.notPreviewed, '  ');
  }
  const input = [...(response.warnings ?? []), ...(opts.inputWarnings ?? [])];
  if (input.length) {
    out.push('', 'Input warnings');
    for (const w of input) out.push(`  ! ${warningLine(w, opts.origins)}`);
  }
  return lines(out);
}

function notPreviewedLines(out, list, indent) {
  if (!list?.length) return;
  out.push('', `${indent}Not previewed (Flagger also writes these; this preview does not model them)`);
  table(
    out,
    list.map((n) => [n.name ? `${n.kind}/${n.name}` : n.kind, n.why]),
    `${indent}  `,
  );
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `1 start, 2 none` — the decisions of a diff, most urgent first. */
export function decisionSummary(summary) {
  const order = [
    'start',
    'restart',
    'promote-without-analysis',
    'halted',
    'initialize',
    'removed',
    'unknown',
    'continue',
    'suspended',
    'rollback-noop',
    'none',
  ];
  const keys = Object.keys(summary).sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  return keys.map((k) => `${summary[k]} ${k}`).join(', ');
}

/**
 * A text report of a diff (see diff.js), one section per Canary.
 * @param {any} diff
 * @param {{origins?: import('./parse.js').Origin[], inputWarnings?: {code: string, message: string, side?: string}[]}} [opts]
 *   `origins`: HEAD's, to name the file and line of an error
 */
export function diffTextReport(diff, opts = {}) {
  const out = [`BASE ${diff.base.source} → HEAD ${diff.head.source}`];
  const n = diff.canaries.length;
  out.push(n ? `${plural(n, 'Canary', 'Canaries')}: ${decisionSummary(diff.summary)}` : 'No Canary on either side.');
  const alerts = diff.canaries.filter((c) => c.alerts.length);
  if (alerts.length) {
    out.push('', '!! Said loudly');
    for (const c of alerts)
      for (const a of c.alerts) out.push(`  !! ${c.canary.namespace}/${c.canary.name}: ${a.message}`);
  }
  for (const c of diff.canaries) {
    out.push('');
    const id = `${c.canary.namespace}/${c.canary.name}`;
    if (c.status === 'unchanged' && !c.error) {
      out.push(`Canary ${id}  unchanged: ${c.decision}`);
      continue;
    }
    out.push(`Canary ${id}  (${c.status})`);
    const t = c.target.head ?? c.target.base;
    const rows = [
      ['decision:', `${c.decision}: ${c.message}`],
      ['target:', `${t.kind} ${t.name}`],
    ];
    if (c.basis === 'manifest-comparison')
      rows.push([
        '',
        'pod template compared as written (this core does not hash it yet): server defaults made explicit count as changes',
      ]);
    table(out, rows);
    if (c.error) out.push(`  error: ${errorLine(c.error, opts.origins)}`);
    if (c.reasons.length) {
      out.push('  why:');
      table(
        out,
        c.reasons.map((r) => [r.code, r.message]),
        '    ',
      );
    }
    if (c.templateChanges.length) {
      out.push(`  ${c.target.head?.kind === 'Service' ? 'Service spec' : 'Pod template'} fields changed`);
      table(
        out,
        c.templateChanges.map((p) => [p.path, p.change]),
        '    ',
      );
    }
    if (c.configChanges.length) {
      out.push('  Tracked config checksums');
      table(
        out,
        [
          ['REF', 'BEFORE', 'AFTER', 'CHANGE'],
          ...c.configChanges.map((x) => [x.ref, x.before ?? '-', x.after ?? '-', x.change]),
        ],
        '    ',
      );
    }
    for (const a of c.alerts) out.push(`  !! ${a.message}${a.keys?.length ? ` [keys: ${a.keys.join(', ')}]` : ''}`);
    for (const x of c.notes) out.push(`  note: ${x.message}`);
    for (const w of c.warnings) out.push(`  ! ${warningLine(w)}`);
    notPreviewedLines(out, c.notPreviewed, '  ');
  }
  const input = [...diff.warnings, ...(opts.inputWarnings ?? [])];
  if (input.length) {
    out.push('', 'Input warnings');
    for (const w of input) out.push(`  ! ${w.side ? `[${w.side.toUpperCase()}] ` : ''}${warningLine(w)}`);
  }
  return lines(out);
}

function warningLine(w, origins) {
  const where = locate(w.path, origins);
  return `${w.code}: ${w.message}${where ? ` (${where})` : ''}`;
}

/**
 * The objects to apply, in order (primary configs, primary workload,
 * services) for every plan without an error.
 */
export function objectsToApply(response) {
  const out = [];
  for (const plan of response.plans ?? []) {
    if (plan.error) continue;
    for (const o of plan.primaryConfigs ?? []) out.push(o);
    if (plan.primaryWorkload) out.push(plan.primaryWorkload);
    if (plan.services) out.push(plan.services.primary, plan.services.canary);
  }
  return out;
}

/** JSON text (2-space indent) that puts no raw control character on a terminal. */
export function jsonText(value) {
  return `${escapeRawInData(JSON.stringify(value, null, 2))}\n`;
}

/**
 * A text report of `upgrade-check`: per Canary, whether upgrading Flagger
 * alone starts an analysis, and the Go fields behind it.
 * @param {{from: string, to: string, canaries: any[], warnings: {code: string, message: string}[]}} report
 */
export function upgradeTextReport(report) {
  const starts = report.canaries.filter((c) => c.startsAnalysis === true);
  const out = [
    `Flagger ${report.from} → ${report.to}: ${starts.length ? `the upgrade alone starts an analysis of ${plural(starts.length, 'Canary', 'Canaries')}` : 'the upgrade alone starts no analysis'}`,
  ];
  for (const c of report.canaries) {
    out.push('', `Canary ${c.canary.namespace}/${c.canary.name}`);
    const rows = [];
    if (c.status) rows.push(['status:', c.status]);
    rows.push([
      'verdict:',
      c.startsAnalysis === true ? 'starts an analysis' : c.startsAnalysis === false ? 'no analysis' : 'unknown',
    ]);
    if (c.fromHash || c.toHash) rows.push(['spec hash:', `${c.fromHash ?? '-'} → ${c.toHash ?? '-'}`]);
    rows.push(['', c.message]);
    table(out, rows);
    if (c.fieldsAdded.length) out.push(`  Go fields added: ${c.fieldsAdded.join(', ')}`);
    if (c.fieldsRemoved.length) out.push(`  Go fields removed: ${c.fieldsRemoved.join(', ')}`);
  }
  if (report.warnings.length) {
    out.push('', 'Input warnings');
    for (const w of report.warnings) out.push(`  ! ${warningLine(w)}`);
  }
  return lines(out);
}
