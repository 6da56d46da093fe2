// Node entry: the wasm-bindgen `--target nodejs` build, loaded synchronously.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wasm = require('../pkg/node/canary_tracker.js');

/** Plans a request object; throws an Error with `.code` on request-level errors. */
export const plan = wasm.plan;
/** JSON text in, JSON text out; errors come back as `{"error": {...}}`. */
export const planJson = wasm.planJson;
/** Flagger's checksum of one ConfigMap/Secret. */
export const checksum = wasm.checksum;
/** The core's version. */
export const version = wasm.version;

/** Nothing to wait for in Node; here so code can call `await init()` on both targets. */
export async function init() {}

export * from './core.js';
export { expandPath, loadObjects, readStream } from './files.js';
