// The page's handle on one worker (worker.js): numbered requests, progress and
// partial results as callbacks, and cancel. Cancel asks the worker first (it
// stops at its next checkpoint); a worker stuck in one long step (parsing a
// huge file) is terminated after a grace period and started afresh on the
// next request, and `cancel` says so, so the page can restore what it lost.

/** Rejection of a request that was cancelled (`hard`: the worker was terminated). */
export class Cancelled extends Error {
  constructor(hard) {
    super('cancelled');
    this.code = 'cancelled';
    this.hard = hard;
  }
}

export class Session {
  /** @param {URL|string} url the worker module */
  constructor(url) {
    this.url = url;
    this.worker = null;
    this.calls = new Map();
    this.seq = 0;
  }

  spawn() {
    if (this.worker) return this.worker;
    const w = new Worker(this.url, { type: 'module', name: 'canary-tracker' });
    w.onmessage = (e) => this.receive(e.data);
    // The worker script did not load or threw at the top level.
    w.onerror = (e) => {
      e.preventDefault?.();
      this.drop(
        Object.assign(new Error(`The planner's worker stopped: ${e.message || 'it did not load'}`), {
          code: 'worker-failed',
        }),
      );
    };
    this.worker = w;
    return w;
  }

  /** Terminates the worker and rejects every pending request with `err`. */
  drop(err) {
    this.worker?.terminate();
    this.worker = null;
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const c of calls) c.reject(err);
  }

  /**
   * @param {string} op
   * @param {object} [payload]
   * @param {{onProgress?: (p: any) => void, onPlans?: (m: any) => void, transfer?: Transferable[]}} [hooks]
   * @returns {{id: number, done: Promise<any>}}
   */
  request(op, payload = {}, hooks = {}) {
    const id = ++this.seq;
    const done = new Promise((resolve, reject) => this.calls.set(id, { resolve, reject, ...hooks }));
    this.spawn().postMessage({ ...payload, op, id }, hooks.transfer ?? []);
    return { id, done };
  }

  receive(m) {
    const c = this.calls.get(m.id);
    if (!c) return;
    if (m.type === 'progress') return c.onProgress?.(m);
    if (m.type === 'plans') return c.onPlans?.(m);
    this.calls.delete(m.id);
    if (m.type === 'done') c.resolve(m);
    else if (m.type === 'cancelled') c.reject(new Cancelled(false));
    else {
      const err = Object.assign(new Error(m.error?.message ?? 'error'), m.error);
      c.reject(err);
      if (m.error?.fatal) this.drop(err);
    }
  }

  /**
   * Cancels request `id`. Resolves `'soft'` when the worker stopped it, `'hard'`
   * when it had to be terminated (its state is gone), `'none'` if it had ended.
   */
  cancel(id, graceMs = 1500) {
    const c = this.calls.get(id);
    if (!c || !this.worker) return Promise.resolve('none');
    this.worker.postMessage({ op: 'cancel', target: id });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (!this.calls.has(id)) return resolve('soft');
        this.drop(new Cancelled(true));
        resolve('hard');
      }, graceMs);
      const settle = () => {
        clearTimeout(timer);
        resolve('soft');
      };
      c.resolve = ((r) => (v) => {
        r(v);
        return settle();
      })(c.resolve);
      c.reject = ((r) => (e) => {
        r(e);
        if (!(e instanceof Cancelled && e.hard)) settle();
      })(c.reject);
    });
  }
}
