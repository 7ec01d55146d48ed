// In use now: for the supervising worker, the laptops heard from in the last few minutes, who
// is signed in, the app in front and what was blocked just now. Checked again every 10 seconds.
import { api } from '../lib/api.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { clockFormat, count, numberFormat, parseTime, setServerClock, timeElement } from '../lib/format.js';
import { setHeading } from '../lib/frame.js';
import { handleError, isCurrent, pageLink, repeatWhileShown } from '../lib/router.js';
import { unlocksSection } from './unlocks.js';

const REFRESH_MS = 10 * 1000;

function whoCell(laptop) {
  if (laptop.member) return [laptop.member, laptop.os_user ? el('span', { className: 'cell-detail' }, 'on ' + laptop.os_user) : null];
  if (laptop.os_user) return [laptop.os_user, el('span', { className: 'cell-detail' }, 'no member signed in')];
  return el('span', { className: 'muted' }, 'Nobody');
}

function blocksCell(laptop, since) {
  if (!laptop.recent_blocks.length) return el('span', { className: 'muted' }, 'None');
  return el('ul', { className: 'plain-list' }, laptop.recent_blocks.map((block) => el('li', null,
    pageLink('explorer', { device: laptop.device_id, type: 'dns_decision', action: 'blocked', site: block.site, from: since },
      block.site),
    ' (' + (block.category || 'no category') + ') at ' + clockFormat.format(parseTime(block.minute)) +
      (block.count > 1 ? ', ' + numberFormat.format(block.count) + ' times' : ''))));
}

function draw(body, data) {
  clear(body);
  const since = new Date(parseTime(data.now).getTime() - data.window_minutes * 60 * 1000).toISOString();
  body.append(el('p', { id: 'in-use-summary' },
    count(data.laptops.length, 'laptop', 'laptops') + ' in use in the last ' +
    count(data.window_minutes, 'minute', 'minutes') + '.'));
  if (!data.laptops.length) return;
  body.append(table({
    id: 'in-use-table', caption: 'Laptops in use now',
    headings: ['Laptop', 'Who', 'App in front', 'Last heard from', 'Blocked just now'],
    rows: data.laptops.map((laptop) => el('tr', null,
      el('th', { scope: 'row' }, pageLink('explorer', { device: laptop.device_id, from: since }, laptop.name || laptop.device_id)),
      el('td', null, whoCell(laptop)),
      el('td', null, laptop.app || el('span', { className: 'muted' }, 'Not known yet')),
      el('td', null, timeElement(laptop.last_event_at)),
      el('td', null, blocksCell(laptop, since)))),
  }));
}

export function renderInUseNow(content, seq) {
  setHeading('In use now');
  const updated = el('p', { className: 'refresh-line muted', 'aria-live': 'off' });
  const body = el('div', { id: 'in-use-body' }, el('p', { className: 'muted' }, 'Loading…'));
  content.append(el('p', null, 'The app in front is the one used last, as its laptop wrote it down (at most 10 minutes ago).'),
    updated, body, unlocksSection(seq));
  const load = async () => {
    try {
      const started = Date.now();
      const data = await api('GET', 'in-use-now');
      if (!isCurrent(seq)) return;
      setServerClock(parseTime(data.now), started, Date.now());
      draw(body, data);
      updated.textContent = 'Checked at ' + clockFormat.format(new Date()) + '. This page checks again every 10 seconds.';
    } catch (error) {
      if (!isCurrent(seq)) return;
      if (error.status === 0) {
        updated.textContent = 'Last check failed; trying again.';
        return;
      }
      showNote(body, 'Laptops in use could not be loaded.');
      handleError(error, seq);
    }
  };
  load();
  repeatWhileShown(() => {
    if (!document.hidden) load();
  }, REFRESH_MS);
}
