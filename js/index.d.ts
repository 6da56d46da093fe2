// Types of the `canary-tracker` package (both the "node" and the "browser"
// entry; the functions marked "Node only" exist in the node entry alone).

/** The core's stable error codes. */
export type ErrorCode =
  | 'invalid-json'
  | 'invalid-utf8'
  | 'input-too-large'
  | 'invalid-request'
  | 'invalid-object'
  | 'invalid-base64'
  | 'canary-not-found'
  | 'target-not-found'
  | 'config-not-found'
  | 'unsupported-target-kind'
  | 'no-selector-label'
  | 'unsupported-update-strategy'
  | 'unsupported-flagger-version'
  | 'internal-error';

/** A config reference: `configmap/NAME` or `secret/NAME`. */
export type ConfigRef = `configmap/${string}` | `secret/${string}`;

/** A coded error, at request level (`{"error": ...}`) or in a plan (`plan.error`). */
export interface CoreError {
  code: ErrorCode;
  message: string;
  /** JSON pointer into the request, e.g. `/objects/3/spec/template`. */
  path?: string;
  /** The config involved. */
  ref?: ConfigRef;
}

/** The `Error` that `plan`, `checksum` and `configRefs` throw on request-level failures. */
export class CanaryTrackerError extends Error {
  constructor(error: CoreError);
  code: ErrorCode;
  path?: string;
  ref?: ConfigRef;
}

/** The core's stable warning codes (`invalid-object` only in the response's top-level `warnings`). */
export type WarningCode =
  | 'invalid-object'
  | 'optional-config-missing'
  | 'config-missing-skipped'
  | 'config-binary-data'
  | 'config-shared'
  | 'name-too-long'
  | 'config-tracking-opt-out'
  | 'init-container-not-rewritten'
  | 'headless-service-ip-dropped'
  | 'service-create-rejected'
  | 'flagger-version-newer';

/** Something Flagger does silently that the user should know about. */
export interface Warning {
  code: WarningCode;
  message: string;
  ref?: ConfigRef;
  path?: string;
}

/** Any Kubernetes object (the core reads what it needs and keeps the rest). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Flagger's command-line settings that change what it does. */
export interface PlanOptions {
  /** Namespace of objects without `metadata.namespace` (default `"default"`). */
  defaultNamespace?: string;
  /** Flagger's `-include-label-prefix` (`*` = all). Default: none. */
  includeLabelPrefix?: string[];
  /** Flagger's `-selector-labels`. Default: `app`, `name`, `app.kubernetes.io/name`. */
  selectorLabels?: string[];
  /** Flagger's `-enable-config-tracking`. Default: true. */
  enableConfigTracking?: boolean;
  /** The Flagger release to reproduce, e.g. `"1.44.0"` (default: the newest supported). */
  flaggerVersion?: string | null;
}

/** Which Canaries to plan; unset fields match any. */
export interface CanaryFilter {
  namespace?: string | null;
  name?: string | null;
}

export interface PlanRequest {
  objects?: unknown[] | null;
  canary?: CanaryFilter | null;
  options?: PlanOptions | null;
}

/** One difference between the Canary's `status.trackedConfigs` and now. */
export interface ConfigChange {
  ref: ConfigRef;
  change: 'added' | 'removed' | 'modified';
  /** The checksum in `status.trackedConfigs` (null: not there). */
  tracked: string | null;
  /** The checksum Flagger computes now (null: no longer tracked). */
  current: string | null;
}

export type UntrackedReason = 'secret-type' | 'opt-out' | 'optional-missing' | 'missing-skipped' | 'tracking-disabled';

/** A referenced config that Flagger does not track, and why. */
export interface UntrackedConfig {
  ref: ConfigRef;
  reason: UntrackedReason;
  message: string;
}

