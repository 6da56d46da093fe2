// YAML output (the CLI's `-o yaml`). Its own module so that a command that
// writes no YAML does not load the YAML library (a third of a CLI call's
// startup). Browser-safe.

import { Document, visit } from 'yaml';
import { escapeRawInData, hasRawInData } from './escape.js';

/** One YAML document; strings the library would write with raw C1/bidi characters get double quotes and escapes. */
export function yamlText(value) {
  const doc = new Document(value, { version: '1.1', aliasDuplicateObjects: false });
  let raw = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && hasRawInData(node.value)) {
        node.type = 'QUOTE_DOUBLE';
        raw = true;
      }
    },
  });
  const text = doc.toString({ lineWidth: 0 });
  return raw ? escapeRawInData(text) : text;
}

/**
 * A multi-document YAML stream of `objects`, written for YAML 1.1 readers
 * (kubectl): strings such as `"yes"` or `"0755"` stay quoted.
 */
export function yamlStream(objects) {
  return objects.map((o) => `---\n${yamlText(o)}`).join('');
}
