// `npm pack` / `npm publish` run this first (package.json "prepack"): refuse to pack a package whose wasm
// module is missing, not the import-free module, or older than the Rust sources it is built from, and copy
// the repository's LICENSE in (npm packs only files inside js/).
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const js = fileURLToPath(new URL('..', import.meta.url));
const repo = join(js, '..');
const wasm = join(js, 'pkg/abi/canary_tracker.wasm');
const fail = (why) => {
  console.error(`canary-tracker: refusing to pack: ${why}; run scripts/build.sh first`);
  process.exit(1);
};

if (!existsSync(wasm)) fail('pkg/abi/canary_tracker.wasm is missing');
const module = new WebAssembly.Module(readFileSync(wasm));
if (WebAssembly.Module.imports(module).length)
  fail('pkg/abi/canary_tracker.wasm has imports: it is not the import-free module');
const exported = WebAssembly.Module.exports(module).map((e) => e.name);
for (const n of ['memory', 'alloc', 'dealloc', 'abi_version', 'plan', 'checksum', 'call']) {
  if (!exported.includes(n)) fail(`pkg/abi/canary_tracker.wasm lacks the export ${n}`);
}
// In a checkout, the module must be newer than every Rust source (a packed tarball has no sources).
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
if (existsSync(join(repo, 'Cargo.toml'))) {
  const sources = Math.max(
    newest(join(repo, 'src')),
    newest(join(repo, 'crates')),
    statSync(join(repo, 'Cargo.lock')).mtimeMs,
  );
  if (statSync(wasm).mtimeMs < sources) fail('pkg/abi/canary_tracker.wasm is older than the Rust sources');
  copyFileSync(join(repo, 'LICENSE'), join(js, 'LICENSE'));
}
if (!existsSync(join(js, 'LICENSE'))) fail('LICENSE is missing');
