#!/usr/bin/env node
// canary-tracker: preview what Flagger does with a Canary's ConfigMaps and
// Secrets, from manifests or from a cluster through `kubectl proxy`.
//
// Exit codes: 0 ok; 1 bad input or usage; 2 a plan error in some Canary;
// 3 (only with --exit-code) some Canary's configs changed, so Flagger would
// start an analysis. Secret values are never printed unless --show-secrets.

import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { loadObjects } from './src/files.js';
import { fetchObjects } from './src/cluster.js';
import { redact } from './src/redact.js';
import { errorLine, locate, objectsToApply, textReport, yamlStream } from './src/report.js';

const require = createRequire(import.meta.url);
const PROG = 'canary-tracker';

const EXIT = { ok: 0, input: 1, planError: 2, changed: 3 };

const HELP = `Usage:
  ${PROG} plan [FILE|DIR|-]... [options]   what Flagger would track, copy and rewrite
  ${PROG} plan --proxy URL [options]        the same, reading the cluster via kubectl proxy
  ${PROG} checksum FILE|DIR|-... [options]  Flagger's checksum of each ConfigMap/Secret
  ${PROG} --help | --version

Inputs: YAML (multi-document) or JSON files, directories (searched recursively
for *.yaml, *.yml, *.json), or - for stdin. kind: List and {"items": [...]}
(kubectl get -o json) are expanded.

plan options:
  --proxy URL                   read Canaries, targets and referenced configs from
                                a kubectl proxy (e.g. http://127.0.0.1:8001)
  -n, --namespace NS            only Canaries in NS; objects without a namespace
                                belong to NS (default: "default"; with --proxy:
                                all namespaces)
  --canary NAME                 only the Canary NAME
  -o, --output text|json|yaml   text report (default); the core's JSON response;
                                or the objects Flagger would apply, as YAML
  --show-secrets                print Secret values in json/yaml output
                                (default: "<redacted>")
  --include-label-prefix P      Flagger's -include-label-prefix (repeatable or
                                comma-separated)
  --selector-labels a,b         Flagger's -selector-labels
                                (default: app,name,app.kubernetes.io/name)
  --disable-config-tracking     as Flagger's -enable-config-tracking=false
  --flagger-version X.Y.Z       the Flagger release to reproduce (default: 1.44.0)
  --exit-code                   exit 3 when a Canary's configs changed (Flagger
                                would start an analysis), 0 when none did

checksum options:
  -n, --namespace NS            namespace of objects without one (default: default)
  --flagger-version X.Y.Z       the Flagger release whose checksum to compute

Exit codes: 0 ok; 1 bad input or usage; 2 a Canary's plan failed (e.g.
config-not-found); 3 with --exit-code, a config change would start an analysis.
`;

class UsageError extends Error {}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  proxy: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  canary: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'show-secrets': { type: 'boolean' },
  'include-label-prefix': { type: 'string', multiple: true },
  'selector-labels': { type: 'string' },
  'disable-config-tracking': { type: 'boolean' },
  'flagger-version': { type: 'string' },
  'exit-code': { type: 'boolean' },
};
const PLAN_ONLY = ['proxy', 'canary', 'output', 'show-secrets', 'include-label-prefix', 'selector-labels', 'disable-config-tracking', 'exit-code'];

function loadCore() {
  try {
    return require('./pkg/node/canary_tracker.js');
  } catch (e) {
    throw new Error(`the wasm core is not built (js/pkg/node): run scripts/build.sh (${e.code ?? e.message})`);
  }
}

/** Request paths the core may name in an error, as the flags that set them. */
const FLAG_OF_PATH = {
  '/options/flaggerVersion': '--flagger-version',
  '/options/selectorLabels': '--selector-labels',
  '/options/includeLabelPrefix': '--include-label-prefix',
  '/options/defaultNamespace': '-n',
  '/canary': '-n/--canary',
};

const list = (values) =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');

