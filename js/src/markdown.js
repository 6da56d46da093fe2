// Markdown reports for a pull-request comment (GitHub-flavoured: tables,
// <details>). Browser-safe.
//
// Every string from the input is text, never markup: names go into code
// spans (no emphasis, links, mentions or HTML there), prose is escaped
// character by character, control characters are shown as escapes, and the
// HTML of <summary> lines is entity-escaped. Secret values never appear:
// the reports hold checksums and key names only.

import { canaryId, DECISION_TEXT, ROLLOUT_DECISIONS } from './decision.js';
import { escapeControl } from './escape.js';
import { decisionSummary, errorLine } from './report.js';

/** GitHub's limit for a comment body is 65,536 characters; stay below it. */
export const MAX_COMMENT_CHARS = 60_000;

const ENTITY = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Prose on one line (control characters, newlines included, are escapes):
 * the inline markup characters backslash-escaped (emphasis, code, links,
 * table cells, strikethrough, math), `& < >` as entities (no HTML). Block
 * syntax (lists, headings) only acts at the start of a line, where this text
 * never stands.
 */
export function mdText(s) {
  return escapeControl(s)
    .replace(/[\\`*_[\]|~$]/g, '\\$&')
    .replace(/[&<>]/g, (c) => ENTITY[c]);
}

/** A code span holding `s` literally (also inside a table cell). */
export function mdCode(s) {
  const text = escapeControl(s).replace(/\|/g, '\\|');
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text for inside raw HTML (a <summary>). */
export function htmlText(s) {
  return escapeControl(s).replace(/[&<>"']/g, (c) => ENTITY[c]);
}

const row = (cells) => `| ${cells.join(' | ')} |`;

// Appenders push one line at a time: `out.push(...lines)` passes every line
// as an argument and overflows the stack on a large input.

/** Appends a table (nothing when there are no rows). */
function mdTable(out, header, rows) {
  if (!rows.length) return;
  out.push(row(header), row(header.map(() => '---')));
  for (const r of rows) out.push(row(r));
  out.push('');
}

/** Appends one list item per entry of `items`, then a blank line (nothing when there are none). */
function bullets(out, items, item) {
  if (!items?.length) return;
  for (const x of items) out.push(`- ${item(x)}`);
  out.push('');
}

function details(summaryHtml, body) {
  return ['<details>', `<summary>${summaryHtml}</summary>`, '', ...body, '</details>', ''];
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const decisionCell = (d, alert) => {
  const text = ROLLOUT_DECISIONS.has(d) || d === 'halted' ? `**${mdText(d)}**` : mdText(d);
  return alert ? `${text} ⚠️` : text;
};

function notPreviewedBody(out, list) {
  if (!list?.length) return;
  out.push('**Not previewed** (Flagger also writes these; this preview does not model them):', '');
  bullets(out, list, (n) => `${n.name ? mdCode(`${n.kind}/${n.name}`) : mdText(n.kind)}: ${mdText(n.why)}`);
}

/**
 * Fits sections under the comment limit: the head always, then details
 * while they fit, then a line saying how many were left out.
 */
function assemble(head, sections, tail) {
  const out = [...head];
  let size = out.join('\n').length + tail.join('\n').length;
  let left = 0;
  for (const s of sections) {
    const text = s.join('\n');
    if (size + text.length + 200 > MAX_COMMENT_CHARS) left += 1;
    else {
      for (const line of s) out.push(line);
      size += text.length + 1;
    }
  }
  if (left)
    out.push(
      `_Details of ${plural(left, 'Canary', 'Canaries')} left out to stay within a comment's size; run with \`-o text\` for all._`,
      '',
    );
  for (const line of tail) out.push(line);
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * A diff (see diff.js) as a PR comment: the summary table, the changes that
 * reach the primary with no analysis, then one collapsible section per
 * changed Canary.
 * @param {any} diff
 * @param {{origins?: import('./parse.js').Origin[], inputWarnings?: {code: string, message: string}[], title?: string}} [opts]
 *   `origins`: HEAD's, to name the file and line of an error
 */
export function diffMarkdown(diff, opts = {}) {
  const starts = diff.canaries.filter((c) => ROLLOUT_DECISIONS.has(c.decision));
  const alerts = diff.canaries.filter((c) => c.alerts.length);
  const title = starts.length
    ? `${plural(starts.length, 'Canary starts', 'Canaries start')} a rollout`
    : 'No Canary starts a rollout';
  const head = [`### ${mdText(opts.title ?? 'canary-tracker')}: ${mdText(title)}`, ''];
  head.push(
    `${mdCode(diff.base.source)} → ${mdCode(diff.head.source)}: ${diff.canaries.length ? mdText(decisionSummary(diff.summary)) : 'no Canary on either side'}`,
    '',
  );
  const changed = diff.canaries.filter((c) => c.status !== 'unchanged' || c.error);
  const unchanged = diff.canaries.length - changed.length;
  mdTable(
    head,
    ['Canary', 'Decision', 'Why'],
    changed.map((c) => [
      mdCode(`${c.canary.namespace}/${c.canary.name}`),
      decisionCell(c.decision, c.alerts.length > 0),
      mdText(why(c)),
    ]),
  );
  if (unchanged) head.push(`${plural(unchanged, 'Canary', 'Canaries')} unchanged.`, '');
  if (alerts.length) {
    head.push('> [!CAUTION]', '> **Said loudly**', '>');
    for (const c of alerts)
      for (const a of c.alerts)
        head.push(`> - ${mdCode(`${c.canary.namespace}/${c.canary.name}`)}: ${mdText(a.message)}`);
    head.push('');
  }
  const sections = changed.map((c) =>
    details(
      `<code>${htmlText(`${c.canary.namespace}/${c.canary.name}`)}</code>: ${htmlText(c.decision)}`,
      diffBody(c, opts.origins),
    ),
  );
  const tail = warningsBody([...diff.warnings, ...(opts.inputWarnings ?? [])]);
  return assemble(head, sections, tail);
}

function why(c) {
  const parts = [...c.alerts, ...c.reasons].map((r) => r.message);
  if (!parts.length) for (const n of c.notes) parts.push(n.message);
  const text = parts.join('; ') || DECISION_TEXT[c.decision] || c.decision;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function diffBody(c, origins) {
  const t = c.target.head ?? c.target.base;
  const out = [
    `**Decision:** ${mdText(c.decision)}: ${mdText(c.message)}`,
    '',
    `**Target:** ${mdText(t.kind)} ${mdCode(t.name)}`,
    '',
  ];
  if (c.basis === 'manifest-comparison')
    out.push(
      '_The pod template is compared as written (this core does not hash it yet): server defaults made explicit count as changes._',
      '',
    );
  if (c.error) out.push(`**Error:** ${mdText(errorLine(c.error, origins))}`, '');
  if (c.reasons.length) out.push('**Why:**', '');
  bullets(out, c.reasons, (r) => `${mdCode(r.code)}: ${mdText(r.message)}`);
  mdTable(
    out,
    ['Field', 'Change'],
    c.templateChanges.map((p) => [mdCode(p.path), mdText(p.change)]),
  );
  mdTable(
    out,
    ['Config', 'Before', 'After', 'Change'],
    c.configChanges.map((x) => [
      mdCode(x.ref),
      x.before ? mdCode(x.before) : '',
      x.after ? mdCode(x.after) : '',
      mdText(x.change),
    ]),
  );
  bullets(
    out,
    c.alerts,
    (a) => `⚠️ ${mdText(a.message)}${a.keys?.length ? ` (keys: ${a.keys.map(mdCode).join(', ')})` : ''}`,
  );
  bullets(out, c.notes, (n) => mdText(n.message));
  bullets(out, c.warnings, warningItem);
  notPreviewedBody(out, c.notPreviewed);
  return out;
}

const warningItem = (w) => `${mdCode(w.code)}: ${mdText(w.message)}`;

function warningsBody(warnings) {
  const out = [];
  if (!warnings.length) return out;
  out.push('**Input warnings**', '');
  bullets(out, warnings, (w) => `${w.side ? `${mdText(w.side.toUpperCase())} ` : ''}${warningItem(w)}`);
  return out;
}

/**
 * A plan response as markdown: a summary table and one collapsible section
 * per Canary.
 * @param {any} response
 * @param {{extras?: import('./report.js').Extras, inputWarnings?: {code: string, message: string}[]}} [opts]
 */
export function planMarkdown(response, opts = {}) {
  const plans = response.plans ?? [];
  const info = (p) => opts.extras?.get(canaryId(p.canary.namespace, p.canary.name)) ?? {};
  const starts = plans.filter((p) => ROLLOUT_DECISIONS.has(info(p).decision));
  const title = starts.length
    ? `${plural(starts.length, 'Canary starts', 'Canaries start')} a rollout`
    : 'No Canary starts a rollout';
  const head = [`### canary-tracker plan: ${mdText(title)}`, ''];
  mdTable(
    head,
    ['Canary', 'Decision', 'Why'],
    plans.map((p) => {
      const d = info(p).decision ?? (p.error ? 'halted' : p.configsChanged ? 'start' : 'none');
      const reason = p.error
        ? errorLine(p.error)
        : (p.configChanges ?? []).length
          ? `configs: ${p.configChanges.map((c) => `${c.ref} ${c.change}`).join(', ')}`
          : (info(p).message ?? '');
      return [
        mdCode(`${p.canary.namespace}/${p.canary.name}`),
        decisionCell(d, false),
        mdText(reason.length > 300 ? `${reason.slice(0, 297)}...` : reason),
      ];
    }),
  );
  const sections = plans.map((p) =>
    details(
      `<code>${htmlText(`${p.canary.namespace}/${p.canary.name}`)}</code>: ${htmlText(info(p).decision ?? '')}`,
      planBody(p, info(p)),
    ),
  );
  return assemble(head, sections, warningsBody([...(response.warnings ?? []), ...(opts.inputWarnings ?? [])]));
}

function planBody(p, info) {
  const t = p.target;
  const out = [];
  if (info.decision) out.push(`**Decision:** ${mdText(info.decision)}: ${mdText(info.message ?? '')}`, '');
  if (info.status) out.push(`**Status:** ${mdText(info.status)}`, '');
  out.push(
    `**Target:** ${t ? `${mdText(t.kind)} ${mdCode(`${t.namespace}/${t.name}`)}` : '-'} · **Flagger** ${mdText(p.flaggerVersion)}`,
    '',
  );
  if (p.error) out.push(`**Error:** ${mdText(errorLine(p.error))}`, '');
  const changes = new Map((p.configChanges ?? []).map((c) => [c.ref, c]));
  const rows = Object.entries(p.trackedConfigs ?? {}).map(([ref, sum]) => {
    const c = changes.get(ref);
    return [
      mdCode(ref),
      mdCode(sum),
      c ? mdText(c.change === 'modified' ? `modified (was ${c.tracked})` : c.change) : 'unchanged',
    ];
  });
  for (const c of p.configChanges ?? [])
    if (c.change === 'removed') rows.push([mdCode(c.ref), '', mdText(`removed (was ${c.tracked})`)]);
  mdTable(out, ['Tracked config', 'Checksum', 'Status'], rows);
  mdTable(
    out,
    ['Not tracked', 'Reason', 'Why'],
    (p.untrackedConfigs ?? []).map((u) => [mdCode(u.ref), mdCode(u.reason), mdText(u.message)]),
  );
  bullets(out, p.warnings, warningItem);
  notPreviewedBody(out, info.notPreviewed);
  return out;
}

/**
 * `upgrade-check` as markdown: one table row per Canary.
 * @param {{from: string, to: string, canaries: any[], warnings: {code: string, message: string}[]}} report
 */
export function upgradeMarkdown(report) {
  const starts = report.canaries.filter((c) => c.startsAnalysis === true);
  const title = starts.length
    ? `upgrading Flagger ${report.from} → ${report.to} alone starts an analysis of ${plural(starts.length, 'Canary', 'Canaries')}`
    : `upgrading Flagger ${report.from} → ${report.to} alone starts no analysis`;
  const head = [`### canary-tracker: ${mdText(title)}`, ''];
  mdTable(
    head,
    ['Canary', 'Starts an analysis', 'Spec hash', 'Go fields added'],
    report.canaries.map((c) => [
      mdCode(`${c.canary.namespace}/${c.canary.name}`),
      c.startsAnalysis === true ? '**yes**' : c.startsAnalysis === false ? 'no' : 'unknown',
      c.fromHash || c.toHash ? `${mdCode(c.fromHash ?? '-')} → ${mdCode(c.toHash ?? '-')}` : '',
      c.fieldsAdded.map(mdCode).join(', '),
    ]),
  );
  return assemble(head, [], warningsBody(report.warnings));
}
