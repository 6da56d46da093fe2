// Browser entry: the wasm-bindgen `--target web` build. Call `await init()`
// once (optionally with the .wasm URL, Response or bytes) before `plan`.

import initWasm, * as wasm from '../pkg/web/canary_tracker.js';

let ready;
let done = false;

/**
 * Loads the wasm module (once; later calls return the same promise).
 * @param {any} [moduleOrPath] what wasm-bindgen's init accepts; default: the
 *   `canary_tracker_bg.wasm` next to the generated module
 */
export function init(moduleOrPath) {
  ready ??= initWasm(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath }).then(() => {
    done = true;
  });
  return ready;
}

function loaded(name) {
  return (...args) => {
    if (!done) throw new Error(`canary-tracker: call \`await init()\` (and wait for it) before ${name}()`);
    return wasm[name](...args);
  };
}

export const plan = loaded('plan');
export const planJson = loaded('planJson');
export const checksum = loaded('checksum');
export const version = loaded('version');

export * from './core.js';
