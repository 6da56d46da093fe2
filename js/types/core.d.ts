// Generated from the Rust types (src/ts.rs, ts-rs): do not edit.
// `UPDATE_TYPES=1 cargo test --lib ts_types` rewrites it; `cargo test` fails while it differs.
import type { KubeObject } from './kube.js';

export type ErrorCode = "invalid-json" | "invalid-utf8" | "input-too-large" | "invalid-request" | "invalid-object" | "invalid-base64" | "canary-not-found" | "target-not-found" | "config-not-found" | "unsupported-target-kind" | "no-selector-label" | "unsupported-update-strategy" | "unsupported-flagger-version" | "response-too-large" | "internal-error";

export type CoreError = {
  code: ErrorCode;
  message: string;
  /**
   * JSON pointer into the request, where there is one (`/objects/3/spec`).
   */
  path?: string;
  /**
   * The config involved, as `configmap/NAME` or `secret/NAME`.
   */
  ref?: string;
};

export type WarningCode = "invalid-object" | "optional-config-missing" | "config-missing-skipped" | "config-binary-data" | "config-shared" | "name-too-long" | "config-tracking-opt-out" | "init-container-not-rewritten" | "headless-service-ip-dropped" | "service-create-rejected" | "flagger-version-newer" | "warnings-omitted";

export type Warning = {
  code: WarningCode;
  message: string;
  ref?: string;
  path?: string;
};

export type SpecForm = 'auto' | 'server' | 'manifest';

export type PlanOptions = {
  /**
   * Namespace of objects without `metadata.namespace`.
   */
  defaultNamespace?: string;
  /**
   * Flagger's `-include-label-prefix` (`*` = all).
   */
  includeLabelPrefix?: Array<string>;
  /**
   * Flagger's `-selector-labels`.
   */
  selectorLabels?: Array<string>;
  /**
   * Flagger's `-enable-config-tracking`.
   */
  enableConfigTracking?: boolean;
  /**
   * The Flagger release to reproduce (default: the newest supported).
   */
  flaggerVersion?: string | null;
  /**
   * Also compare the spec hash under this Flagger release (the upgrade check).
   */
  upgradeTo?: string | null;
  /**
   * `auto` (default: server form when the target carries a uid,
   * resourceVersion or creationTimestamp), `server` or `manifest`.
   */
  specForm?: SpecForm | null;
  /**
   * `false`: the `-primary` objects come without their body (configs
   * without `data`, the workload and Services without `spec`), for a
   * smaller response when many Canaries share large configs.
   */
  primaryBodies?: boolean;
  /**
   * A limit on the response in bytes, below the core's own (256 MiB):
   * plans past it are `response-too-large`.
   */
  maxResponseBytes?: number | null;
};

export type CanaryFilter = {
  namespace?: string | null;
  name?: string | null;
};

export type PlanRequest = {
  /**
   * Any Kubernetes objects (Canaries, targets, ConfigMaps, Secrets; other kinds are ignored).
   */
  objects?: unknown[] | null;
  /**
   * Plan only the matching Canary.
   */
  canary?: CanaryFilter | null;
  options?: PlanOptions | null;
};

export type CanaryId = {
  namespace: string;
  name: string;
};

export type TargetId = {
  kind: string;
  apiVersion?: string;
  namespace: string;
  name: string;
};

export type Change = "added" | "removed" | "modified";

export type ConfigChange = {
  ref: string;
  change: Change;
  tracked: string | null;
  current: string | null;
};

export type UntrackedReason = "secret-type" | "opt-out" | "optional-missing" | "missing-skipped" | "tracking-disabled";

export type UntrackedConfig = {
  ref: string;
  reason: UntrackedReason;
  message: string;
};

export type RowState = "unchanged" | "modified" | "added" | "removed" | "not-tracked";