/** One config of a plan, as the CLI report and the dashboard show it. */
export interface ConfigRow {
  ref: ConfigRef;
  kind: 'ConfigMap' | 'Secret';
  name: string;
  state: 'unchanged' | 'modified' | 'added' | 'removed' | 'not-tracked';
  /** The checksum Flagger computes now (null: not tracked now). */
  current: string | null;
  /** The checksum in the Canary's `status.trackedConfigs` (null: not there). */
  tracked: string | null;
  /** Why a `not-tracked` (or `removed`) config is not tracked. */
  reason?: UntrackedReason;
  /** The state in words. */
  message: string;
}

/** One rename in the primary workload. */
export interface Rewrite {
  /** JSON pointer into `primaryWorkload`. */
  path: string;
  from: string;
  to: string;
}

/** What Flagger would do for one Canary. */
export interface Plan {
  canary: { namespace: string; name: string };
  flaggerVersion: string;
  target: { kind: string; apiVersion?: string; namespace: string; name: string } | null;
  error: CoreError | null;
  /** What Flagger writes to `status.trackedConfigs` (null: not tracked, or the plan failed). */
  trackedConfigs: Record<ConfigRef, string> | null;
  /** Flagger's verdict: true = a canary analysis starts (null when the plan failed). */
  configsChanged: boolean | null;
  configChanges: ConfigChange[];
  untrackedConfigs: UntrackedConfig[];
  /** One row per config (tracked, removed, not tracked): the table hosts show. */
  configs: ConfigRow[];
  /** The `-primary` ConfigMaps/Secrets Flagger creates or updates. */
  primaryConfigs: KubeObject[];
  /** The `-primary` Deployment/DaemonSet. */
  primaryWorkload: KubeObject | null;
  /** Service targets: the two Services Flagger maintains. */
  services: { primary: KubeObject; canary: KubeObject } | null;
  rewrites: Rewrite[];
  warnings: Warning[];
}

export interface PlanResponse {
  plans: Plan[];
  /** Objects that were skipped because they could not be read. */
  warnings?: Warning[];
}

/** What `planJson` returns, parsed. */
export type PlanJsonResponse = PlanResponse | { error: CoreError };

/**
 * Loads the wasm module. Browser: required once before the functions below
 * (argument: the .wasm's URL, a Response, its bytes or a compiled module; default: the
 * `pkg/abi/canary_tracker.wasm` next to the package's files). Node: resolves at once.
 */
export function init(source?: string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module): Promise<void>;
/** Plans every Canary in `request.objects`; throws a {@link CanaryTrackerError} on request-level errors. */
export function plan(request: PlanRequest): PlanResponse;
/** JSON text in, JSON text out ({@link PlanJsonResponse}); never throws. */
export function planJson(text: string): string;
/** Flagger's checksum of one ConfigMap or Secret; throws a {@link CanaryTrackerError}. */
export function checksum(object: KubeObject, flaggerVersion?: string): string;
/** The core's version. */
export function version(): string;
/** A spec hash: now, and as recorded in the Canary's status. */
export interface SpecHash {
  current: string | null;
  lastApplied: string | null;
  lastPromoted: string | null;
  exact: boolean;
  form: 'server' | 'manifest';
  layout: string | null;
  unsupported: string | null;
}
/** Flagger's spec hash (`status.lastAppliedSpec`) of one Deployment, DaemonSet or Service; throws a {@link CanaryTrackerError}. */
export function specHash(object: KubeObject, flaggerVersion?: string, specForm?: 'auto' | 'server' | 'manifest'): SpecHash;
/** Every ConfigMap/Secret a pod spec references, each once, as `flaggerVersion` (default: newest) scans it. */
export function configRefs(podSpec: unknown, flaggerVersion?: string): Array<{ ref: ConfigRef; kind: 'ConfigMap' | 'Secret'; name: string }>;
/** The Flagger releases the core reproduces; `releases` newest first, each a release where the plan changes. */
export function flaggerVersions(): { newest: string; oldest: string; releases: string[] };

// ---- parse.js

/** Where one object came from. */
export interface Origin {
  file: string;
  /** 1-based document index in the file. */
  document: number;
  /** 1-based line where the document's content (or the List item) starts. */
  line: number;
  /** 1-based item index when the document is a List; `"2.3"` for item 3 of a List that is item 2. */
  item?: number | string;
}

