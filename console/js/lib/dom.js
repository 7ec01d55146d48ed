// Building the page from data. Every piece of data from the server goes onto the page as a text
// node or a property, never as HTML: device names, host names and labels are typed by whoever
// holds a laptop.

// el('p', {className: 'x'}, 'text', child) builds an element; strings become text nodes.
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'className') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key in node && typeof value !== 'string') node[key] = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

export const $ = (id) => document.getElementById(id);

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// Replaces what `node` shows with a muted line, such as "Loading…".
export function showNote(node, text) {
  clear(node);
  node.appendChild(el('p', { className: 'muted' }, text));
}

// The data-focus-key of the focused element if it is inside `root`: a redrawn list can give
// keyboard focus back to the same button with focusByKey.
export function focusedKey(root) {
  const focused = document.activeElement;
  return focused && root.contains(focused) ? focused.dataset.focusKey : undefined;
}

export function focusByKey(key, root = document) {
  if (!key) return;
  const again = root.querySelector('[data-focus-key="' + CSS.escape(key) + '"]');
  if (again) again.focus();
}

// A table with a caption for screen readers, wrapped so a narrow screen can reflow it.
export function table({ id, caption, headings, rows }) {
  return el('div', { className: 'table-wrap' },
    el('table', { className: 'table', id },
      el('caption', { className: 'visually-hidden' }, caption),
      el('thead', null, el('tr', null, headings.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', null, rows)));
}
