#!/usr/bin/env node
// One plan call over a generated bag: N Canaries, each with a Deployment and
// 4 configs of about 2 KB (js/bench/lib.js `bag`).
//   node bench/plan.js --canaries N [--path objects|json] [--runs R] [--module PATH.wasm]
// (default module: the build js/src/wasm-node.js picks for the request's size)
// prints  ms=<best of R runs, CPU> wall_ms=<best of R, wall> us_per_canary=<y> path=<p>
//         objects=<n> request_MB=<r> wasm_memory_MiB=<m> max_rss_MiB=<s>
// --path objects calls the package's plan(request) with the JS objects; json
// calls planJson(text) with the request text made beforehand (js/src/api.js
// over the import-free module; --module picks the .wasm). `ms` is this
// process's CPU time (a shared machine's waits are not the code's; it also
// counts V8's GC threads); `wasm_memory_MiB` is the module's linear memory
// after the runs — its peak, since wasm memory never shrinks — and
// `max_rss_MiB` the process's peak resident set. No assertions.
import { SPEED_FROM } from '../src/wasm-node.js';
import { arg, bag, fmt, loadCore, SHIPPED_ABI, SHIPPED_SPEED } from './lib.js';

const argv = process.argv.slice(2);
try {
  const n = Number(arg(argv, '--canaries', '1000'));
  const p = arg(argv, '--path', 'objects');
  const runs = Number(arg(argv, '--runs', '5'));
  if (!Number.isInteger(n) || n < 1) throw new Error('--canaries must be a positive integer');
  if (!['objects', 'json'].includes(p)) throw new Error('--path must be objects or json');
  const request = bag(n);
  const text = JSON.stringify(request);
  // Default: the build the package's Node entry plans this request on.
  const module = arg(argv, '--module', text.length >= SPEED_FROM ? SHIPPED_SPEED : SHIPPED_ABI);
  const core = loadCore(module);
  const call = p === 'objects' ? () => core.plan(request) : () => core.planJson(text);
  const first = p === 'objects' ? core.plan(request) : JSON.parse(core.planJson(text));
  if (first.plans.length !== n || first.plans.some((x) => x.error))
    throw new Error('the generated bag did not plan cleanly');
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let best = Infinity;
  let bestWall = Infinity;
  for (let r = 0; r < runs; r++) {
    const [c, w] = [cpu(), performance.now()];
    call();
    best = Math.min(best, cpu() - c);
    bestWall = Math.min(bestWall, performance.now() - w);
  }
  const mib = (b) => fmt(b / 2 ** 20);
  process.stdout.write(
    `ms=${fmt(best, 2)} wall_ms=${fmt(bestWall, 2)} us_per_canary=${fmt((best * 1000) / n, 1)} path=${p} module=${module.split('/').pop()} objects=${request.objects.length}` +
      ` request_MB=${fmt(Buffer.byteLength(text) / 1e6)} wasm_memory_MiB=${mib(core.host.memoryBytes)}` +
      ` max_rss_MiB=${mib(process.resourceUsage().maxRSS * 1024)}\n`,
  );
} catch (e) {
  process.stderr.write(`plan.js: ${e.code ? `${e.code}: ` : ''}${e.message}\n`);
  process.exit(1);
}
