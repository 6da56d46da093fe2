// Types of the `canary-tracker` package: the "node" and "browser" entries (the functions marked "Node only"
// exist in the node entry alone). The JSON the core reads and writes (requests, responses, error and
// warning codes, the verdict) is typed in ./types/core.d.ts, generated from the Rust types; each subpath
// module has its own file in ./types/. js/test/types.test.js checks every file against the runtime exports.
import type { FetchOptions } from './types/cluster.js';
import type {
  CoreError,
  ErrorCode,
  FlaggerVersions,
  PlanRequest,
  PlanResponse,
  PodSpecRef,
  SpecHash,
} from './types/core.js';
import type { KubeObject } from './types/kube.js';

export { ClusterError, type FetchOptions, restPath } from './types/cluster.js';
export * from './types/core.js';
export { expandPath, loadObjects, readStream } from './types/files.js';
export type { KubeObject } from './types/kube.js';
export { fillKind, type Origin, ParseError, parseObjects } from './types/parse.js';
export * from './types/redact.js';
export { errorLine, locate, objectsToApply, textReport, verdictText } from './types/report.js';
export { yamlStream } from './types/yaml-out.js';

/** What `planJson` returns, parsed. */
export type PlanJsonResponse = PlanResponse | { error: CoreError };

/** The `Error` that `plan`, `checksum`, `specHash` and `configRefs` throw on request-level failures. */
export class CanaryTrackerError extends Error {
  constructor(error: CoreError);
  code: ErrorCode;
  /** JSON pointer into the request (or the object), when there is one. */
  path?: string;
  /** The config involved, `configmap/NAME` or `secret/NAME`. */
  ref?: string;
}

/**
 * Loads the wasm module. Browser: required once before the functions below (argument: the .wasm's URL —
 * with a bundler, import it from `canary-tracker/wasm` — a Response, its bytes or a compiled module;
 * default: `pkg/abi/canary_tracker.wasm` beside the package's files). Node: resolves at once.
 */
export function init(
  source?: string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module,
): Promise<void>;
/** Plans every Canary in `request.objects`; throws a {@link CanaryTrackerError} on request-level errors. */
export function plan(request: PlanRequest): PlanResponse;
/** JSON text in, JSON text out ({@link PlanJsonResponse}); never throws. */
export function planJson(text: string): string;
/** Flagger's checksum of one ConfigMap or Secret; throws a {@link CanaryTrackerError}. */
export function checksum(object: KubeObject, flaggerVersion?: string): string;
/** Flagger's spec hash (`status.lastAppliedSpec`) of one Deployment, DaemonSet or Service; throws a {@link CanaryTrackerError}. */
export function specHash(
  object: KubeObject,
  flaggerVersion?: string,
  specForm?: 'auto' | 'server' | 'manifest',
): SpecHash;
/** Every ConfigMap/Secret a pod spec references, each once, as `flaggerVersion` (default: newest) scans it. */
export function configRefs(podSpec: unknown, flaggerVersion?: string): PodSpecRef[];
/** The Flagger releases the core reproduces; `releases` newest first, each a release where the plan changes. */
export function flaggerVersions(): FlaggerVersions;
/** The core's version. */
export function version(): string;
/** Canaries, their targets, the configs they reference (the core's scan) and existing `-primary` copies. */
export function fetchObjects(opts: FetchOptions): Promise<KubeObject[]>;
