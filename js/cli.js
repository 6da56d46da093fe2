#!/usr/bin/env node
// canary-tracker: preview what Flagger does with a Canary — which configs it
// tracks, what it copies and rewrites, and whether a rollout starts — from
// manifests, a cluster, or a comparison of two versions of the manifests.
//
// Exit codes: 0 ok; 1 bad input or usage; 2 a Canary's plan failed; 3 (only
// with --exit-code) some Canary's decision is start, restart or
// promote-without-analysis. Secret values are never printed unless
// --show-secrets. Every line written is free of raw control characters.

import { createRequire } from 'node:module';
import { parseArgv, UsageError } from './src/args.js';
import { canariesById, canaryId, planExtras, ROLLOUT_DECISIONS } from './src/decision.js';
import { escapeControl } from './src/escape.js';
import { redact } from './src/redact.js';
import {
  diffTextReport,
  errorLine,
  jsonText,
  locate,
  objectsToApply,
  textReport,
  upgradeTextReport,
} from './src/report.js';
import { duplicateWarnings, loadSource, resolveSource, sourceLabel } from './src/sources.js';
import * as nodeCore from './src/wasm-node.js';

// What only some commands or outputs need is imported when used: the YAML
// library alone was a third of a plain `plan` call's startup.
const lazy = {
  cluster: () => import('./src/cluster.js'),
  diff: () => import('./src/diff.js'),
  kube: () => import('./src/kube.js'),
  markdown: () => import('./src/markdown.js'),
  yaml: () => import('./src/yaml-out.js'),
};

const require = createRequire(import.meta.url);
const PROG = 'canary-tracker';

const EXIT = { ok: 0, input: 1, planError: 2, rollout: 3 };

const EXIT_CODES = `Exit codes: 0 ok; 1 bad input or usage; 2 a Canary's plan failed (e.g.
config-not-found: Flagger halts it; the report is still printed); 3 with
--exit-code, no plan failed and some Canary's decision is start, restart or
promote-without-analysis.`;

