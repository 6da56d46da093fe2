// Types of `canary-tracker/markdown` (js/src/markdown.js): plans and diffs as pull-request comments.
import type { Origin } from './parse.js';

/** The longest comment body written (GitHub's limit is 65,536 characters). */
export const MAX_COMMENT_CHARS: number;
/** Prose on one line, escaped for markdown. */
export function mdText(s: unknown): string;
/** A code span holding `s` literally (also inside a table cell). */
export function mdCode(s: unknown): string;
/** Text for inside raw HTML (a `<summary>`). */
export function htmlText(s: unknown): string;
/** A diff (see `canary-tracker/diff`) as a PR comment. */
export function diffMarkdown(
  diff: unknown,
  opts?: { origins?: Origin[]; inputWarnings?: Array<{ code: string; message: string }>; title?: string },
): string;
/** A plan response as markdown: a summary table and one collapsible section per Canary. */
export function planMarkdown(
  response: unknown,
  opts?: { extras?: Map<string, unknown>; inputWarnings?: Array<{ code: string; message: string }> },
): string;
/** An `upgrade-check` report as markdown. */
export function upgradeMarkdown(report: {
  from: string;
  to: string;
  canaries: unknown[];
  warnings: Array<{ code: string; message: string }>;
}): string;
