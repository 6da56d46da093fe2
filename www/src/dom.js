// DOM helpers. Every string becomes a text node or an attribute value:
// nothing from the input is ever parsed as HTML.

/**
 * `h('p', {class: 'x', onclick: f}, 'text', child)`.
 * @param {string} tag
 * @param {Record<string, any>|null} [props]
 * @param {...any} children strings, nodes, arrays, null/false (skipped)
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Shows a message in a (hidden-when-empty) message box. */
export function message(el, ...children) {
  fill(el, ...children);
  el.hidden = children.flat(Infinity).filter((c) => c != null && c !== false).length === 0;
}
