// A JS host for the import-free module (js/pkg/abi/canary_tracker.wasm,
// ABI version 1: memory, alloc, dealloc, abi_version, plan, checksum, checksum_strings, call) that
// survives traps. A trap (WebAssembly.RuntimeError: a panic under
// panic=abort, an out-of-bounds access, stack overflow) leaves an instance's
// memory and allocator in an unknown state, so the host drops that instance,
// instantiates a fresh one from the compiled module, and answers the call
// with a coded `internal-error` response instead of throwing.
//
// Browser-safe (no node: imports): give it the module's bytes or a compiled
// WebAssembly.Module. Used by the hardening tests and the benchmarks.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const ABI_VERSION = 1;

export class AbiHost {
  /** @param {WebAssembly.Module} module */
  constructor(module) {
    this.module = module;
    this.restarts = 0;
    this.instance = this.#instantiate();
  }

  /** @param {Uint8Array | ArrayBuffer | WebAssembly.Module} source the .wasm bytes or a compiled module */
  static load(source) {
    return new AbiHost(source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source));
  }

  #instantiate() {
    const instance = new WebAssembly.Instance(this.module, {});
    const version = instance.exports.abi_version();
    if (version !== ABI_VERSION)
      throw new Error(`unsupported ABI version ${version} (this host speaks ${ABI_VERSION})`);
    return instance;
  }

  get exports() {
    return this.instance.exports;
  }

  /** Bytes of linear memory the current instance has. */
  get memoryBytes() {
    return this.instance.exports.memory.buffer.byteLength;
  }

  /** `plan` on a request (string, bytes or object): the parsed response. */
  plan(request) {
    return JSON.parse(this.planText(request));
  }

  /** `plan`, the response text as the module wrote it. */
  planText(request) {
    return this.#call('plan', request);
  }

  checksum(object) {
    return JSON.parse(this.#call('checksum', object));
  }

  /** `plan` or `checksum` on request bytes (or text/object): the response text. */
  call(name, input) {
    return this.#call(name, input);
  }

  /**
   * Calls any export; a trap restarts the instance and is reported as
   * `{"error": {"code": "internal-error", ...}}` text.
   */
  callExport(name, ...args) {
    try {
      return { ok: true, value: this.instance.exports[name](...args) };
    } catch (e) {
      return { ok: false, response: this.#recover(name, e) };
    }
  }

  #call(name, input) {
    if (!(input instanceof Uint8Array))
      return this.#callText(name, typeof input === 'string' ? input : JSON.stringify(input));
    if (input.length > 0xffffffff)
      return errorText('input-too-large', `request is ${input.length} bytes; a wasm32 module cannot hold it`);
    const ex = this.instance.exports;
    let ptr = 0;
    try {
      ptr = ex.alloc(input.length);
      if (ptr === 0 && input.length > 0) {
        return errorText('input-too-large', `the module could not allocate ${input.length} bytes for the request`);
      }
      new Uint8Array(ex.memory.buffer, ptr, input.length).set(input);
      return this.#invoke(name, ptr, input.length, input.length);
    } catch (e) {
      return this.#recover(name, e);
    }
  }

  /**
   * Text is written as UTF-8 straight into the module's memory by
   * `encodeInto` (`encode` and a copy in cost about 1 ms per MiB more): first
   * into room for one byte per UTF-16 unit, then, if it did not fit, into a
   * buffer with room for three per unit left.
   */
  #callText(name, text) {
    if (text.length > 0x55555555)
      return errorText('input-too-large', `request is ${text.length} characters; a wasm32 module cannot hold it`);
    const ex = this.instance.exports;
    let ptr = 0;
    let cap = text.length;
    try {
      ptr = ex.alloc(cap);
      if (ptr === 0 && cap > 0)
        return errorText('input-too-large', `the module could not allocate ${cap} bytes for the request`);
      let { read, written } = encoder.encodeInto(text, new Uint8Array(ex.memory.buffer, ptr, cap));
      if (read < text.length) {
        const more = written + 3 * (text.length - read);
        const next = this.#grow(ptr, cap, written, more);
        if (next === 0)
          return errorText('input-too-large', `the module could not allocate ${more} bytes for the request`);
        [ptr, cap] = [next, more];
        written += encoder.encodeInto(
          text.slice(read),
          new Uint8Array(ex.memory.buffer, ptr + written, cap - written),
        ).written;
      }
      return this.#invoke(name, ptr, written, cap);
    } catch (e) {
      return this.#recover(name, e);
    }
  }

  /**
   * Calls `name` (`checksum_strings`) on `strings` (each a string or `null`),
   * written as the module reads them: a u32 little-endian byte length, then
   * the UTF-8 bytes by `encodeInto` straight into the module's memory (length
   * 0xFFFFFFFF alone for `null`). The buffer starts with 1.25 bytes per
   * UTF-16 unit (text with accents or emoji fits, ASCII wastes little) plus
   * room for the longest string three times over, and doubles when the next
   * string might not fit. The response text.
   */
  callStrings(name, strings) {
    const ex = this.instance.exports;
    let units = 0;
    let longest = 0;
    for (const s of strings) {
      if (s === null) continue;
      units += s.length;
      longest = Math.max(longest, s.length);
    }
    let cap = 4 * strings.length + units + (units >> 2) + 2 * longest;
    if (cap > 0xffffffff)
      return errorText('input-too-large', `request is ${units} characters; a wasm32 module cannot hold it`);
    let ptr = 0;
    try {
      ptr = ex.alloc(cap);
      if (ptr === 0) return errorText('input-too-large', `the module could not allocate ${cap} bytes for the request`);
      let at = 0;
      let left = units;
      for (const s of strings) {
        if (s !== null) left -= s.length;
        const need = 4 + 3 * (s?.length ?? 0);
        if (cap - at < need) {
          const more = Math.max(2 * cap, at + need + 4 * strings.length + left);
          const next = this.#grow(ptr, cap, at, more);
          if (next === 0)
            return errorText('input-too-large', `the module could not allocate ${more} bytes for the request`);
          [ptr, cap] = [next, more];
        }
        const view = new DataView(ex.memory.buffer);
        if (s === null) {
          view.setUint32(ptr + at, 0xffffffff, true);
          at += 4;
          continue;
        }
        const { written } = encoder.encodeInto(s, new Uint8Array(ex.memory.buffer, ptr + at + 4, cap - at - 4));
        view.setUint32(ptr + at, written, true);
        at += 4 + written;
      }
      return this.#invoke(name, ptr, at, cap);
    } catch (e) {
      return this.#recover(name, e);
    }
  }

  /**
   * Moves the first `used` bytes of the `cap`-byte buffer at `ptr` to a new
   * `more`-byte buffer and frees the old one: the new pointer, or 0 (the old
   * one freed all the same) when the module cannot allocate it.
   */
  #grow(ptr, cap, used, more) {
    const ex = this.instance.exports;
    const next = more > 0xffffffff ? 0 : ex.alloc(more);
    if (next !== 0) new Uint8Array(ex.memory.buffer).copyWithin(next, ptr, ptr + used);
    ex.dealloc(ptr, cap);
    return next;
  }

  /** Calls `name` on the request at `ptr` (`len` bytes of a `cap`-byte buffer, freed here); the response text. */
  #invoke(name, ptr, len, cap) {
    const ex = this.instance.exports;
    const packed = BigInt.asUintN(64, ex[name](ptr, len));
    ex.dealloc(ptr, cap);
    if (packed === 0n) return errorText('internal-error', 'the module could not allocate its response');
    const rptr = Number(packed >> 32n);
    const rlen = Number(packed & 0xffffffffn);
    // Decoded (a copy) before the buffer is freed.
    const text = decoder.decode(new Uint8Array(ex.memory.buffer, rptr, rlen));
    ex.dealloc(rptr, rlen);
    return text;
  }

  #recover(name, e) {
    if (!(e instanceof WebAssembly.RuntimeError) && !(e instanceof RangeError)) throw e;
    // The instance is poisoned: never call into it again.
    this.instance = this.#instantiate();
    this.restarts += 1;
    return errorText('internal-error', `the module trapped in ${name} (${e.message}); a fresh instance replaces it`);
  }
}

function errorText(code, message) {
  return JSON.stringify({ error: { code, message } });
}
