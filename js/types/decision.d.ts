// Types of `canary-tracker/decision` (js/src/decision.js): Flagger's decision per plan.
import type { KubeObject } from './kube.js';

/** Decisions meaning "Flagger runs or finishes a rollout now" (`--exit-code` exits 3). */
export const ROLLOUT_DECISIONS: Set<string>;
/** Words for each decision. */
export const DECISION_TEXT: Record<string, string>;
/** A Canary's key in maps. */
export function canaryId(namespace: string, name: string): string;
/** The Canary objects of a request by `canaryId` (a later duplicate wins, as in the core). */
export function canariesById(objects: KubeObject[], defaultNamespace: string): Map<string, KubeObject>;
/** The decision for one plan. */
export function planDecision(
  plan: unknown,
  canary?: KubeObject,
): { decision: string; basis: 'core' | 'configs-only'; message: string };
/** What Flagger also writes for this Canary that the plan does not model. */
export function notPreviewed(canary: KubeObject): Array<{ kind: string; name: string; why: string }>;
/** Per plan of a response: its decision and what is not previewed, keyed by `canaryId`. */
export function planExtras(
  request: { objects: KubeObject[]; options?: { defaultNamespace?: string } },
  response: { plans: unknown[] },
): Map<string, any>;