async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e.message);
  }
  const { values: opts, positionals } = parsed;
  if (opts.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (opts.version) {
    const pkg = require('./package.json');
    process.stdout.write(`${PROG} ${pkg.version} (core ${loadCore().version()})\n`);
    return EXIT.ok;
  }
  const [command, ...inputs] = positionals;
  if (command === 'plan') return plan(inputs, opts);
  if (command === 'checksum') {
    const bad = PLAN_ONLY.filter((k) => opts[k] !== undefined);
    if (bad.length) throw new UsageError(`checksum does not take --${bad[0]}`);
    return checksum(inputs, opts);
  }
  throw new UsageError(command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`);
}

async function plan(inputs, opts) {
  const output = opts.output ?? 'text';
  if (!['text', 'json', 'yaml'].includes(output)) throw new UsageError(`-o must be text, json or yaml, not ${JSON.stringify(output)}`);
  if (opts.proxy !== undefined && inputs.length) throw new UsageError('give either files or --proxy, not both');
  if (opts.proxy === undefined && !inputs.length) throw new UsageError('no input: give files, directories, - (stdin) or --proxy URL');
  const core = loadCore();

  let objects;
  let origins;
  if (opts.proxy !== undefined) {
    objects = await fetchObjects({ proxy: opts.proxy, namespace: opts.namespace, canary: opts.canary });
  } else {
    ({ objects, origins } = await loadObjects(inputs));
  }

  const options = { defaultNamespace: opts.namespace ?? 'default' };
  if (opts['include-label-prefix']) options.includeLabelPrefix = list(opts['include-label-prefix']);
  if (opts['selector-labels'] !== undefined) options.selectorLabels = list([opts['selector-labels']]);
  if (opts['disable-config-tracking']) options.enableConfigTracking = false;
  if (opts['flagger-version'] !== undefined) options.flaggerVersion = opts['flagger-version'];
  const request = { objects, options };
  if (opts.namespace !== undefined || opts.canary !== undefined) {
    request.canary = {};
    if (opts.namespace !== undefined) request.canary.namespace = opts.namespace;
    if (opts.canary !== undefined) request.canary.name = opts.canary;
  }

  const response = JSON.parse(core.planJson(JSON.stringify(request)));
  if (response.error) {
    const flag = FLAG_OF_PATH[response.error.path];
    const error = flag ? { ...response.error, path: undefined, message: `${response.error.message} (${flag})` } : response.error;
    process.stderr.write(`${PROG}: ${errorLine(error, origins)}\n`);
    return EXIT.input;
  }
  if (response.plans.length === 0) {
    const where = opts.proxy !== undefined ? opts.proxy : inputs.join(', ');
    process.stderr.write(`${PROG}: no Canary (flagger.app) found in ${where}\n`);
    return EXIT.input;
  }

  const shown = opts['show-secrets'] ? response : redact(response);
  if (output === 'json') process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
  else if (output === 'yaml') process.stdout.write(yamlStream(objectsToApply(shown)));
  else process.stdout.write(textReport(shown, { origins }));

  let code = EXIT.ok;
  for (const p of response.plans) {
    if (p.error) {
      process.stderr.write(`${PROG}: Canary ${p.canary.namespace}/${p.canary.name}: ${errorLine(p.error, origins)}\n`);
      code = EXIT.planError;
    }
  }
  if (code === EXIT.ok && opts['exit-code'] && response.plans.some((p) => p.configsChanged === true)) code = EXIT.changed;
  return code;
}

async function checksum(inputs, opts) {
  if (!inputs.length) throw new UsageError('checksum needs files, directories or - (stdin)');
  const core = loadCore();
  const { objects, origins } = await loadObjects(inputs);
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
      process.stderr.write(`${PROG}: ${id}${where ? ` in ${where}` : ''}: ${e.code ?? 'error'}: ${e.message}${e.path ? ` at ${e.path}` : ''}\n`);
      code = EXIT.input;
      if (e.code === 'unsupported-flagger-version') break;
    }
  }
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  if (found === 0 && code === EXIT.ok) {
    process.stderr.write(`${PROG}: no ConfigMap or Secret in ${inputs.join(', ')}\n`);
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
      process.stderr.write(`${PROG}: ${e.message}\nTry '${PROG} --help'.\n`);
    } else if (e instanceof WebAssembly.RuntimeError) {
      // A trap is a bug in the core, never the input's fault: say so, in one line.
      process.stderr.write(`${PROG}: internal-error: the wasm core trapped (${e.message}); please report it\n`);
    } else {
      // Parse, file, cluster and core errors: one line, no input excerpt.
      const code = e?.code && !String(e.code).startsWith('ERR_') ? `${e.code}: ` : '';
      process.stderr.write(`${PROG}: ${e?.name === 'ParseError' ? '' : code}${e?.message ?? e}\n`);
    }
    process.exitCode = EXIT.input;
  },
);
