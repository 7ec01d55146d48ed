// Enrol a laptop: one-time enrolment commands, made and revoked.
import { api } from '../lib/api.js';
import { $, append, clear, el, focusByKey, focusedKey, showNote, table } from '../lib/dom.js';
import { confirmDialog, field, setBusy } from '../lib/forms.js';
import { clockAndDay, parseTime, relativeWords, timeElement, whenCell } from '../lib/format.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { handleError, isCurrent } from '../lib/router.js';
import { deviceLabel } from './devices.js';

const TOKEN_STATES = {
  active: { text: 'Active', badge: 'badge--ok' },
  used: { text: 'Used', badge: 'badge--neutral' },
  expired: { text: 'Expired', badge: 'badge--neutral' },
  revoked: { text: 'Revoked', badge: 'badge--neutral' },
};

export function renderEnrol(content, seq) {
  setHeading('Enrol a laptop');
  const label = field({
    id: 'token-label', label: 'Label (optional)',
    hint: 'A note for yourself, such as “Laptop 3, games room”. It is shown in the list of commands below.',
    maxLength: 100,
  });
  const submit = el('button', { type: 'submit', className: 'button' }, 'Create enrolment command');
  const form = el('form', { className: 'form card', novalidate: true, 'aria-labelledby': 'enrol-intro-title' },
    el('h2', { id: 'enrol-intro-title' }, 'Make a command for one laptop'),
    el('p', null, 'Each laptop is enrolled once with a command you make here. ' +
      'A command works for one laptop only and stops working after it is used or when it expires.'),
    label.group,
    el('div', { className: 'button-row' }, submit));
  const result = el('section', { id: 'enrol-result', className: 'result', hidden: true, 'aria-labelledby': 'enrol-result-title' });
  const tokens = el('section', { className: 'tokens', 'aria-labelledby': 'tokens-title' },
    el('h2', { id: 'tokens-title' }, 'Enrolment commands you have made'),
    el('div', { id: 'tokens-body' }, el('p', { className: 'muted' }, 'Loading…')));
  content.append(form, result, tokens);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setBusy(submit, true, 'Creating…');
    try {
      const data = await api('POST', 'enrolment-tokens', { label: label.input.value.trim() });
      if (!isCurrent(seq)) return;
      label.input.value = '';
      await drawEnrolResult(result, data, seq);
      showMessage('Enrolment command created. Copy it now: it is shown only once.', 'success');
      $('enrol-result-title').focus();
      loadTokens(seq);
    } catch (error) {
      handleError(error, seq);
    } finally {
      setBusy(submit, false);
    }
  });

  loadTokens(seq);
}

