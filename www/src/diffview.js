// Draws the diff rows that diffrows.js made in the worker.
import { h } from './dom.js';

const CONTEXT = 3;

function line(r) {
  const code = h('code');
  if (r.marks) {
    for (const s of r.marks) {
      if (s.added || s.removed) code.append(h('mark', { class: s.value === '-primary' ? 'primary' : null }, s.value));
      else code.append(s.value);
    }
  } else code.append(r.text);
  const cls = r.t === '+' ? 'add' : r.t === '-' ? 'del' : 'same';
  return h(
    'div',
    { class: `ln ${cls}` },
    h('span', { class: 'no' }, r.a ?? ''),
    h('span', { class: 'no' }, r.b ?? ''),
    h('span', { class: 'sign', 'aria-hidden': 'true' }, r.t),
    code,
  );
}

/** The diff as an element; long unchanged runs fold behind a button. */
export function diffView(rows, label) {
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