const HELP = {
  '': `Usage:
  ${PROG} plan [FILE|DIR|-]... [options]     what Flagger would track, copy and rewrite
  ${PROG} plan --cluster|--context C|-A ...   the same, read from a cluster with kubectl
  ${PROG} plan FILES --status-from-cluster    files, with each Canary's status from the cluster
  ${PROG} diff BASE HEAD [-- PATH...]         what applying HEAD on top of BASE starts
  ${PROG} diff --git-base REF [PATH...]       the same, REF against the work tree
  ${PROG} upgrade-check --from X --to Y ...   does upgrading Flagger alone start analyses?
  ${PROG} checksum FILE|DIR|-...              Flagger's checksum of each ConfigMap/Secret
  ${PROG} help [COMMAND] | --version

Run '${PROG} help COMMAND' for a command's options.

${EXIT_CODES}
`,
  plan: `Usage:
  ${PROG} plan [FILE|DIR|-]... [options]
  ${PROG} plan -f FILE [-f DIR]... [options]
  ${PROG} plan (--cluster | --context NAME | --kubeconfig FILE | -A | --proxy URL) [options]
  ${PROG} plan FILE... --status-from-cluster [--context NAME] [--proxy URL]

Inputs: YAML (multi-document) or JSON files, directories (searched recursively
for *.yaml, *.yml, *.json), or - for stdin. kind: List and {"items": [...]}
(kubectl get -o json) are expanded.

Cluster (read-only: GET of Canaries, their targets and referenced configs):
  --cluster                   the current kubectl context
  --context NAME              a kubectl context; --kubeconfig FILE a kubeconfig
                              (kubectl runs 'kubectl proxy' for the CLI, so your
                              auth plugins work; $KUBECTL picks the binary)
  -A, --all-namespaces        every namespace (default: -n, else the context's)
  --proxy URL                 a running 'kubectl proxy' (e.g. 127.0.0.1:8001)
  --request-timeout DURATION  give up on a cluster request after this long
                              (default 60s; 0: never); no headers or no data
                              for 30s also stops it
  --status-from-cluster       with files: each Canary's status (phase,
                              trackedConfigs, lastAppliedSpec, ...) from the
                              cluster, everything else from the files

Options:
  -n, --namespace NS          only Canaries in NS; objects without a namespace
                              belong to NS (default: default, or the context's)
  --canary NAME               only the Canary NAME
  -o, --output FORMAT         text (default); json (the core's response); yaml
                              (the objects Flagger would apply); markdown
  --kustomize                 build a directory holding a kustomization with
                              'kubectl kustomize' instead of reading its files
  --show-secrets              print Secret values in json/yaml output
  --include-label-prefix P    Flagger's -include-label-prefix (repeatable)
  --selector-labels a,b       Flagger's -selector-labels
  --disable-config-tracking   as Flagger's -enable-config-tracking=false
  --flagger-version X.Y.Z     the Flagger release to reproduce (default: the newest
                              supported; --version names the range)
  --exit-code                 exit 3 when some Canary starts a rollout

${EXIT_CODES}
`,
  diff: `Usage:
  ${PROG} diff BASE HEAD [options]
  ${PROG} diff REV1 REV2 [--] PATH... [options]
  ${PROG} diff --git-base REF [PATH...] [options]

What applying HEAD's manifests on top of the state BASE left does, per
Canary: the decision (start, none, initialize, ...), why (pod-template
fields changed, config checksums before → after), and, said loudly, what
reaches the primary with no analysis (untracked configs), Canaries added,
removed or retargeted, and plans that newly fail.

BASE and HEAD are each a FILE, DIR, - (stdin), or a git revision of the
repository around the current directory (read with git, no checkout); an
existing path wins over a revision name. PATHs limit what is read at a
revision (default: the whole tree below the current directory).
--git-base REF compares PATHs at REF with the same PATHs in the work tree
(files git tracks or would track: .gitignore'd ones are not read).

Options:
  -o, --output FORMAT         text (default), json, yaml, or markdown (a
                              pull-request comment)
  -n, --namespace NS          only Canaries in NS; objects without a namespace
                              belong to NS (default: default)
  --canary NAME               only the Canary NAME
  --kustomize                 build directories holding a kustomization
  --include-label-prefix P, --selector-labels a,b, --disable-config-tracking,
  --flagger-version X.Y.Z     as for plan
  --exit-code                 exit 3 when some Canary starts a rollout

${EXIT_CODES}
`,
  'upgrade-check': `Usage:
  ${PROG} upgrade-check [FILE|DIR|-]... --from X.Y.Z --to X.Y.Z [options]
  ${PROG} upgrade-check (--cluster | --context NAME | -A | --proxy URL) --from X --to Y
  ${PROG} upgrade-check FILE... --status-from-cluster --from X --to Y

Per Canary: does upgrading Flagger from X to Y alone start an analysis? Each
release hashes the pod template through the Go types it links, so an upgrade
can change the spec hash of an unchanged workload. With the Canary's status
(a cluster, or --status-from-cluster), the answer compares with its
lastAppliedSpec; without, with the hash under X.

Options: the cluster and input options of 'plan' (--cluster, --context,
--kubeconfig, -A, --proxy, --status-from-cluster, -f, -n, --canary,
--kustomize, --include-label-prefix, --selector-labels,
--disable-config-tracking), and:
  -o, --output FORMAT         text (default), json, yaml or markdown
  --exit-code                 exit 3 when the upgrade starts some analysis

${EXIT_CODES.replace("some Canary's decision is start, restart or\npromote-without-analysis", 'the upgrade starts an analysis of some\nCanary')}
`,
  checksum: `Usage:
  ${PROG} checksum FILE|DIR|-... [options]

Prints 'configmap/NAMESPACE/NAME CHECKSUM' per ConfigMap/Secret: the value
Flagger writes to status.trackedConfigs.

Options:
  -n, --namespace NS          namespace of objects without one (default: default)
  --flagger-version X.Y.Z     the Flagger release whose checksum to compute
`,
};

