// The core in Node: the import-free module from js/pkg/abi (scripts/build.sh),
// read and compiled on the first call that needs it, not on import, so a
// command that needs no core (`--help`, a usage error) pays nothing for it.
//
// Two builds of the same module, with the same answers: the size build (the
// browser's) for small requests, and the speed build (opt-level 2: plans
// ~1.7x faster) for plan requests from SPEED_FROM bytes up, and for checksum
// and specHash (api.js asks with size Infinity: only the speed build has
// their faster paths, the core's `fast-paths` feature). The speed build's
// larger code costs ~20 ms more to compile, which one small CLI plan would
// feel; a large plan earns it back. Without the speed build (`scripts/build.sh
// size` alone), every call runs on the size build: slower, same answers.

import { readFileSync } from 'node:fs';
import { AbiHost } from './abi.js';
import { coreApi } from './api.js';

export const WASM_URL = new URL('../pkg/abi/canary_tracker.wasm', import.meta.url);
export const SPEED_WASM_URL = new URL('../pkg/abi/canary_tracker.speed.wasm', import.meta.url);
/** Plan requests of at least this many characters run on the speed build. */
export const SPEED_FROM = 2_000_000;

const hosts = new Map();
function hostOf(url) {
  let host = hosts.get(url);
  if (!host) {
    let bytes;
    try {
      bytes = readFileSync(url);
    } catch (e) {
      if (url === SPEED_WASM_URL && e.code === 'ENOENT') {
        host = hostOf(WASM_URL);
        hosts.set(url, host);
        return host;
      }
      const name = url.pathname.split('/').pop();
      throw new Error(`the wasm core is not built (js/pkg/abi/${name}): run scripts/build.sh (${e.code ?? e.message})`);
    }
    host = AbiHost.load(bytes);
    hosts.set(url, host);
  }
  return host;
}

/** The host that runs a plan of `size` characters (0: not a plan), or a call with speed-build-only fast paths. */
export const hostFor = (size = 0, fast = false) => hostOf(fast || size >= SPEED_FROM ? SPEED_WASM_URL : WASM_URL);

export const { plan, planJson, checksum, specHash, configRefs, flaggerVersions, version } = coreApi(hostFor);
