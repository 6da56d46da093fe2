// Types of `canary-tracker/parse` (js/src/parse.js). js/test/types.test.js checks that they declare exactly
// the module's runtime exports.
import type { KubeObject } from './kube.js';

/** Largest input read, in bytes: the core's request limit. */
export const MAX_INPUT_BYTES: number;
/** Deepest nesting inside one object the core reads. */
export const MAX_OBJECT_DEPTH: number;

/** Where one object came from. */
export interface Origin {
  file: string;
  /** 1-based document index in the file. */
  document: number;
  /** 1-based line where the document's content starts. */
  line: number;
  /** 1-based item index (or key) when the document is a List. */
  item?: number | string;
}

/** A file that cannot be read as Kubernetes objects; the message never quotes the input. */
export class ParseError extends Error {
  code: string;
  file?: string;
  document?: number;
  line?: number;
  col?: number;
  /** The message without the location. */
  detail: string;
}

/** Bytes → text as kubectl decodes a file (a BOM picks the encoding; UTF-8 otherwise). */
export function decodeText(bytes: Uint8Array): string;
/** YAML stream / JSON / List (text, or bytes decoded as kubectl does) → objects, with their origins. Throws {@link ParseError}. */
export function parseObjects(
  input: string | Uint8Array,
  opts?: { file?: string },
): { objects: KubeObject[]; origins: Origin[] };
/** Adds `kind`/`apiVersion` to a list item that lacks them. */
export function fillKind<T extends object>(item: T, kind?: string, apiVersion?: string): T & KubeObject;