const CORE_FLAGS = {
  'include-label-prefix': { type: 'string', multiple: true },
  'selector-labels': { type: 'string' },
  'disable-config-tracking': { type: 'boolean' },
  'flagger-version': { type: 'string' },
};
const COMMON = { help: { type: 'boolean', short: 'h' }, namespace: { type: 'string', short: 'n' } };
/** What every report command takes. */
const REPORT = {
  canary: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'exit-code': { type: 'boolean' },
  kustomize: { type: 'boolean' },
};
/** Where plan and upgrade-check read from: files or a cluster. */
const INPUT = {
  filename: { type: 'string', short: 'f', multiple: true },
  proxy: { type: 'string' },
  'request-timeout': { type: 'string' },
  cluster: { type: 'boolean' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  'status-from-cluster': { type: 'boolean' },
};
const FLAGS = {
  '': { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
  plan: { ...COMMON, ...CORE_FLAGS, ...REPORT, ...INPUT, 'show-secrets': { type: 'boolean' } },
  diff: { ...COMMON, ...CORE_FLAGS, ...REPORT, 'git-base': { type: 'string' } },
  'upgrade-check': { ...COMMON, ...CORE_FLAGS, ...REPORT, ...INPUT, from: { type: 'string' }, to: { type: 'string' } },
  checksum: {
    ...COMMON,
    filename: { type: 'string', short: 'f', multiple: true },
    'flagger-version': { type: 'string' },
  },
  help: {},
};

/** One line on stderr, terminal-safe. */
const err = (line) => process.stderr.write(`${escapeControl(line)}\n`);

/** The core (js/pkg/abi, compiled on its first call). */
function loadCore() {
  return nodeCore;
}

/** Request paths the core may name in an error, as the flags that set them. */
const FLAG_OF_PATH = {
  '/options/flaggerVersion': '--flagger-version',
  '/options/selectorLabels': '--selector-labels',
  '/options/includeLabelPrefix': '--include-label-prefix',
  '/options/defaultNamespace': '-n',
  '/canary': '-n/--canary',
};

class RequestError extends Error {
  constructor(error, origins, side) {
    const flag = FLAG_OF_PATH[error.path];
    const shown = flag ? { ...error, path: undefined, message: `${error.message} (${flag})` } : error;
    super(`${side ? `${side}: ` : ''}${errorLine(shown, origins)}`);
    this.name = 'RequestError';
  }
}

const list = (values) =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');

function coreOptions(opts, defaultNamespace) {
  const options = { defaultNamespace };
  if (opts['include-label-prefix']) options.includeLabelPrefix = list(opts['include-label-prefix']);
  if (opts['selector-labels'] !== undefined) options.selectorLabels = list([opts['selector-labels']]);
  if (opts['disable-config-tracking']) options.enableConfigTracking = false;
  if (opts['flagger-version'] !== undefined) options.flaggerVersion = opts['flagger-version'];
  return options;
}

function outputFormat(opts) {
  const output = opts.output ?? 'text';
  if (!['text', 'json', 'yaml', 'markdown'].includes(output))
    throw new UsageError(`-o must be text, json, yaml or markdown, not ${JSON.stringify(output)}`);
  return output;
}

async function main(argv) {
  const command = argv.length && !argv[0].startsWith('-') ? argv[0] : undefined;
  if (command !== undefined && (!Object.hasOwn(FLAGS, command) || command === ''))
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  const {
    values: opts,
    positionals,
    dashdash,
  } = parseArgv(command === undefined ? argv : argv.slice(1), FLAGS[command ?? '']);
  if (command === 'help' || opts.help) {
    const topic = command === 'help' ? (positionals[0] ?? '') : (command ?? '');
    if (!Object.hasOwn(HELP, topic)) throw new UsageError(`no help for ${JSON.stringify(topic)}`);
    process.stdout.write(HELP[topic]);
    return EXIT.ok;
  }
  if (opts.version) {
    const pkg = require('./package.json');
    const { oldest, newest } = loadCore().flaggerVersions();
    process.stdout.write(`${PROG} ${pkg.version} (core ${loadCore().version()}; Flagger ${oldest} to ${newest})\n`);
    return EXIT.ok;
  }
  if (command === undefined) throw new UsageError('no command given');
  if (command === 'plan') return plan([...positionals, ...(opts.filename ?? [])], opts);
  if (command === 'diff') return diff(positionals, dashdash, opts);
  if (command === 'upgrade-check') return upgradeCheck([...positionals, ...(opts.filename ?? [])], opts);
  return checksum([...positionals, ...(opts.filename ?? [])], opts);
}

/** The core's plan; a request error throws, naming the side. */
function planner(core, origins = {}) {
  return (request, side) => {
    const response = JSON.parse(core.planJson(JSON.stringify(request)));
    if (response.error) throw new RequestError(response.error, origins[side ?? ''], side?.toUpperCase());
    return response;
  };
}

/**
 * The objects `plan` and `upgrade-check` work on: from files (with the
 * Canaries' status from the cluster when asked) or from a cluster.
 */
async function gather(inputs, opts) {
  const viaKubectl =
    opts.cluster || opts.context !== undefined || opts.kubeconfig !== undefined || opts['all-namespaces'];
  const fromCluster = viaKubectl || opts.proxy !== undefined;
  if (opts['all-namespaces'] && opts.namespace !== undefined) throw new UsageError('give -n or -A, not both');
  if (opts['status-from-cluster'] && !inputs.length)
    throw new UsageError('--status-from-cluster takes the status for the Canaries in files: give files');
  if (inputs.length && fromCluster && !opts['status-from-cluster']) {
    throw new UsageError(
      "give files or a cluster, not both (to take only the Canaries' status from the cluster, add --status-from-cluster)",
    );
  }
  if (!inputs.length && !fromCluster)
    throw new UsageError(
      'no input: give files, directories or - (stdin), or a cluster: --cluster, --context NAME, -A, --proxy URL',
    );
  if (opts['all-namespaces'] && inputs.length)
    throw new UsageError("-A reads a cluster's Canaries; with files, every Canary is planned already");
  const cluster = { proxy: opts.proxy, context: opts.context, kubeconfig: opts.kubeconfig };
  let timeoutMs;
  try {
    timeoutMs =
      opts['request-timeout'] === undefined ? undefined : (await lazy.cluster()).parseDuration(opts['request-timeout']);
  } catch (e) {
    throw new UsageError(`--request-timeout: ${e.message}`);
  }
  const got = {
    objects: [],
    origins: undefined,
    where: '',
    inputWarnings: [],
    statusOf: new Map(),
    defaultNamespace: opts.namespace ?? 'default',
  };
  const { contextNamespace, withCluster } = fromCluster || opts['status-from-cluster'] ? await lazy.kube() : {};
  if (!inputs.length) {
    const { fetchObjects } = await lazy.cluster();
    got.objects = await withCluster(cluster, async (c) => {
      got.where = c.where;
      let namespace = opts.namespace;
      if (namespace === undefined && viaKubectl && !opts['all-namespaces']) namespace = await contextNamespace(cluster);
      if (namespace !== undefined) got.defaultNamespace = namespace;
      return fetchObjects({
        proxy: c.baseUrl,
        fetch: c.fetch,
        namespace,
        canary: opts.canary,
        timeoutMs,
        configRefs: loadCore().configRefs,
        flaggerVersion: opts['flagger-version'],
      });
    });
    return got;
  }
  const loaded = await loadSource({ type: 'paths', paths: inputs }, { kustomize: opts.kustomize });
  got.objects = loaded.objects;
  got.origins = loaded.origins;
  got.inputWarnings.push(...loaded.warnings);
  got.where = inputs.join(', ');
  if (opts['status-from-cluster']) {
    got.objects = await withCluster(cluster, async (c) => {
      if (opts.namespace === undefined && opts.proxy === undefined)
        got.defaultNamespace = await contextNamespace(cluster);
      return withClusterStatus(got.objects, got.defaultNamespace, { ...c, timeoutMs }, got.statusOf);
    });
  }
  got.inputWarnings.push(...duplicateWarnings(got.objects, got.origins, got.defaultNamespace));
  return got;
}

/** The plan request for gathered objects, with `-n`/`--canary` as the Canary filter. */
function planRequest(got, opts, extraOptions = {}) {
  const request = { objects: got.objects, options: { ...coreOptions(opts, got.defaultNamespace), ...extraOptions } };
  if (opts.namespace !== undefined || opts.canary !== undefined) {
    request.canary = {};
    if (opts.namespace !== undefined) request.canary.namespace = opts.namespace;
    if (opts.canary !== undefined) request.canary.name = opts.canary;
  }
  return request;
}

async function plan(inputs, opts) {
  const output = outputFormat(opts);
  const got = await gather(inputs, opts);
  const { origins, inputWarnings } = got;
  const core = loadCore();
  const request = planRequest(got, opts);
  const response = planner(core, { '': origins })(request);
  if (response.plans.length === 0) {
    err(`${PROG}: no Canary (flagger.app) found in ${got.where}`);
    return EXIT.input;
  }
  const extras = planExtras(request, response);
  for (const [id, s] of got.statusOf) if (extras.has(id)) extras.get(id).status = s;

  if (output !== 'text') for (const w of inputWarnings) err(`${PROG}: warning: ${w.code}: ${w.message}`);
  const shown = opts['show-secrets'] ? response : redact(response);
  if (output === 'json') process.stdout.write(jsonText(shown));
  else if (output === 'yaml') process.stdout.write((await lazy.yaml()).yamlStream(objectsToApply(shown)));
  else if (output === 'markdown')
    process.stdout.write((await lazy.markdown()).planMarkdown(shown, { extras, inputWarnings }));
  else process.stdout.write(textReport(shown, { origins, extras, inputWarnings }));

  let code = EXIT.ok;
  for (const p of response.plans) {
    if (p.error) {
      err(`${PROG}: Canary ${p.canary.namespace}/${p.canary.name}: ${errorLine(p.error, origins)}`);
      code = EXIT.planError;
    }
  }
  if (code === EXIT.ok && opts['exit-code'] && [...extras.values()].some((e) => ROLLOUT_DECISIONS.has(e.decision)))
    code = EXIT.rollout;
  return code;
}

/**
 * Does upgrading Flagger --from X --to Y alone start analyses? The core's
 * `upgrade` per plan (options.upgradeTo), with --from as the release planned.
 */
async function upgradeCheck(inputs, opts) {
  const output = outputFormat(opts);
  if (opts.from === undefined || opts.to === undefined)
    throw new UsageError('upgrade-check needs --from X.Y.Z (the Flagger release running now) and --to X.Y.Z');
  if (opts['flagger-version'] !== undefined)
    throw new UsageError('upgrade-check takes --from and --to, not --flagger-version');
  const { to } = opts;
  const got = await gather(inputs, opts);
  const core = loadCore();
  const response = planner(core, { '': got.origins })(
    planRequest(got, { ...opts, 'flagger-version': opts.from }, { upgradeTo: to }),
  );
  if (response.plans.length === 0) {
    err(`${PROG}: no Canary (flagger.app) found in ${got.where}`);
    return EXIT.input;
  }
  const report = {
    from: opts.from,
    to,
    canaries: response.plans.map((p) => ({
      canary: p.canary,
      startsAnalysis: p.upgrade?.startsAnalysis ?? null,
      fromHash: p.upgrade?.fromHash ?? null,
      toHash: p.upgrade?.toHash ?? null,
      fieldsAdded: p.upgrade?.fieldsAdded ?? [],
      fieldsRemoved: p.upgrade?.fieldsRemoved ?? [],
      message: p.error
        ? `the plan fails: ${errorLine(p.error, got.origins)}`
        : (p.upgrade?.message ?? 'no spec hash to compare'),
      status: got.statusOf.get(canaryId(p.canary.namespace, p.canary.name)) ?? null,
    })),
    warnings: [...(response.warnings ?? []), ...got.inputWarnings],
  };
  if (output !== 'text') for (const w of got.inputWarnings) err(`${PROG}: warning: ${w.code}: ${w.message}`);
  if (output === 'json') process.stdout.write(jsonText(report));
  else if (output === 'yaml') process.stdout.write((await lazy.yaml()).yamlText(report));
  else if (output === 'markdown') process.stdout.write((await lazy.markdown()).upgradeMarkdown(report));
  else process.stdout.write(upgradeTextReport(report));
  let code = EXIT.ok;
  for (const p of response.plans) {
    if (p.error) {
      err(`${PROG}: Canary ${p.canary.namespace}/${p.canary.name}: ${errorLine(p.error, got.origins)}`);
      code = EXIT.planError;
    }
  }
  if (code === EXIT.ok && opts['exit-code'] && report.canaries.some((c) => c.startsAnalysis === true))
    code = EXIT.rollout;
  return code;
}

/**
 * The files' Canaries with the status the cluster holds for them (none when
 * the cluster has no such Canary: Flagger will initialize it).
 */
async function withClusterStatus(objects, defaultNamespace, c, statusOf) {
  const { restClient, restPath } = await lazy.cluster();
  const client = restClient(c.baseUrl, { fetch: c.fetch, timeoutMs: c.timeoutMs });
  const inFiles = canariesById(objects, defaultNamespace);
  const status = new Map();
  for (const [id, canary] of inFiles) {
    const ns = canary.metadata.namespace ?? defaultNamespace;
    const path = restPath({
      group: 'flagger.app',
      version: 'v1beta1',
      resource: 'canaries',
      namespace: ns,
      name: canary.metadata.name,
    });
    const live = await client.get(path, { allow404: true });
    const s =
      live && typeof live.status === 'object' && live.status !== null && !Array.isArray(live.status)
        ? live.status
        : undefined;
    status.set(id, s);
    statusOf.set(
      id,
      !live
        ? `not in the cluster (${c.where}): Flagger will initialize it`
        : `from the cluster (${c.where}): phase ${s?.phase || 'none'}`,
    );
  }
  return objects.map((o) => {
    if (
      o?.kind !== 'Canary' ||
      !String(o.apiVersion ?? '').startsWith('flagger.app/') ||
      typeof o.metadata?.name !== 'string'
    )
      return o;
    const id = canaryId(o.metadata.namespace ?? defaultNamespace, o.metadata.name);
    if (!status.has(id)) return o;
    const { status: _file, ...rest } = o;
    return status.get(id) ? { ...rest, status: status.get(id) } : rest;
  });
}

async function diff(positionals, dashdash, opts) {
  const output = outputFormat(opts);
  let base;
  let head;
  if (opts['git-base'] !== undefined) {
    const { resolveRevision } = await import('./src/git.js');
    const commit = await resolveRevision(opts['git-base']);
    if (!commit)
      throw new UsageError(
        `--git-base: ${JSON.stringify(opts['git-base'])} is not a git revision of the repository around the current directory`,
      );
    const paths = positionals.length ? positionals : ['.'];
    base = { type: 'git', rev: opts['git-base'], commit, paths };
    head = { type: 'worktree', paths };
  } else {
    const sides = dashdash ? positionals.slice(0, positionals.length - dashdash.length) : positionals.slice(0, 2);
    const paths = dashdash ?? positionals.slice(2);
    if (sides.length !== 2)
      throw new UsageError('diff needs BASE and HEAD (files, directories, - or git revisions), or --git-base REF');
    if (sides[0] === '-' && sides[1] === '-') throw new UsageError('only one side can be - (stdin)');
    base = await resolveSource(sides[0], paths);
    head = await resolveSource(sides[1], paths);
  }
  const defaultNamespace = opts.namespace ?? 'default';
  const sides = {};
  for (const [name, src] of [
    ['base', base],
    ['head', head],
  ]) {
    const loaded = await loadSource(src, { kustomize: opts.kustomize });
    const warnings = [...loaded.warnings, ...duplicateWarnings(loaded.objects, loaded.origins, defaultNamespace)];
    sides[name] = { ...loaded, label: sourceLabel(src), warnings: warnings.map((w) => ({ ...w, side: name })) };
  }
  const core = loadCore();
  const { comparePlans } = await lazy.diff();
  const result = comparePlans({
    base: sides.base,
    head: sides.head,
    options: coreOptions(opts, defaultNamespace),
    plan: planner(core, { base: sides.base.origins, head: sides.head.origins }),
    select: (ns, name) =>
      (opts.namespace === undefined || ns === opts.namespace) && (opts.canary === undefined || name === opts.canary),
  });
  result.warnings.push(...sides.base.warnings, ...sides.head.warnings);
  if (result.canaries.length === 0 && (opts.namespace !== undefined || opts.canary !== undefined)) {
    err(
      `${PROG}: no Canary matches ${[opts.namespace && `-n ${opts.namespace}`, opts.canary && `--canary ${opts.canary}`].filter(Boolean).join(' ')} on either side`,
    );
    return EXIT.input;
  }

  if (output === 'json') process.stdout.write(jsonText(result));
  else if (output === 'yaml') process.stdout.write((await lazy.yaml()).yamlText(result));
  else if (output === 'markdown')
    process.stdout.write((await lazy.markdown()).diffMarkdown(result, { origins: sides.head.origins }));
  else process.stdout.write(diffTextReport(result, { origins: sides.head.origins }));
  if (output !== 'text')
    for (const w of result.warnings)
      if (w.code === 'duplicate-object' || w.code === 'kustomization')
        err(`${PROG}: warning: ${w.side.toUpperCase()}: ${w.code}: ${w.message}`);

  let code = EXIT.ok;
  for (const c of result.canaries) {
    if (c.error) {
      err(`${PROG}: Canary ${c.canary.namespace}/${c.canary.name}: HEAD: ${errorLine(c.error, sides.head.origins)}`);
      code = EXIT.planError;
    }
  }
  if (code === EXIT.ok && opts['exit-code'] && result.canaries.some((c) => ROLLOUT_DECISIONS.has(c.decision)))
    code = EXIT.rollout;
  return code;
}

async function checksum(inputs, opts) {
  if (!inputs.length) throw new UsageError('checksum needs files, directories or - (stdin)');
  const core = loadCore();
  const { objects, origins } = await loadSource({ type: 'paths', paths: inputs });
  const ns = opts.namespace ?? 'default';
  let code = EXIT.ok;
  let found = 0;
  const lines = [];
  for (const [i, obj] of objects.entries()) {
    if (obj?.kind !== 'ConfigMap' && obj?.kind !== 'Secret') continue;
    found += 1;
    const id = `${obj.kind.toLowerCase()}/${obj.metadata?.namespace ?? ns}/${obj.metadata?.name ?? '?'}`;
    try {
      lines.push(`${id} ${core.checksum(obj, opts['flagger-version'])}`);
    } catch (e) {
      const where = locate(`/objects/${i}`, origins);
      err(
        `${PROG}: ${id}${where ? ` in ${where}` : ''}: ${e.code ?? 'error'}: ${e.message}${e.path ? ` at ${e.path}` : ''}`,
      );
      code = EXIT.input;
      if (e.code === 'unsupported-flagger-version') break;
    }
  }
  process.stdout.write(lines.map((l) => `${escapeControl(l)}\n`).join(''));
  if (found === 0 && code === EXIT.ok) {
    err(`${PROG}: no ConfigMap or Secret in ${inputs.join(', ')}`);
    code = EXIT.input;
  }
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError) {
      err(`${PROG}: ${e.message} (see '${PROG} help')`);
    } else if (e instanceof WebAssembly.RuntimeError) {
      // A trap is a bug in the core, never the input's fault: say so, in one line.
      err(`${PROG}: internal-error: the wasm core trapped (${e.message}); please report it`);
    } else {
      // Parse, file, cluster, tool and core errors: one line, no input excerpt.
      const code = e?.code && !String(e.code).startsWith('ERR_') && e?.name !== 'ParseError' ? `${e.code}: ` : '';
      err(`${PROG}: ${code}${e?.message ?? e}`);
    }
    process.exitCode = EXIT.input;
  },
);