/** A file that cannot be read as Kubernetes objects; the message never quotes the input. */
export class ParseError extends Error {
  code: string;
  file?: string;
  document?: number;
  line?: number;
  col?: number;
  /** The message without the location. */
  detail: string;
}

/** YAML stream / JSON / List, as bytes (decoded as kubectl does) or text → objects, with their origins. Throws {@link ParseError}. */
export function parseObjects(text: string | Uint8Array, opts?: { file?: string }): { objects: KubeObject[]; origins: Origin[] };
/** Gives a List item with neither `kind` nor `apiVersion` the List's. */
export function fillKind<T extends object>(item: T, kind?: string, apiVersion?: string): T & KubeObject;

// ---- cluster.js

export class ClusterError extends Error {
  code: 'cluster-error' | 'cluster-unreachable' | 'cluster-not-found' | 'cluster-http-error' | 'cluster-bad-response' | 'cluster-timeout' | 'cluster-redirect' | 'input-too-large' | string;
  url?: string;
  status?: number;
  /** The `reason` of a Kubernetes `Status` body. */
  reason?: string;
}

export interface FetchOptions {
  /** Base URL of `kubectl proxy`, e.g. `http://127.0.0.1:8001`. */
  proxy: string;
  /** Absent: all namespaces. */
  namespace?: string;
  /** Absent: every Canary. */
  canary?: string;
  fetch?: typeof globalThis.fetch;
  onRequest?: (path: string) => void;
  /** Per request, default 60000; 0: no timeout. No headers or no body data for 30 s also stops a request. */
  timeoutMs?: number;
  /** The Flagger release whose scan decides which configs to fetch (default: newest). */
  flaggerVersion?: string;
}

/** Canaries, their targets, the configs they reference and existing `-primary` copies. Throws {@link ClusterError}. */
export function fetchObjects(opts: FetchOptions): Promise<KubeObject[]>;
/** The REST path of an object or collection. */
export function restPath(r: { group?: string; version: string; resource: string; namespace?: string; name?: string }): string;

// ---- redact.js

export const REDACTED: '<redacted>';
/** A copy with every Secret's `data`/`stringData` values replaced by `"<redacted>"`. */
export function redact<T>(value: T): T;

// ---- report.js

/** A human-readable report of a response; every line is free of raw control characters. */
export function textReport(
  response: PlanResponse,
  opts?: {
    origins?: Origin[];
    /** Per Canary (key `${namespace}\0${name}`): the decision, the status source, what is not previewed. */
    extras?: Map<string, { decision?: string; message?: string; basis?: string; status?: string; notPreviewed?: Array<{ kind: string; name: string; why: string }> }>;
    inputWarnings?: Array<{ code: string; message: string }>;
  },
): string;
/** The verdict in words. */
export function verdictText(plan: Plan): string;
/** The objects to apply: primary configs, primary workload, services, of every plan without an error. */
export function objectsToApply(response: PlanResponse): KubeObject[];
/** A multi-document YAML stream, quoted for YAML 1.1 readers. */
export function yamlStream(objects: unknown[]): string;
/** One line for a coded error, naming the file and document when `origins` are given. */
export function errorLine(error: CoreError, origins?: Origin[]): string;
/** `file (document N, line L)` for a `/objects/N/...` pointer. */
export function locate(path: string | undefined, origins?: Origin[]): string | undefined;

// ---- files.js (Node only)

/** Node only: objects from files, directories (recursively) and `-` (stdin). */
export function loadObjects(
  paths: string[],
  opts?: { stdin?: AsyncIterable<Uint8Array | string> },
): Promise<{ objects: KubeObject[]; origins: Origin[]; files: string[] }>;
/** Node only: the manifest files a path stands for. */
export function expandPath(path: string): Promise<string[]>;
/** Node only: a whole stream as text (decoded as kubectl decodes a file); past 128 MiB an `input-too-large` {@link ParseError}. */
export function readStream(stream: AsyncIterable<Uint8Array | string>, opts?: { limit?: number; file?: string }): Promise<string>;
