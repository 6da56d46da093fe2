// Browser entry: the import-free module (js/pkg/abi/canary_tracker.wasm).
// Call `await init()` once before anything else; by default it fetches the
// .wasm next to this package's files. With a bundler, import the module's URL
// (`canary-tracker/wasm`) and pass it: see the README, "Bundlers".

import { AbiHost } from './abi.js';
import { coreApi } from './api.js';
import { fetchObjects as fetchWith } from './cluster.js';

let host;
let ready;

/**
 * Loads and compiles the module (once; later calls return the same promise).
 * @param {string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module} [source]
 *   where the .wasm is, its bytes, or a compiled module; default: `../pkg/abi/canary_tracker.wasm` from here
 */
export function init(source) {
  ready ??= compile(source ?? new URL('../pkg/abi/canary_tracker.wasm', import.meta.url)).then((module) => {
    host = new AbiHost(module);
  });
  return ready;
}

async function compile(source) {
  const src = await source;
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof ArrayBuffer || ArrayBuffer.isView(src)) return WebAssembly.compile(src);
  const res = src instanceof Response ? src : await fetch(src);
  if (!res.ok)
    throw new Error(`canary-tracker: cannot load the wasm module from ${res.url || String(src)}: HTTP ${res.status}`);
  return WebAssembly.compile(await res.arrayBuffer());
}

function loaded() {
  if (!host) throw new Error('canary-tracker: call `await init()` (and wait for it) before using the core');
  return host;
}

export const { plan, planJson, checksum, specHash, configRefs, flaggerVersions, version } = coreApi(loaded);

/** The objects a plan needs, from a `kubectl proxy` URL; the core says which configs a pod spec references. */
export const fetchObjects = (opts) => fetchWith({ configRefs, ...opts });

export { CanaryTrackerError } from './api.js';
export * from './core.js';
