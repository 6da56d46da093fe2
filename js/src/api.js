// The core's API over the import-free module (js/src/abi.js), for both
// entry points. Browser-safe. The request crosses as JSON text, the response
// comes back through JSON.parse: objects are plain objects, `null` is `null`,
// and the bytes the core reads are those the engines and the WASI command read.

/** The `Error` that `plan`, `checksum` and `configRefs` throw: `.code` is the core's stable error code. */
export class CanaryTrackerError extends Error {
  /** @param {{code: string, message: string, path?: string, ref?: string}} error the core's error object */
  constructor(error) {
    super(error.message);
    this.name = 'CanaryTrackerError';
    this.code = error.code;
    if (error.path !== undefined) this.path = error.path;
    if (error.ref !== undefined) this.ref = error.ref;
  }
}

/** `JSON.stringify`, with its failures (cycles, BigInt) as a coded error; `undefined` is `null`. */
function stringify(value) {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (e) {
    throw new CanaryTrackerError({
      code: 'invalid-request',
      message: `the input cannot be converted to JSON: ${e.message}`,
    });
  }
}

const plain = (o) => {
  const proto = o !== null && typeof o === 'object' ? Object.getPrototypeOf(o) : undefined;
  return (proto === Object.prototype || proto === null) && typeof o.toJSON !== 'function';
};

/**
 * The strings `checksum_strings` takes for `object` (see js/src/abi.js
 * `callStrings`), so that `data` is never written out as JSON: `undefined`
 * unless `object` and its `data` are plain objects and every value is a
 * string or `null` (anything else takes the JSON path, whose answer or error
 * is the reference). A lone surrogate needs no check: `encodeInto` writes
 * U+FFFD for it, as the core reads JSON's `\ud800`.
 */
function checksumStrings(object, flaggerVersion) {
  if (!plain(object) || (flaggerVersion != null && typeof flaggerVersion !== 'string')) return undefined;
  const data = object.data;
  if (!plain(data)) return undefined;
  const strings = [null, flaggerVersion ?? null];
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (value !== null && typeof value !== 'string') return undefined;
    strings.push(key, value);
  }
  strings[0] = stringify({ ...object, data: null });
  return strings;
}

/** The parsed answer, or the thrown error of an `{"error": …}` envelope. */
function answer(text) {
  const value = JSON.parse(text);
  if (value && typeof value === 'object' && 'error' in value && Object.keys(value).length === 1) {
    throw new CanaryTrackerError(value.error);
  }
  return value;
}

/** `o[k]` when JSON.stringify would write it (an own enumerable property). */
const own = (o, k) => (Object.prototype.propertyIsEnumerable.call(o, k) ? o[k] : undefined);
/** A copy of `o` with only `keys` (those JSON.stringify would write). */
function pick(o, keys) {
  const out = {};
  for (const k of keys) {
    const v = own(o, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * What `specHash` reads of an object, so that a live object's `managedFields`, `status` and annotations
 * are neither stringified nor parsed: `kind`, `apiVersion`, the metadata that names it and tells its form
 * (`name`, `namespace`, `uid`, `resourceVersion`, `creationTimestamp`: src/analysis.rs `detect_form`,
 * src/objects.rs `read_object`), and `spec.template` (a Service's whole `spec`). Anything else is sent
 * whole, so the core's answers and errors are its own (test/api.test.js compares the two).
 */
function specHashInput(o) {
  if (!plain(o)) return o;
  const kind = own(o, 'kind');
  if (kind !== 'Deployment' && kind !== 'DaemonSet' && kind !== 'Service') return o;
  const out = pick(o, ['kind', 'apiVersion']);
  const meta = own(o, 'metadata');
  if (meta !== undefined)
    out.metadata = plain(meta)
      ? pick(meta, ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp'])
      : meta;
  const spec = own(o, 'spec');
  if (spec !== undefined) out.spec = kind === 'Service' || !plain(spec) ? spec : pick(spec, ['template']);
  return out;
}

/**
 * The core functions over a host, got lazily: `host(size, fast)` is called on
 * each call (so loading the entry point costs no wasm compile), with a plan
 * request's length in characters (0 for other calls) and whether the call has
 * fast paths that only the speed build holds (checksum from the bytes or
 * strings, specHash from a tape: the core's `fast-paths` feature), so that
 * Node can pick a build (js/src/wasm-node.js). The browser has one build.
 * @param {(size?: number, fast?: boolean) => import('./abi.js').AbiHost} host
 */
export function coreApi(host) {
  /** `call` export: `{"fn": name, …args}`, args given as JSON text fragments. */
  const call = (name, args = {}, fast = false) => {
    let text = `{"fn":${JSON.stringify(name)}`;
    for (const [k, v] of Object.entries(args)) if (v !== undefined && v !== null) text += `,${JSON.stringify(k)}:${v}`;
    return answer(host(0, fast).call('call', `${text}}`));
  };
  return {
    /** Plans a request object; throws a `CanaryTrackerError` when the whole request fails. */
    plan: (request) => {
      const text = stringify(request);
      return answer(host(text.length).call('plan', text));
    },
    /** JSON text in, JSON text out, unchanged from the core: `{"plans": …}` or `{"error": …}`. Never throws. */
    planJson: (text) => host(typeof text === 'string' ? text.length : 0).call('plan', text),
    /** Flagger's checksum of one ConfigMap/Secret object (at `flaggerVersion`, default the newest). */
    checksum: (object, flaggerVersion) => {
      const h = host(0, true);
      const strings = h.exports.checksum_strings && checksumStrings(object, flaggerVersion);
      if (strings) return answer(h.callStrings('checksum_strings', strings)).checksum;
      return flaggerVersion == null
        ? answer(h.call('checksum', stringify(object))).checksum
        : call('checksum', { flaggerVersion: stringify(flaggerVersion), object: stringify(object) }, true).checksum;
    },
    /**
     * Flagger's spec hash (`status.lastAppliedSpec`) of one Deployment, DaemonSet or Service object:
     * `{current, exact, form, layout, unsupported}`. `specForm`: "auto" (default), "server" or "manifest".
     */
    specHash: (object, flaggerVersion, specForm) =>
      call(
        'specHash',
        {
          object: stringify(specHashInput(object)),
          flaggerVersion: flaggerVersion == null ? undefined : stringify(flaggerVersion),
          specForm: specForm == null ? undefined : stringify(specForm),
        },
        true,
      ),
    /** The ConfigMaps/Secrets a pod spec references, each once, as `flaggerVersion` scans them. */
    configRefs: (podSpec, flaggerVersion) =>
      call('configRefs', {
        podSpec: stringify(podSpec),
        flaggerVersion: flaggerVersion == null ? undefined : stringify(flaggerVersion),
      }).refs,
    /** `{newest, oldest, releases}`: the Flagger releases the core reproduces (releases newest first). */
    flaggerVersions: () => call('flaggerVersions'),
    /** The core's version. */
    version: () => call('version').version,
  };
}
