// Types of `canary-tracker/diff` (js/src/diff.js): compare the plans of two versions of the manifests.
import type { Plan, PlanOptions, PlanRequest, PlanResponse } from './core.js';
import type { KubeObject } from './kube.js';

/** Where two JSON values differ, as JSON pointers under `base`. */
export function changedPaths(
  a: unknown,
  b: unknown,
  base?: string,
): Array<{ path: string; change: 'added' | 'removed' | 'modified' }>;
/** The status Flagger would have written once BASE settled. */
export function settledStatus(basePlan: Plan): unknown;
/** Compares two sides: per Canary, what merging HEAD over BASE makes Flagger do. */
export function comparePlans(args: {
  base: { objects: KubeObject[]; label?: string };
  head: { objects: KubeObject[]; label?: string };
  options?: PlanOptions;
  plan: (request: PlanRequest) => PlanResponse;
  select?: (canary: unknown) => boolean;
}): any;
/** True iff some decision of the diff starts a rollout (`--exit-code` exits 3). */
export function rolloutStarts(diff: unknown): boolean;
