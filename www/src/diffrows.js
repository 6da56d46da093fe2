// Unified diff of two YAML texts as rows (jsdiff), with the changed
// characters of paired lines marked, so each `-primary` rename stands out.
// Runs in the worker; diffview.js draws the rows.
import { diffChars, diffLines } from 'diff';

/** Rows `{t: ' '|'-'|'+', a?, b?, text, marks?}`. */
export function diffRows(before, after) {
  const rows = [];
  let a = 1;
  let b = 1;
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const lines = p.value.replace(/\n$/, '').split('\n');
    if (!p.added && !p.removed) {
      for (const text of lines) rows.push({ t: ' ', a: a++, b: b++, text });
      continue;
    }
    if (p.removed && parts[i + 1]?.added) {
      const next = parts[++i].value.replace(/\n$/, '').split('\n');
      const del = lines.map((text) => ({ t: '-', a: a++, text }));
      const add = next.map((text) => ({ t: '+', b: b++, text }));
      for (let k = 0; k < Math.min(del.length, add.length); k++) {
        const segs = diffChars(del[k].text, add[k].text);
        del[k].marks = segs.filter((s) => !s.added);
        add[k].marks = segs.filter((s) => !s.removed);
      }
      rows.push(...del, ...add);
      continue;
    }
    for (const text of lines) rows.push(p.added ? { t: '+', b: b++, text } : { t: '-', a: a++, text });
  }
  return rows;
}
