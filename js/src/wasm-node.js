// The core in Node: the import-free module from js/pkg/abi (scripts/build.sh),
// read and compiled on the first call, not on import, so a command that needs
// no core (`--help`, a usage error) pays nothing for it.

import { readFileSync } from 'node:fs';
import { AbiHost } from './abi.js';
import { coreApi } from './api.js';

export const WASM_URL = new URL('../pkg/abi/canary_tracker.wasm', import.meta.url);

let host;
function load() {
  if (!host) {
    let bytes;
    try {
      bytes = readFileSync(WASM_URL);
    } catch (e) {
      throw new Error(
        `the wasm core is not built (js/pkg/abi/canary_tracker.wasm): run scripts/build.sh (${e.code ?? e.message})`,
      );
    }
    host = AbiHost.load(bytes);
  }
  return host;
}

export const { plan, planJson, checksum, specHash, configRefs, flaggerVersions, version } = coreApi(load);
