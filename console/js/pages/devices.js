// Laptops: which are enrolled, whether each is reporting, and removing one.
import { api } from '../lib/api.js';
import { clear, el, focusByKey, focusedKey, table } from '../lib/dom.js';
import { confirmDialog } from '../lib/forms.js';
import {
  clockFormat, count, durationWords, numberFormat, parseTime, serverNow, setServerClock, whenCell,
} from '../lib/format.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { currentSeq, handleError, isCurrent, redraw, repeatWhileShown } from '../lib/router.js';

const REFRESH_MS = 30 * 1000;

export function deviceLabel(device) {
  return device.name || device.hostname || device.id;
}

export function renderDevices(content, seq) {
  setHeading('Laptops');
  const summary = el('div', { className: 'summary', id: 'devices-summary' });
  const updated = el('p', { className: 'refresh-line muted' });
  const refreshButton = el('button', { type: 'button', className: 'button button--secondary button--small' }, 'Check now');
  const body = el('div', { id: 'devices-body' }, el('p', { className: 'muted' }, 'Loading the laptops…'));
  content.append(summary, el('div', { className: 'refresh' }, updated, refreshButton), body);

  const load = async (announce) => {
    content.setAttribute('aria-busy', 'true');
    try {
      const started = Date.now();
      const data = await api('GET', 'devices');
      if (!isCurrent(seq)) return;
      setServerClock(parseTime(data.now), started, Date.now());
      drawDevices(data, summary, body);
      updated.textContent = 'Checked at ' + clockFormat.format(new Date()) +
        '. This page checks again every 30 seconds.';
      if (announce) showMessage('Laptop list is up to date.', 'info');
    } catch (error) {
      if (!isCurrent(seq)) return;
      if (error.status === 0) updated.textContent = 'Last check failed.';
      handleError(error, seq);
    } finally {
      content.setAttribute('aria-busy', 'false');
    }
  };

  refreshButton.addEventListener('click', () => load(true));
  load(false);
  // Check every 30 s while the page is in view; a hidden tab is brought up to date when shown.
  let missed = false;
  repeatWhileShown(() => {
    if (document.hidden) missed = true;
    else load(false);
  }, REFRESH_MS);
  const onVisible = () => {
    if (!isCurrent(seq)) {
      document.removeEventListener('visibilitychange', onVisible);
    } else if (!document.hidden && missed) {
      missed = false;
      load(false);
    }
  };
  document.addEventListener('visibilitychange', onVisible);
}

function drawDevices(data, summary, body) {
  const devices = Array.isArray(data.devices) ? data.devices : [];
  const active = devices.filter((d) => !d.revoked);
  const removed = devices.filter((d) => d.revoked);

  // Keep keyboard focus where it was when the table is redrawn.
  const focusKey = focusedKey(body);

  clear(summary);
  clear(body);

  if (active.length === 0) {
    summary.className = 'summary';
    body.appendChild(el('div', { className: 'empty card' },
      el('h2', null, 'No laptops are enrolled yet'),
      el('p', null, 'Enrol each club laptop once, so clubsafe can filter it and you can see that it is reporting. ' +
        'It takes a couple of minutes per laptop.'),
      el('p', null, el('a', { className: 'button', href: '#/enrol' }, 'Enrol a laptop'))));
  } else {
    drawSummary(active, summary);
    body.appendChild(devicesTable(active, 'devices-table', 'Enrolled laptops', true));
  }

  if (removed.length) {
    body.appendChild(el('details', { className: 'removed' },
      el('summary', null, 'Removed laptops (' + numberFormat.format(removed.length) + ')'),
      el('p', { className: 'muted' }, 'These laptops no longer report. To bring one back, enrol it again.'),
      devicesTable(removed, 'removed-table', 'Removed laptops', false)));
  }

  focusByKey(focusKey, body);
}

// "2 of 3 laptops reporting; 1 not seen for 2 days."
function summaryText(active, online, offline) {
  if (offline.length === 0) {
    return active.length === 1
      ? 'The laptop is reporting.'
      : 'All ' + numberFormat.format(active.length) + ' laptops are reporting.';
  }
  const neverSeen = offline.filter((d) => !parseTime(d.last_seen));
  const silent = offline.filter((d) => parseTime(d.last_seen));
  const parts = [];
  if (silent.length) {
    const oldest = Math.min(...silent.map((d) => parseTime(d.last_seen).getTime()));
    const gap = durationWords((serverNow() - oldest) / 1000);
    parts.push(silent.length === 1
      ? '1 not seen for ' + gap
      : numberFormat.format(silent.length) + ' not seen recently, the longest for ' + gap);
  }
  if (neverSeen.length) {
    parts.push(numberFormat.format(neverSeen.length) + ' enrolled but not reported yet');
  }
  return numberFormat.format(online.length) + ' of ' + count(active.length, 'laptop', 'laptops') + ' reporting' +
    '; ' + parts.join('; ') + '.';
}

