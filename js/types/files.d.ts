// Types of `canary-tracker/files` (js/src/files.js; Node only).
import type { KubeObject } from './kube.js';
import type { Origin } from './parse.js';

/** Objects from files, directories (recursively) and `-` (stdin). */
export function loadObjects(
  paths: string[],
  opts?: { stdin?: AsyncIterable<Uint8Array | string> },
): Promise<{ objects: KubeObject[]; origins: Origin[]; files: string[] }>;
/** The manifest files a path stands for. */
export function expandPath(path: string): Promise<string[]>;
/** A whole stream as bytes, refused past `limit` bytes. */
export function readBytes(
  stream: AsyncIterable<Uint8Array | string>,
  opts?: { limit?: number; file?: string },
): Promise<Uint8Array>;
/** A whole stream as UTF-8 text. */
export function readStream(stream: AsyncIterable<Uint8Array | string>): Promise<string>;
