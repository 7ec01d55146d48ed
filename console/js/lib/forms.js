// Form fields with a label, an optional hint and an error line, the busy state of buttons, and
// the modal question asked before a change.
import { $, el, focusByKey } from './dom.js';

// The label, hint and error line around `input`, whose id is `id`.
export function fieldGroup(id, label, hint, input) {
  return el('div', { className: 'field' },
    el('label', { className: 'field__label', for: id }, label),
    hint ? el('p', { className: 'field__hint', id: id + '-hint' }, hint) : null,
    el('p', { className: 'field__error', id: id + '-error', hidden: true }),
    input);
}

// A labelled <input>; returns {group, input}. Its error line is shown with setFieldError.
export function field({ id, label, hint, type = 'text', autocomplete, required, value, maxLength }) {
  const input = el('input', {
    id, name: id, type, autocomplete, className: 'input',
    required: required || undefined,
    'aria-describedby': hint ? id + '-hint' : undefined,
    spellcheck: type === 'text' ? 'false' : undefined,
    autocapitalize: 'none',
  });
  if (maxLength) input.maxLength = maxLength;
  if (value !== undefined) input.value = value;
  return { group: fieldGroup(id, label, hint, input), input };
}

// A labelled <textarea>, as field().
export function textAreaField({ id, label, hint, value, rows = 4 }) {
  const input = el('textarea', {
    id, name: id, className: 'input', rows, spellcheck: 'false', autocapitalize: 'none',
    'aria-describedby': hint ? id + '-hint' : undefined,
  });
  input.value = value || '';
  return { group: fieldGroup(id, label, hint, input), input };
}

// The reason every change asks for, which the audit log keeps.
export function reasonField(id) {
  return field({
    id, label: 'Why are you making this change?', required: true, maxLength: 1000,
    hint: 'Saved in the audit log with your name and the time.',
  });
}

export const SAY_WHY = 'Say why you are making this change.';

// Shows `text` under the field (or hides the error line when it is empty).
export function setFieldError(input, text) {
  const error = $(input.id + '-error');
  const describedBy = (input.getAttribute('aria-describedby') || '')
    .split(' ').filter((id) => id && id !== error.id);
  if (text) {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    describedBy.push(error.id);
    input.closest('.field').classList.add('field--error');
  } else {
    error.textContent = '';
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    input.closest('.field').classList.remove('field--error');
  }
  if (describedBy.length) input.setAttribute('aria-describedby', describedBy.join(' '));
  else input.removeAttribute('aria-describedby');
}

export function setBusy(button, busy, busyText) {
  if (busy) {
    button.dataset.idleText = button.textContent;
    button.textContent = busyText;
    button.disabled = true;
  } else {
    if (button.dataset.idleText) button.textContent = button.dataset.idleText;
    button.disabled = false;
  }
}

// A modal question with a clear "do it" and "cancel". Resolves true when confirmed, or with
// askReason the reason typed (required), and false when cancelled.
export function confirmDialog({ title, body, confirmText, cancelText = 'Cancel', askReason = false, danger = true }) {
  return new Promise((resolve) => {
    const titleId = 'dialog-title';
    const bodyId = 'dialog-body';
    const confirmButton = el('button', { type: 'button', className: danger ? 'button button--danger' : 'button' }, confirmText);
    const cancelButton = el('button', { type: 'button', className: 'button button--secondary' }, cancelText);
    const reason = askReason ? reasonField('dialog-reason') : null;
    const dialog = el('dialog', { className: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': bodyId },
      el('h2', { id: titleId, className: 'dialog__title' }, title),
      el('div', { id: bodyId, className: 'dialog__body' }, body.map((text) => el('p', null, text))),
      reason ? reason.group : null,
      el('div', { className: 'button-row' }, confirmButton, cancelButton));
    const opener = document.activeElement;
    let answered = false;
    const finish = (answer) => {
      if (answered) return;
      answered = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) {
        opener.focus();
      } else if (opener && opener.dataset) {
        // The list was redrawn while the question was open: find the same button again.
        focusByKey(opener.dataset.focusKey);
      }
      resolve(answer);
    };
    confirmButton.addEventListener('click', () => {
      if (!reason) {
        finish(true);
        return;
      }
      const text = reason.input.value.trim();
      if (!text) {
        setFieldError(reason.input, SAY_WHY);
        reason.input.focus();
        return;
      }
      finish(text);
    });
    cancelButton.addEventListener('click', () => finish(false));
    dialog.addEventListener('close', () => finish(false));
    document.body.appendChild(dialog);
    dialog.showModal();
    (reason ? reason.input : cancelButton).focus();
  });
}
