// Types of `canary-tracker/cluster` (js/src/cluster.js). js/test/types.test.js checks that they declare exactly
// the module's runtime exports.

import type { PodSpecRef } from './core.js';
import type { KubeObject } from './kube.js';

/** Default limits of a request: milliseconds, bytes, redirects. */
export const LIMITS: Readonly<{
  timeoutMs: number;
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}>;

/** A URL fit to show: user info and query values redacted, no fragment. */
export function redactUrl(url: string | URL): string;
/** A server's text (a Status message) as one escaped line, at most 300 characters. */
export function oneLine(text: unknown): string;
/** A kubectl-style duration (`30s`, `1m30s`, `500ms`, `2h`, or bare seconds) in milliseconds; `0`: no timeout. */
export function parseDuration(text: string): number;

export class ClusterError extends Error {
  code:
    | 'cluster-error'
    | 'cluster-unreachable'
    | 'cluster-not-found'
    | 'cluster-http-error'
    | 'cluster-bad-response'
    | string;
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
  /** The Flagger release whose scan decides which configs to fetch (default: newest). */
  flaggerVersion?: string;
  /** Per request, default 60000; 0: no timeout. */
  timeoutMs?: number;
}

/** The REST path of an object or collection. */
export function restPath(r: {
  group?: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
}): string;
/** A small REST client over a proxy base URL. */
export function restClient(
  baseUrl: string,
  opts?: {
    fetch?: typeof globalThis.fetch;
    headers?: Record<string, string>;
    timeoutMs?: number;
    headersTimeoutMs?: number;
    idleTimeoutMs?: number;
    maxBytes?: number;
  },
): { base: string; get(path: string, opts?: { allow404?: boolean }): Promise<any> };
/**
 * Canaries, their targets, the configs they reference and existing `-primary` copies. Throws {@link ClusterError}.
 * This module's own export needs the core's `configRefs` (the package's entry points pass it for you).
 */
export function fetchObjects(
  opts: FetchOptions & { configRefs: (podSpec: unknown, flaggerVersion?: string) => PodSpecRef[] },
): Promise<KubeObject[]>;