// Copies the command, or selects it for Ctrl+C where the clipboard cannot be written.
function copyButton(box) {
  const copyStatus = el('span', { className: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const copy = el('button', { type: 'button', className: 'button', id: 'copy-command' }, 'Copy command');
  copy.addEventListener('click', async () => {
    let done = false;
    try {
      await navigator.clipboard.writeText(box.value);
      done = true;
    } catch (_) {
      box.focus();
      box.select();
      try {
        done = document.execCommand('copy');
      } catch (__) {
        done = false;
      }
    }
    copyStatus.textContent = done
      ? 'Copied. Paste it into the terminal on the laptop.'
      : 'Could not copy automatically. The command is selected: press Ctrl+C to copy it.';
  });
  return [copy, copyStatus];
}

async function drawEnrolResult(result, data, seq) {
  clear(result);
  const expires = parseTime(data.expires_at);
  const box = el('textarea', {
    id: 'enrol-command', className: 'command', readOnly: true,
    rows: Math.min(8, Math.max(3, Math.ceil(String(data.command || '').length / 64) + 1)),
    spellcheck: 'false', autocapitalize: 'none', 'aria-describedby': 'enrol-expiry',
  });
  box.value = data.command || '';
  box.addEventListener('focus', () => box.select());

  const expiryText = expires
    ? 'This command works once, until ' + clockAndDay(expires) + ' (' + relativeWords(expires) + ').'
    : 'This command works once.';

  append(result, [
    el('h2', { id: 'enrol-result-title', tabIndex: -1 }, 'Your enrolment command'),
    el('label', { for: 'enrol-command', className: 'field__label' }, 'Command to paste on the laptop'),
    box,
    el('div', { className: 'button-row' }, copyButton(box)),
    el('p', { id: 'enrol-expiry', className: 'expiry' }, expiryText,
      ' It is shown only this once: if you lose it, make a new one.'),
    el('h3', null, 'What to do on the laptop'),
    el('ol', { className: 'steps' },
      el('li', null, 'Install the clubsafe-agent package on the laptop.'),
      el('li', null, 'Open a terminal and paste this command. It asks for the laptop’s administrator password.'),
      el('li', null, 'The laptop appears on the ', el('a', { href: '#/devices' }, 'Laptops page'), ' within a minute.')),
  ]);
  result.hidden = false;

  // The certificate fingerprint, for a helper who wants to check they reach the right server.
  try {
    const server = await api('GET', 'server');
    if (!isCurrent(seq) || !server || !server.fingerprint) return;
    result.appendChild(el('details', { className: 'server-details' },
      el('summary', null, 'Server details for IT helpers'),
      el('dl', { className: 'details-list' },
        server.url ? [el('dt', null, 'Server address'), el('dd', { className: 'mono' }, server.url)] : null,
        [el('dt', null, 'Certificate fingerprint (SHA-256)'), el('dd', { className: 'mono wrap' }, server.fingerprint)],
        server.version ? [el('dt', null, 'Server version'), el('dd', null, server.version)] : null)));
  } catch (_) {
    // Only a nicety: the command itself carries what the agent needs.
  }
}

async function loadTokens(seq) {
  const body = $('tokens-body');
  try {
    const [tokenData, deviceData] = await Promise.all([
      api('GET', 'enrolment-tokens'),
      api('GET', 'devices').catch(() => ({ devices: [] })),
    ]);
    if (!isCurrent(seq)) return;
    const names = new Map((deviceData.devices || []).map((d) => [d.id, deviceLabel(d)]));
    drawTokens(body, tokenData.tokens || [], names, seq);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(body, 'The list of commands could not be loaded.');
    handleError(error, seq);
  }
}

function tokenRow(token, names, seq) {
  const known = TOKEN_STATES[token.state] || { text: String(token.state || 'Unknown'), badge: 'badge--neutral' };
  let detail = null;
  if (token.state === 'used') {
    const who = token.used_by_device ? (names.get(token.used_by_device) || token.used_by_device) : '';
    detail = el('span', { className: 'cell-detail' },
      who ? 'by ' + who : null, token.used_at ? [who ? ', ' : '', timeElement(token.used_at)] : null);
  }
  const label = token.label || 'No label';
  let action = el('span', { className: 'muted' }, '–');
  if (token.state === 'active') {
    action = el('button', {
      type: 'button', className: 'button button--danger-quiet button--small',
      'aria-label': 'Revoke the command “' + label + '”',
      dataset: { focusKey: 'revoke:' + token.id },
    }, 'Revoke');
    action.addEventListener('click', () => revokeToken(token, label, seq));
  }
  return el('tr', null,
    el('th', { scope: 'row', 'data-label': 'Label' }, el('span', { className: token.label ? '' : 'muted' }, label)),
    el('td', { 'data-label': 'Made' }, whenCell(token.created_at),
      token.created_by ? el('span', { className: 'cell-detail' }, 'by ' + token.created_by) : null),
    el('td', { 'data-label': 'Expires' }, whenCell(token.expires_at)),
    el('td', { 'data-label': 'State' }, el('span', { className: 'badge ' + known.badge }, known.text), detail),
    el('td', { 'data-label': 'Action' }, action));
}

function drawTokens(body, tokens, names, seq) {
  const focusKey = focusedKey(body);
  clear(body);
  if (!tokens.length) {
    body.appendChild(el('p', { className: 'muted' }, 'None yet. Commands you make appear here, so you can see which were used.'));
    return;
  }
  const sorted = tokens.slice().sort((a, b) => (Date.parse(b.created_at) || 0) - (Date.parse(a.created_at) || 0));
  body.appendChild(table({
    id: 'tokens-table', caption: 'Enrolment commands',
    headings: ['Label', 'Made', 'Expires', 'State', 'Action'],
    rows: sorted.map((token) => tokenRow(token, names, seq)),
  }));
  focusByKey(focusKey, body);
}

async function revokeToken(token, label, seq) {
  const yes = await confirmDialog({
    title: 'Revoke this enrolment command?',
    body: ['Nobody will be able to use the command “' + label + '” to enrol a laptop. Laptops already enrolled are not affected.'],
    confirmText: 'Revoke command',
  });
  if (!yes) return;
  try {
    await api('POST', 'enrolment-tokens/' + encodeURIComponent(token.id) + '/revoke');
    if (!isCurrent(seq)) return;
    showMessage('The command “' + label + '” has been revoked.', 'success');
    await loadTokens(seq);
    const heading = $('tokens-title');
    if (heading && document.activeElement === document.body) {
      heading.tabIndex = -1;
      heading.focus();
    }
  } catch (error) {
    handleError(error, seq);
  }
}
