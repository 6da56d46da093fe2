// Measurements that need a fresh process (js/bench/run.js runs this):
//   node bench/child.js instantiate   compile + instantiate time of each .wasm
//   node bench/child.js memory        memory for one 1 MiB ConfigMap checksum
// Prints one JSON object.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WASI } from 'node:wasi';
import { AbiHost } from '../src/abi.js';
import { configMap, JS_DIR } from './lib.js';

const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const task = process.argv[2];
const out = {};

// Capture the linear memory of wasm-bindgen builds as they instantiate.
const memories = [];
const Instance = WebAssembly.Instance;
WebAssembly.Instance = (module, imports) => {
  const i = new Instance(module, imports);
  if (i.exports.memory) memories.push(i.exports.memory);
  return i;
};

const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);

if (task === 'instantiate') {
  const time = (name, file, imports) => {
    const bytes = readFileSync(path.join(JS_DIR, file));
    let t = process.hrtime.bigint();
    const m = new WebAssembly.Module(bytes);
    const compile = ms(t);
    t = process.hrtime.bigint();
    new Instance(m, typeof imports === 'function' ? imports(m) : imports);
    out[name] = { compile, instantiate: ms(t) };
  };
  time('js/pkg/abi', 'pkg/abi/canary_tracker.wasm', {});
  const wasi = new WASI({ version: 'preview1', args: [], env: {} });
  time('js/pkg/wasi', 'pkg/wasi/canary-tracker.wasm', wasi.getImportObject());
  // wasm-bindgen builds: compile alone, then the whole require/initSync
  // (compile + instantiate + start) in this process for the total.
  for (const [name, file, load] of [
    ['js/pkg/node', 'pkg/node/canary_tracker_bg.wasm', () => require(path.join(JS_DIR, 'pkg/node/canary_tracker.js'))],
    [
      'js/pkg/web',
      'pkg/web/canary_tracker_bg.wasm',
      async () =>
        (await import(path.join(JS_DIR, 'pkg/web/canary_tracker.js'))).initSync({
          module: readFileSync(path.join(JS_DIR, 'pkg/web/canary_tracker_bg.wasm')),
        }),
    ],
  ]) {
    let t = process.hrtime.bigint();
    new WebAssembly.Module(readFileSync(path.join(JS_DIR, file)));
    const compile = ms(t);
    t = process.hrtime.bigint();
    await load();
    out[name] = { compile, instantiate: Math.max(0, ms(t) - compile) };
  }
} else if (task === 'memory') {
  const cm = configMap(1 << 20);
  const bytes = Buffer.from(JSON.stringify(cm));
  const host = AbiHost.load(readFileSync(path.join(JS_DIR, 'pkg/abi/canary_tracker.wasm')));
  out.abiBefore = host.memoryBytes;
  host.call('checksum', bytes);
  out.abiAfter = host.memoryBytes;
  const core = require(path.join(JS_DIR, 'pkg/node/canary_tracker.js'));
  const mem = memories.at(-1);
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  out.nodeBefore = mem.buffer.byteLength;
  core.checksum(cm);
  out.nodeAfter = mem.buffer.byteLength;
  out.rssAfter = process.memoryUsage().rss;
  out.rssDelta = out.rssAfter - rss0;
} else {
  process.stderr.write(`child.js: unknown task ${task}\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(out));
