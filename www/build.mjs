// Builds the static dashboard into www/dist: one bundled ES module (the page's
// code plus js/src modules, yaml and diff), the CSS, index.html and the web
// wasm from js/pkg/web (made by scripts/build.sh). No network at run time.
import { build } from 'esbuild';
import { copyFile, mkdir, rm, access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = dirname(fileURLToPath(import.meta.url));
const dist = join(www, 'dist');
const pkg = join(www, '..', 'js', 'pkg', 'web');

try {
  await access(join(pkg, 'canary_tracker_bg.wasm'));
} catch {
  console.error(`www build: ${pkg}/canary_tracker_bg.wasm is missing; run scripts/build.sh first`);
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

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [join(www, 'src', 'app.js')],
  outfile: join(dist, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: process.env.WWW_MINIFY !== '0',
  sourcemap: false,
  legalComments: 'none',
  plugins: [shareDeps],
  logLevel: 'warning',
});
for (const f of ['index.html', 'app.css']) await copyFile(join(www, 'src', f), join(dist, f));
await copyFile(join(pkg, 'canary_tracker_bg.wasm'), join(dist, 'canary_tracker_bg.wasm'));
console.log(`www build: ${dist}`);
