// Unified diff of two YAML texts (jsdiff), with the changed characters of
// paired lines marked, so each `-primary` rename stands out.
import { diffChars, diffLines } from 'diff';
import { h } from './dom.js';

const CONTEXT = 3;

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

function line(r) {
  const code = h('code');
  if (r.marks) {
    for (const s of r.marks) {
      if (s.added || s.removed) code.append(h('mark', { class: s.value === '-primary' ? 'primary' : null }, s.value));
      else code.append(s.value);
    }
  } else code.append(r.text);
  const cls = r.t === '+' ? 'add' : r.t === '-' ? 'del' : 'same';
  return h('div', { class: `ln ${cls}` }, h('span', { class: 'no' }, r.a ?? ''), h('span', { class: 'no' }, r.b ?? ''),
    h('span', { class: 'sign', 'aria-hidden': 'true' }, r.t), code);
}

/** The diff as an element; long unchanged runs fold behind a button. */
export function diffView(before, after, label) {
  const rows = diffRows(before, after);
  const box = h('div', { class: 'diff', role: 'region', 'aria-label': label });
  let i = 0;
  while (i < rows.length) {
    if (rows[i].t !== ' ') {
      box.append(line(rows[i++]));
      continue;
    }
    let j = i;
    while (j < rows.length && rows[j].t === ' ') j++;
    const run = rows.slice(i, j);
    const head = i === 0 ? 0 : CONTEXT;
    const tail = j === rows.length ? 0 : CONTEXT;
    if (run.length > head + tail + 2) {
      run.slice(0, head).forEach((r) => box.append(line(r)));
      const hidden = run.slice(head, run.length - tail);
      const fold = h('button', { type: 'button', class: 'fold' }, `⋯ ${hidden.length} unchanged lines`);
      fold.addEventListener('click', () => fold.replaceWith(...hidden.map(line)));
      box.append(fold);
      run.slice(run.length - tail).forEach((r) => box.append(line(r)));
    } else run.forEach((r) => box.append(line(r)));
    i = j;
  }
  return box;
}
