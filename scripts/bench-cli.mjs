// Benchmark (prints figures, asserts nothing): wall time of one CLI call on the podinfo example, run
// repeatedly like hyperfine, next to a bare `node -e 0` on the same machine at the same time.
//   node scripts/bench-cli.mjs [RUNS]   (default 20; js/pkg/abi must be built: scripts/build.sh abi)
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 20);

function measure(args) {
  spawnSync(process.execPath, args, { cwd: repo, stdio: 'ignore' }); // warm the OS cache
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / runs;
  return { min: times[0], median: times[Math.floor(runs / 2)], mean, max: times.at(-1) };
}

const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;
const row = (name, m) => console.log(`${name.padEnd(44)} min ${fmt(m.min)}  median ${fmt(m.median)}  mean ${fmt(m.mean)}  max ${fmt(m.max)}`);
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
console.log(`bench-cli: commit ${commit}, node ${process.version}, ${runs} runs each, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const node = measure(['-e', '0']);
row('node -e 0', node);
const cli = measure(['js/cli.js', 'plan', 'examples/podinfo']);
row('node js/cli.js plan examples/podinfo', cli);
const help = measure(['js/cli.js', '--help']);
row('node js/cli.js --help (no wasm)', help);
console.log(`bench-cli: plan call = ${(cli.median / node.median).toFixed(2)} x node -e 0 (median), ${fmt(cli.median - node.median)} over it`);
