// The parts of the page around each route's content: the heading and the message under it.
import { $, clear, el } from './dom.js';

export function setHeading(text) {
  $('page-heading').textContent = text;
  document.title = text + ' – clubsafe';
}

// Shows `text` in the live region under the heading; kind is info, success or error.
export function showMessage(text, kind = 'info') {
  const box = $('message');
  clear(box);
  box.className = 'message';
  if (!text) return;
  box.classList.add('message--' + kind, 'message--shown');
  box.appendChild(el('p', null, text));
}

export const clearMessage = () => showMessage('');
