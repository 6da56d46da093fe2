// Types of `canary-tracker/report` (js/src/report.js): the CLI's outputs. Browser-safe.
import type { CoreError, Plan, PlanResponse } from './core.js';
import type { KubeObject } from './kube.js';
import type { Origin } from './parse.js';

/** The verdict in words (the core's decision when the plan has one). */
export function verdictText(plan: Plan): string;
/** `file (document N, line L)` for a `/objects/N/...` pointer. */
export function locate(path: string | undefined, origins?: Origin[]): string | undefined;
/** One line for a coded error, naming the file and document when `origins` are given. */
export function errorLine(error: CoreError, origins?: Origin[]): string;
/** The tracked configs of a plan (from `plan.configs`), as the text report lists them. */
export function configRows(plan: Plan): Array<{ ref: string; checksum: string; status: string }>;
/** A human-readable report of a response. */
export function textReport(
  response: PlanResponse,
  opts?: {
    origins?: Origin[];
    extras?: Map<string, unknown>;
    inputWarnings?: Array<{ code: string; message: string }>;
  },
): string;
/** `1 start, 2 none`: decision counts, most urgent first. */
export function decisionSummary(summary: Record<string, number>): string;
/** A text report of a `diff` (the CLI's `diff BASE HEAD`). */
export function diffTextReport(
  diff: unknown,
  opts?: { inputWarnings?: Array<{ code: string; message: string; side?: string }> },
): string;
/** A text report of `upgrade-check`: per Canary, whether upgrading Flagger alone starts an analysis. */
export function upgradeTextReport(report: {
  from: string;
  to: string;
  canaries: unknown[];
  warnings: Array<{ code: string; message: string }>;
}): string;
/** The objects to apply: primary configs, primary workload, services, of every plan without an error. */
export function objectsToApply(response: PlanResponse): KubeObject[];
/** JSON text of a value (the CLI's `-o json`). */
export function jsonText(value: unknown): string;
