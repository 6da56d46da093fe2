// What both entry points add on top of the core. Browser-safe.

export { ClusterError, restPath } from './cluster.js';
export { fillKind, ParseError, parseObjects } from './parse.js';
export { REDACTED, redact } from './redact.js';
export { errorLine, locate, objectsToApply, textReport, verdictText } from './report.js';
export { yamlStream } from './yaml-out.js';
