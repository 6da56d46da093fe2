// Minimal caller of the import-free module for the benchmarks (no trap
// recovery: see tests/hardening/abi-host.mjs for a host that has it).
export class AbiHostLite {
  constructor(bytes) {
    this.instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  }
  get memoryBytes() {
    return this.instance.exports.memory.buffer.byteLength;
  }
  /** Calls `plan` or `checksum` with request bytes; returns the response text. */
  call(name, bytes) {
    const ex = this.instance.exports;
    const ptr = ex.alloc(bytes.length);
    new Uint8Array(ex.memory.buffer, ptr, bytes.length).set(bytes);
    const packed = BigInt.asUintN(64, ex[name](ptr, bytes.length));
    ex.dealloc(ptr, bytes.length);
    const rptr = Number(packed >> 32n);
    const rlen = Number(packed & 0xffffffffn);
    const text = Buffer.from(ex.memory.buffer, rptr, rlen).toString('utf8');
    ex.dealloc(rptr, rlen);
    return text;
  }
}
