// YAML output (js/src/yaml-out.js).
/** YAML text of a value (the CLI's `-o yaml` of a non-object output). */
export function yamlText(value: unknown): string;
/** A multi-document YAML stream, quoted for YAML 1.1 readers. */
export function yamlStream(objects: unknown[]): string;
