// `npm pack` / `npm publish` run this first (package.json "prepack"): refuse to pack a package whose wasm
// module is missing, not the import-free module, or older than the Rust sources it is built from, and copy
// the repository's LICENSE in (npm packs only files inside js/).
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const js = fileURLToPath(new URL('..', import.meta.url));
const repo = join(js, '..');
const fail = (why) => {
  console.error(`canary-tracker: refusing to pack: ${why}; run scripts/build.sh first`);
  process.exit(1);
};

// The size build (browser) and the speed build (Node) of the same module.
const modules = ['pkg/abi/canary_tracker.wasm', 'pkg/abi/canary_tracker.speed.wasm'];
for (const name of modules) {
  const wasm = join(js, name);
  if (!existsSync(wasm)) fail(`${name} is missing`);
  const module = new WebAssembly.Module(readFileSync(wasm));
  if (WebAssembly.Module.imports(module).length) fail(`${name} has imports: it is not the import-free module`);
  const exported = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const n of ['memory', 'alloc', 'dealloc', 'abi_version', 'plan', 'checksum', 'call']) {
    if (!exported.includes(n)) fail(`${name} lacks the export ${n}`);
  }
}
// In a checkout, the modules must be newer than every Rust source (a packed tarball has no sources).
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
  for (const name of modules)
    if (statSync(join(js, name)).mtimeMs < sources) fail(`${name} is older than the Rust sources`);
  copyFileSync(join(repo, 'LICENSE'), join(js, 'LICENSE'));
}
if (!existsSync(join(js, 'LICENSE'))) fail('LICENSE is missing');
