// Bundled by esbuild with `--loader:.wasm=file`: the module's URL comes from `canary-tracker/wasm`.
import wasmUrl from 'canary-tracker/wasm';
import { checksum, init, plan } from 'canary-tracker';
import { report } from '../page.js';

await init(wasmUrl);
report({ plan, checksum });
