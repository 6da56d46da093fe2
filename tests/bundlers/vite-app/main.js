// Bundled by Vite: plain `init()`; Vite emits the .wasm the entry names with `new URL(..., import.meta.url)`.
import { checksum, init, plan } from 'canary-tracker';
import { report } from '../page.js';

await init();
report({ plan, checksum });
