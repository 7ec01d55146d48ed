// The unlocks youth workers made on the laptops in the last week ("Worker override"): a worker
// sees their own, a manager everyone's. Shown under "In use now".
import { api } from '../lib/api.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { count, whenCell } from '../lib/format.js';
import { handleError, isCurrent } from '../lib/router.js';

function unlockRow(unlock) {
  const payload = typeof unlock.payload === 'object' && unlock.payload ? unlock.payload : {};
  return el('tr', null,
    el('td', null, whenCell(unlock.time)),
    el('td', null, unlock.device || unlock.device_id),
    el('td', null, unlock.member || el('span', { className: 'muted' }, 'Nobody signed in')),
    el('td', null, (payload.target || '') + (payload.scope ? ' (' + payload.scope + ')' : '')),
    el('td', null, payload.minutes ? count(payload.minutes, 'minute', 'minutes') : ''),
    el('td', null, payload.reason || ''),
    el('td', null, unlock.worker));
}

function draw(section, answer) {
  clear(section);
  section.append(el('h2', { id: 'unlocks-heading' }, answer.everyone ? 'Unlocks this week' : 'Your unlocks this week'));
  if (!answer.unlocks.length) {
    section.append(el('p', null, answer.everyone
      ? 'No youth worker unlocked anything in the last 7 days.'
      : 'You unlocked nothing in the last 7 days. (Your unlocks are the ones made with the PIN whose name is your user name.)'));
    return;
  }
  section.append(table({ id: 'unlocks-table', caption: 'Unlocks in the last 7 days, newest first',
    headings: ['When', 'Laptop', 'For', 'What', 'How long', 'Why', 'Youth worker'],
    rows: answer.unlocks.map(unlockRow) }));
}

export function unlocksSection(seq) {
  const section = el('section', { className: 'section', id: 'unlocks', 'aria-labelledby': 'unlocks-heading' },
    el('p', { className: 'muted' }, 'Loading the unlocks…'));
  (async () => {
    try {
      const answer = await api('GET', 'unlocks');
      if (isCurrent(seq)) draw(section, answer);
    } catch (error) {
      if (!isCurrent(seq)) return;
      showNote(section, 'The unlocks could not be loaded.');
      handleError(error, seq);
    }
  })();
  return section;
}
