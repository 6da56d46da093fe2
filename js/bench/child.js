// Measurements that need a fresh process (js/bench/run.js runs this):
//   node bench/child.js instantiate   compile + instantiate time of each .wasm
//   node bench/child.js memory        memory for one 1 MiB ConfigMap checksum
// Prints one JSON object.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WASI } from 'node:wasi';
import { configMap, JS_DIR, loadCore } from './lib.js';

const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const task = process.argv[2];
const out = {};

if (task === 'instantiate') {
  const time = (name, file, imports) => {
    const bytes = readFileSync(path.join(JS_DIR, file));
    let t = process.hrtime.bigint();
    const m = new WebAssembly.Module(bytes);
    const compile = ms(t);
    t = process.hrtime.bigint();
    new WebAssembly.Instance(m, typeof imports === 'function' ? imports(m) : imports);
    out[name] = { compile, instantiate: ms(t) };
  };
  time('js/pkg/abi', 'pkg/abi/canary_tracker.wasm', {});
  const wasi = new WASI({ version: 'preview1', args: [], env: {} });
  time('js/pkg/wasi', 'pkg/wasi/canary-tracker.wasm', wasi.getImportObject());
} else if (task === 'memory') {
  const cm = configMap(1 << 20);
  const core = loadCore();
  out.abiBefore = core.host.memoryBytes;
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  core.checksum(cm);
  out.abiAfter = core.host.memoryBytes;
  out.rssAfter = process.memoryUsage().rss;
  out.rssDelta = out.rssAfter - rss0;
} else {
  process.stderr.write(`child.js: unknown task ${task}\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(out));