export type ConfigRow = {
  /**
   * `configmap/NAME` or `secret/NAME`.
   */
  ref: string;
  /**
   * `ConfigMap` or `Secret`.
   */
  kind: 'ConfigMap' | 'Secret';
  name: string;
  state: RowState;
  /**
   * The checksum Flagger computes now (`null`: not tracked now).
   */
  current: string | null;
  /**
   * The checksum in the Canary's `status.trackedConfigs` (`null`: not there).
   */
  tracked: string | null;
  /**
   * Why a `not-tracked` (or `removed`) config is not tracked.
   */
  reason?: UntrackedReason;
  /**
   * The state in words.
   */
  message: string;
};

export type Rewrite = {
  /**
   * JSON pointer into `primaryWorkload`.
   */
  path: string;
  from: string;
  to: string;
};

export type Services = {
  primary: KubeObject;
  canary: KubeObject;
};

export type Decision = "initialize" | "start" | "restart" | "continue" | "none" | "promote-without-analysis" | "rollback-noop" | "suspended" | "unknown";

export type ReasonCode = "spec-changed" | "configs-changed" | "first-run" | "rollback-to-promoted" | "phase" | "suspended" | "skip-analysis" | "halted" | "spec-hash-unsupported" | "unknown-phase";

export type Reason = {
  code: ReasonCode;
  message: string;
  refs?: Array<string>;
};

export type Form = "server" | "manifest";

export type SpecHash = {
  current: string | null;
  lastApplied: string | null;
  lastPromoted: string | null;
  /**
   * `current` is what Flagger computes (server form, supported release).
   */
  exact: boolean;
  form: Form;
  /**
   * The Go type layout of the release (`api-v0.36`), when it hashes with spew.
   */
  layout: string | null;
  unsupported: string | null;
};

export type Analysis = {
  decision: Decision;
  /**
   * `status.phase` as read ("" when none).
   */
  phase: string;
  reasons: Array<Reason>;
  message: string;
  specHash: SpecHash;
};

export type Upgrade = {
  from: string;
  to: string;
  startsAnalysis: boolean | null;
  fromHash: string | null;
  toHash: string | null;
  fieldsAdded: Array<string>;
  fieldsRemoved: Array<string>;
  message: string;
};

export type Plan = {
  canary: CanaryId;
  flaggerVersion: string;
  target: TargetId | null;
  error: CoreError | null;
  /**
   * What Flagger writes to `status.trackedConfigs` (`null`: not tracked).
   */
  trackedConfigs: { [key in string]: string } | null;
  /**
   * Flagger's verdict (`null` when the plan failed).
   */
  configsChanged: boolean | null;
  configChanges: Array<ConfigChange>;
  untrackedConfigs: Array<UntrackedConfig>;
  /**
   * One row per config (tracked, removed, not tracked): the table hosts show.
   */
  configs: Array<ConfigRow>;
  /**
   * The `-primary` ConfigMaps/Secrets Flagger creates or updates.
   */
  primaryConfigs: KubeObject[];
  /**
   * The `-primary` Deployment/DaemonSet.
   */
  primaryWorkload: KubeObject | null;
  services: Services | null;
  /**
   * Every rename in `primaryWorkload`.
   */
  rewrites: Array<Rewrite>;
  warnings: Array<Warning>;
  /**
   * Will Flagger start an analysis, and why.
   */
  analysis: Analysis | null;
  /**
   * With `options.upgradeTo`: what the Flagger upgrade alone does.
   */
  upgrade?: Upgrade;
};

export type PlanResponse = {
  plans: Array<Plan>;
  /**
   * Objects that were skipped because they could not be read.
   */
  warnings?: Array<Warning>;
};

export type PodSpecRef = {
  /**
   * `configmap/NAME` or `secret/NAME`, as in `status.trackedConfigs`.
   */
  ref: string;
  /**
   * `ConfigMap` or `Secret`.
   */
  kind: 'ConfigMap' | 'Secret';
  name: string;
};

export type FlaggerVersions = {
  /**
   * The default and newest release.
   */
  newest: string;
  /**
   * The oldest release; older ones are `unsupported-flagger-version`.
   */
  oldest: string;
  /**
   * Newest first: every release at which what the plan shows changes (a
   * release between two of them behaves like the older one).
   */
  releases: Array<string>;
};
