// Human-readable report and YAML output of a plan response. Browser-safe.
// Neither function prints a Secret value unless the caller passes a response
// that still holds them (the CLI redacts first unless --show-secrets).

import { stringify } from 'yaml';

/** The verdict in words. */
export function verdictText(plan) {
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
  const at = where ? ` in ${where} at ${error.path.replace(/^\/objects\/\d+/, '') || '/'}` : error.path ? ` at ${error.path}` : '';
  return `${error.code}: ${error.message}${ref}${at}`;
}

function table(rows, indent = '  ') {
  if (rows.length === 0) return [];
  const widths = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, String(c).length)));
  return rows.map((r) =>
    (indent + r.map((c, i) => (i === r.length - 1 ? String(c) : String(c).padEnd(widths[i]))).join('  ')).trimEnd(),
  );
}

/**
 * The configs a plan looked at, with their status:
 * unchanged / modified / added / removed.
 */
export function configRows(plan) {
  const changes = new Map((plan.configChanges ?? []).map((c) => [c.ref, c]));
  const rows = [];
  for (const [ref, sum] of Object.entries(plan.trackedConfigs ?? {})) {
    const c = changes.get(ref);
    const status = !c ? 'unchanged' : c.change === 'modified' ? `modified (was ${c.tracked})` : c.change;
    rows.push({ ref, checksum: sum, status });
  }
  for (const c of plan.configChanges ?? []) {
    if (c.change === 'removed') rows.push({ ref: c.ref, checksum: '-', status: `removed (was ${c.tracked})` });
  }
  return rows;
}

function objectName(o) {
  return `${o?.kind ?? '?'}/${o?.metadata?.name ?? '?'}`;
}

/**
 * A text report of a whole response, one section per Canary.
 * @param {any} response `{"plans": [...], "warnings"?: [...]}`
 * @param {{origins?: import('./parse.js').Origin[]}} [opts]
 */
export function textReport(response, opts = {}) {
  const out = [];
  const plans = response.plans ?? [];
  if (plans.length === 0) out.push('No Canary in the input.');
  for (const plan of plans) {
    if (out.length) out.push('');
    out.push(`Canary ${plan.canary.namespace}/${plan.canary.name}`);
    const t = plan.target;
    out.push(...table([
      ['target:', t ? `${t.kind} ${t.namespace}/${t.name}` : '-'],
      ['Flagger:', plan.flaggerVersion],
      ['verdict:', verdictText(plan)],
    ]));
    if (plan.error) {
      out.push(`  error: ${errorLine(plan.error, opts.origins)}`);
    }

    if (plan.trackedConfigs === null || plan.trackedConfigs === undefined) {
      if (!plan.error && plan.target?.kind === 'Service') out.push('', '  Service target: Flagger tracks no configs.');
    } else {
      const rows = configRows(plan);
      out.push('', '  Tracked configs');
      if (rows.length === 0) out.push('    (none)');
      else out.push(...table([['REF', 'CHECKSUM', 'STATUS'], ...rows.map((r) => [r.ref, r.checksum, r.status])], '    '));
    }

    if ((plan.untrackedConfigs ?? []).length) {
      out.push('', '  Not tracked');
      out.push(...table(plan.untrackedConfigs.map((u) => [u.ref, u.reason, u.message]), '    '));
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
      out.push(...table(plan.rewrites.map((r) => [r.path, `${r.from} → ${r.to}`]), '    '));
    }

    if ((plan.warnings ?? []).length) {
      out.push('', '  Warnings');
      for (const w of plan.warnings) out.push(`    ! ${warningLine(w, opts.origins)}`);
    }
  }
  if ((response.warnings ?? []).length) {
    out.push('', 'Input warnings');
    for (const w of response.warnings) out.push(`  ! ${warningLine(w, opts.origins)}`);
  }
  return out.join('\n') + '\n';
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
    out.push(...(plan.primaryConfigs ?? []));
    if (plan.primaryWorkload) out.push(plan.primaryWorkload);
    if (plan.services) out.push(plan.services.primary, plan.services.canary);
  }
  return out;
}

/**
 * A multi-document YAML stream of `objects`, written for YAML 1.1 readers
 * (kubectl): strings such as `"yes"` or `"0755"` stay quoted.
 */
export function yamlStream(objects) {
  return objects.map((o) => `---\n${stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}
