// Types of `canary-tracker/abi` (js/src/abi.js): a browser-safe host for the import-free module that
// survives traps.

export const ABI_VERSION: 1;

export class AbiHost {
  constructor(module: WebAssembly.Module);
  /** From the .wasm bytes or a compiled module. */
  static load(source: BufferSource | WebAssembly.Module): AbiHost;
  readonly module: WebAssembly.Module;
  /** Instances replaced after a trap. */
  restarts: number;
  instance: WebAssembly.Instance;
  readonly exports: WebAssembly.Exports;
  /** Bytes of linear memory the current instance has. */
  readonly memoryBytes: number;
  /** `plan` on a request (string, bytes or object): the parsed response. */
  plan(request: string | Uint8Array | object): any;
  /** `plan`, the response text as the module wrote it. */
  planText(request: string | Uint8Array | object): string;
  checksum(object: string | Uint8Array | object): { checksum: string } | { error: any };
  /** Any ptr/len export (`plan`, `checksum`, `call`) on bytes, text or an object: the response text. */
  call(name: string, input: string | Uint8Array | object): string;
  /** Calls any export; a trap restarts the instance and is reported as an `internal-error` response. */
  callExport(name: string, ...args: unknown[]): { ok: true; value: unknown } | { ok: false; response: string };
}
