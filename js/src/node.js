// Node entry: the import-free module (js/pkg/abi), loaded synchronously on
// the first call.

export { CanaryTrackerError } from './api.js';
export { checksum, configRefs, flaggerVersions, plan, planJson, specHash, version } from './wasm-node.js';

import { fetchObjects as fetchWith } from './cluster.js';
import { configRefs } from './wasm-node.js';

/** Nothing to wait for in Node; here so code can call `await init()` on both targets. */
export async function init() {}

/** The objects a plan needs, from a `kubectl proxy` URL; the core says which configs a pod spec references. */
export const fetchObjects = (opts) => fetchWith({ configRefs, ...opts });

export * from './core.js';
export { expandPath, loadObjects, readStream } from './files.js';
