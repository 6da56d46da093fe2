// What both entry points add on top of the wasm exports. Browser-safe.

export { ParseError, parseObjects, fillKind } from './parse.js';
export { ClusterError, configRefs, fetchObjects, restPath } from './cluster.js';
export { REDACTED, redact } from './redact.js';
export { errorLine, locate, objectsToApply, textReport, verdictText, yamlStream } from './report.js';
