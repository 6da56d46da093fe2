// Size and time caps of the dashboard, and a fetch that enforces them. A
// huge upload is refused before it is read; a cluster response is read as a
// stream and dropped at the cap, so an endless or huge body (or a proxy that
// never answers) ends in a coded message instead of a crashed tab.
import { bytes } from './model.js';

export const LIMITS = {
  /** All uploaded files together. The planner refuses requests over 128 MiB; YAML's JSON is about as big. */
  uploadBytes: 64 * 1024 * 1024,
  /** One response from the cluster (a list of 1,000 Canaries is a few MB). */
  responseBytes: 32 * 1024 * 1024,
  /** Everything read from the cluster in one session. */
  sessionBytes: 256 * 1024 * 1024,
  /** Until the response headers arrive. */
  headersMs: 30_000,
  /** Between two chunks of a body. */
  idleMs: 30_000,
  /** One whole request. */
  totalMs: 120_000,
};

const MiB = (n) => `${Math.round(n / (1024 * 1024))} MiB`;
const seconds = (ms) => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;

/**
 * Origins the page may reach: its own and proxies on http://127.0.0.1 or
 * http://localhost (what its Content-Security-Policy's connect-src allows;
 * the worker has no CSP of its own, so it checks this itself).
 */
export const allowedOrigin = (url, own) =>
  url.origin === own || (url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname));

export class LimitError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'LimitError';
    this.code = code;
  }
}

/**
 * Which files fit: in order, until the total would pass the cap. Refused
 * files get a message; nothing is read.
 * @param {{name: string, size: number}[]} files
 * @param {number} [already] bytes of files already loaded
 * @returns {{ok: boolean, message?: string}[]}
 */
export function checkUpload(files, already = 0, cap = LIMITS.uploadBytes) {
  let total = already;
  return files.map((f) => {
    if (total + f.size > cap) {
      const what = f.size > cap ? `${bytes(f.size)} is over` : `${bytes(f.size)} would take the files over`;
      return {
        ok: false,
        code: 'upload-too-large',
        message: `not read: ${what} the dashboard's ${MiB(cap)} limit for all files together. Plan it with the CLI (canary-tracker plan FILE), or drop fewer objects.`,
      };
    }
    total += f.size;
    return { ok: true };
  });
}

/**
 * A `fetch` for js/src/cluster.js's restClient with caps: time to headers,
 * idle time between chunks, total time, bytes per response and per session.
 * The first problem is kept in `incident` (restClient words a failed fetch
 * as "cannot connect"; the caller reports the incident instead).
 * @param {{limits?: Partial<typeof LIMITS>, fetch?: typeof fetch, session?: {read: number}, signal?: AbortSignal}} [opts]
 *   `signal` cancels every request made through it.
 */
export function boundedFetch(opts = {}) {
  const lim = { ...LIMITS, ...opts.limits };
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const session = opts.session ?? { read: 0 };
  const state = { incident: null, session };
  const fail = (code, message) => {
    const e = new LimitError(code, message);
    state.incident ??= e;
    return e;
  };

  state.fetch = async (url, init = {}) => {
    const path = new URL(url).pathname;
    const ctrl = new AbortController();
    // Either the session's cancel or the caller's own abort (a client's timeout) stops the request.
    for (const signal of [opts.signal, init.signal]) {
      if (signal?.aborted) ctrl.abort();
      signal?.addEventListener('abort', () => ctrl.abort(), { once: true });
    }
    const started = Date.now();
    let timer;
    // One timer at a time: the headers or idle wait, shortened to what is left of the total.
    const arm = (ms, message) => {
      clearTimeout(timer);
      const left = lim.totalMs - (Date.now() - started);
      const why = left < ms ? `GET ${path}: no complete answer within ${seconds(lim.totalMs)}; stopped.` : message;
      timer = setTimeout(() => ctrl.abort(fail('cluster-timeout', why)), Math.max(0, Math.min(ms, left)));
    };
    arm(lim.headersMs, `GET ${path}: no response within ${seconds(lim.headersMs)}; stopped waiting.`);
    let res;
    try {
      // Same-origin credentials only; a redirect is an error (the API never redirects).
      res = await doFetch(url, { ...init, signal: ctrl.signal, redirect: 'error', credentials: 'same-origin' });
    } catch (e) {
      throw state.incident ?? e;
    } finally {
      clearTimeout(timer);
    }
    // The body as a stream that enforces the caps as it is read, inside a
    // real Response, so a client may call text() or read the stream itself.
    const reader = res.body?.getReader();
    let n = 0;
    const body =
      reader &&
      new ReadableStream({
        async pull(out) {
          try {
            arm(lim.idleMs, `GET ${path}: the response stalled for ${seconds(lim.idleMs)}; stopped.`);
            const { done, value } = await reader.read();
            clearTimeout(timer);
            if (done) return out.close();
            n += value.byteLength;
            session.read += value.byteLength;
            if (n > lim.responseBytes) {
              throw fail(
                'response-too-large',
                `GET ${path}: the response passed ${MiB(lim.responseBytes)}; stopped reading it. A list this big (or endless) is more than the dashboard holds: narrow it, or use the CLI.`,
              );
            }
            if (session.read > lim.sessionBytes) {
              throw fail(
                'response-too-large',
                `GET ${path}: ${MiB(lim.sessionBytes)} read from the cluster in this session; stopped. Reload the page to start over, or use the CLI.`,
              );
            }
            out.enqueue(value);
          } catch (e) {
            clearTimeout(timer);
            reader.cancel().catch(() => {});
            out.error(state.incident ?? e);
          }
        },
        cancel() {
          clearTimeout(timer);
          return reader.cancel();
        },
      });
    return new Response(body ?? null, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return state;
}
