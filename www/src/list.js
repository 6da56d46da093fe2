// The Canary list: a virtualised pane (only the rows in view, plus a margin,
// are in the DOM) that scrolls on its own. Selecting a row flips two
// attributes; the list is never rebuilt for it. Rows are reused by key while
// their item is unchanged, so a new filter or new results touch few nodes.
import { h } from './dom.js';
import { decisionInfo } from './model.js';

const ROW = 48; // px; must match .canaries li's height in app.css
const MARGIN = 8; // rows drawn above and below the visible ones

function row(item, selected) {
  const info = decisionInfo(item.decision);
  return h(
    'li',
    { role: 'listitem' },
    h(
      'button',
      {
        type: 'button',
        class: 'canary',
        'data-key': item.key,
        'data-canary': `${item.namespace}/${item.name}`,
        'aria-current': selected ? 'true' : null,
        title: item.text,
      },
      h(
        'span',
        { class: 'cname' },
        h('span', { class: 'cns' }, `${item.namespace}/`),
        item.name,
        h('span', { class: 'ctarget' }, item.target || '—'),
      ),
      h('span', { class: `dot ${info.cls}`, 'data-decision': item.decision }, info.label),
    ),
  );
}

export class CanaryList {
  /**
   * @param {HTMLElement} pane the scrolling element
   * @param {(key: string) => void} onSelect
   */
  constructor(pane, onSelect) {
    this.pane = pane;
    this.body = h('ul', { class: 'canaries', role: 'list' });
    pane.replaceChildren(this.body);
    this.items = [];
    this.pos = new Map(); // key → index in items
    this.rows = new Map(); // key → {li, item}
    this.selected = null;
    this.frame = 0;
    // The pane's scroll position and height, kept from events: drawing never reads layout (no forced layout).
    this.top = 0;
    this.height = 0;
    pane.addEventListener(
      'scroll',
      () => {
        this.top = pane.scrollTop;
        this.schedule();
      },
      { passive: true },
    );
    new ResizeObserver(([e]) => {
      this.height = e.contentRect.height;
      this.schedule();
    }).observe(pane);
    this.body.addEventListener('click', (e) => {
      const b = e.target.closest('button.canary');
      if (b) onSelect(b.dataset.key);
    });
    this.body.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      const b = e.target.closest('button.canary');
      const i = b ? this.pos.get(b.dataset.key) : undefined;
      const next = i === undefined ? undefined : this.items[i + (e.key === 'ArrowDown' ? 1 : -1)];
      if (!next) return;
      e.preventDefault();
      onSelect(next.key);
      this.reveal(next.key);
      this.rows.get(next.key)?.li.querySelector('button').focus();
    });
  }

  /** Shows `items` (already filtered), keeping rows whose item did not change. */
  setItems(items) {
    this.items = items;
    this.pos = new Map(items.map((it, i) => [it.key, i]));
    this.body.style.height = `${items.length * ROW}px`;
    this.draw();
  }

  setSelected(key) {
    if (key === this.selected) return;
    this.rows.get(this.selected)?.li.querySelector('button').removeAttribute('aria-current');
    this.selected = key;
    this.rows.get(key)?.li.querySelector('button').setAttribute('aria-current', 'true');
  }

  /** Scrolls the pane just enough to show `key`'s row. */
  reveal(key) {
    const i = this.pos.get(key);
    if (i === undefined) return;
    const top = i * ROW;
    if (top < this.top) this.top = top;
    else if (top + ROW > this.top + this.height) this.top = top + ROW - this.height;
    else return;
    this.pane.scrollTop = this.top;
    this.draw();
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  draw() {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    // Before the first resize report, assume a tall pane (drawing a few rows too many is harmless).
    const height = this.height || 1200;
    const top = Math.min(this.top, Math.max(0, this.items.length * ROW - height));
    const first = Math.max(0, Math.floor(top / ROW) - MARGIN);
    const last = Math.min(this.items.length, Math.ceil((top + height) / ROW) + MARGIN);
    const want = new Set();
    for (let i = first; i < last; i++) {
      const item = this.items[i];
      want.add(item.key);
      let r = this.rows.get(item.key);
      if (r && r.item !== item) {
        r.li.remove();
        r = null;
      }
      if (!r) {
        r = { li: row(item, item.key === this.selected), item };
        this.rows.set(item.key, r);
        this.body.append(r.li);
      }
      r.li.style.transform = `translateY(${i * ROW}px)`;
      r.li.setAttribute('aria-posinset', String(i + 1));
      r.li.setAttribute('aria-setsize', String(this.items.length));
    }
    for (const [key, r] of this.rows) {
      if (!want.has(key)) {
        r.li.remove();
        this.rows.delete(key);
      }
    }
  }
}
