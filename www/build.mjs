// Builds the static dashboard into www/dist: two bundled ES modules, the
// page (app.js: state and rendering only) and its worker (worker.js: the
// package's parse, cluster and planner entry points, yaml, diff, the wasm
// glue), the CSS, index.html and the wasm module from js/pkg/abi (made by
// scripts/build.sh). No network at run time.

import { access, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const www = dirname(fileURLToPath(import.meta.url));
const dist = join(www, 'dist');
const pkg = join(www, '..', 'js', 'pkg', 'abi');

try {
  await access(join(pkg, 'canary_tracker.wasm'));
} catch {
  console.error(`www build: ${pkg}/canary_tracker.wasm is missing; run scripts/build.sh first`);
  process.exit(1);
}

// js/src and www/src share one copy of each npm dependency, resolved from
// www/node_modules, so the bundle holds one `yaml` and js/ needs no install.
const shareDeps = {
  name: 'share-deps',
  setup(b) {
    b.onResolve({ filter: /^(yaml|diff)(\/.*)?$/ }, async (args) => {
      if (args.pluginData === 'shared') return undefined;
      return b.resolve(args.path, { resolveDir: www, kind: args.kind, pluginData: 'shared' });
    });
  },
};

// `canary-tracker` and `canary-tracker/<sub>` resolve through js/package.json's
// exports (browser condition): the dashboard uses the package's public entry points.
const jsDir = join(www, '..', 'js');
const { exports: entries } = JSON.parse(await readFile(join(jsDir, 'package.json'), 'utf8'));
const packageEntries = {
  name: 'canary-tracker-entries',
  setup(b) {
    b.onResolve({ filter: /^canary-tracker(\/.*)?$/ }, (args) => {
      const sub = `.${args.path.slice('canary-tracker'.length)}`;
      const e = entries[sub];
      const target = typeof e === 'string' ? e : (e?.browser ?? e?.default);
      if (!target) return { errors: [{ text: `canary-tracker does not export ${sub}` }] };
      return { path: join(jsDir, target) };
    });
  },
};

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [join(www, 'src', 'app.js'), join(www, 'src', 'worker.js')],
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: process.env.WWW_MINIFY !== '0',
  sourcemap: false,
  legalComments: 'none',
  plugins: [packageEntries, shareDeps],
  logLevel: 'warning',
});
for (const f of ['index.html', 'app.css']) await copyFile(join(www, 'src', f), join(dist, f));
await copyFile(join(pkg, 'canary_tracker.wasm'), join(dist, 'canary_tracker.wasm'));
console.log(`www build: ${dist}`);