function drawSummary(active, summary) {
  const online = active.filter((d) => d.online);
  const offline = active.filter((d) => !d.online);
  summary.className = 'summary ' + (offline.length ? 'summary--warning' : 'summary--ok');
  summary.appendChild(el('p', { className: 'summary__text' },
    el('span', { className: 'summary__icon', 'aria-hidden': 'true' }, offline.length ? '!' : '✓'),
    el('span', { id: 'devices-summary-text' }, summaryText(active, online, offline))));
  if (offline.length) {
    summary.appendChild(el('p', { className: 'summary__hint' },
      'A laptop that is switched off or away from the internet shows as Offline. ' +
      'If one stays Offline on a day it was used, check that it is connected and that the clubsafe agent is running on it.'));
  }
}

function queueWords(device) {
  const backlog = Number(device.backlog) || 0;
  const lag = Number(device.queue_lag_seconds) || 0;
  if (backlog <= 0) return { text: 'up to date', behind: false };
  let text = count(backlog, 'event', 'events') + ' waiting';
  if (lag >= 60) text += ', ' + durationWords(lag) + ' behind';
  if (!device.online) text += ' (at last report)';
  return { text, behind: true };
}

function statusBadge(device) {
  if (device.revoked) return el('span', { className: 'badge badge--neutral' }, 'Removed');
  if (device.online) return el('span', { className: 'badge badge--ok' }, 'Online');
  if (!parseTime(device.last_seen)) return el('span', { className: 'badge badge--waiting' }, 'Not reported yet');
  return el('span', { className: 'badge badge--bad' }, 'Offline');
}

function deviceRow(device, withActions) {
  const queue = queueWords(device);
  const cells = [
    el('th', { scope: 'row', className: 'cell-name', 'data-label': 'Name' },
      el('span', { className: 'device-name' }, deviceLabel(device)),
      device.os ? el('span', { className: 'cell-detail' }, device.os) : null),
    el('td', { 'data-label': 'Host name' }, el('span', { className: 'mono' }, device.hostname || '–')),
    el('td', { 'data-label': 'Last seen' }, whenCell(device.last_seen)),
    el('td', { 'data-label': 'Status' }, statusBadge(device)),
    el('td', { 'data-label': 'Queue', className: queue.behind ? 'queue queue--behind' : 'queue' }, queue.text),
    el('td', { 'data-label': 'Agent version' }, device.agent_version || '–'),
  ];
  if (withActions) {
    const button = el('button', {
      type: 'button', className: 'button button--danger-quiet button--small',
      'aria-label': 'Remove ' + deviceLabel(device),
      dataset: { focusKey: 'remove:' + device.id },
    }, 'Remove');
    button.addEventListener('click', () => removeDevice(device));
    cells.push(el('td', { 'data-label': 'Action' }, button));
  }
  return el('tr', { dataset: { deviceId: device.id }, className: device.online || device.revoked ? '' : 'row--offline' }, cells);
}

function devicesTable(devices, id, caption, withActions) {
  const sorted = devices.slice().sort((a, b) =>
    Number(a.online) - Number(b.online) ||
    deviceLabel(a).localeCompare(deviceLabel(b), 'en-GB', { numeric: true, sensitivity: 'base' }));
  const headings = ['Name', 'Host name', 'Last seen', 'Status', 'Queue', 'Agent version'];
  if (withActions) headings.push('Action');
  return table({ id, caption, headings, rows: sorted.map((device) => deviceRow(device, withActions)) });
}

async function removeDevice(device) {
  const name = deviceLabel(device);
  const yes = await confirmDialog({
    title: 'Remove “' + name + '”?',
    body: [
      'This laptop will stop reporting to clubsafe straight away: the server will refuse everything it sends from now on, ' +
        'so you will no longer see whether it is switched on, filtered or used.',
      'What it has already reported stays on the server. To bring it back later, enrol it again with a new command.',
    ],
    confirmText: 'Remove laptop',
  });
  if (!yes) return;
  const seq = currentSeq();
  try {
    await api('POST', 'devices/' + encodeURIComponent(device.id) + '/revoke');
    if (!isCurrent(seq)) return;
    redraw('“' + name + '” has been removed. It no longer reports.', 'success');
  } catch (error) {
    handleError(error, seq);
  }
}
