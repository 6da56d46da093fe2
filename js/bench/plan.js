#!/usr/bin/env node
// One plan call over a generated bag: N Canaries, each with a Deployment and
// 4 configs of about 2 KB (js/bench/lib.js `bag`).
//   node bench/plan.js --canaries N [--path objects|json] [--runs R] [--module PATH]
// prints  ms=<best of R runs> us_per_canary=<y> path=<p> objects=<n>
// --path objects calls plan(request) with the JS objects; json calls
// planJson(text) with the request text made beforehand. No assertions.
import { arg, bag, bestMs, fmt, loadCore, SHIPPED_NODE } from './lib.js';

const argv = process.argv.slice(2);
try {
  const n = Number(arg(argv, '--canaries', '1000'));
  const p = arg(argv, '--path', 'objects');
  const runs = Number(arg(argv, '--runs', '5'));
  if (!Number.isInteger(n) || n < 1) throw new Error('--canaries must be a positive integer');
  if (!['objects', 'json'].includes(p)) throw new Error('--path must be objects or json');
  const core = loadCore(arg(argv, '--module', SHIPPED_NODE));
  const request = bag(n);
  const text = JSON.stringify(request);
  const call = p === 'objects' ? () => core.plan(request) : () => core.planJson(text);
  const first = p === 'objects' ? core.plan(request) : JSON.parse(core.planJson(text));
  if (first.plans.length !== n || first.plans.some((x) => x.error))
    throw new Error('the generated bag did not plan cleanly');
  const ms = bestMs(call, runs);
  process.stdout.write(
    `ms=${fmt(ms, 2)} us_per_canary=${fmt((ms * 1000) / n, 1)} path=${p} objects=${request.objects.length}\n`,
  );
} catch (e) {
  process.stderr.write(`plan.js: ${e.code ? `${e.code}: ` : ''}${e.message}\n`);
  process.exit(1);
}
