// The access log (SPEC C4), for DSLs: every look at a person's records — the usage explorer's
// views and exports that name someone, and every alert opened — with who looked and when, newest
// first. Records are kept for retention.access_log_days, then deleted by the collector.
import { api } from '../lib/api.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { whenCell } from '../lib/format.js';
import { setHeading } from '../lib/frame.js';
import { handleError, isCurrent, routeHref, routeParams } from '../lib/router.js';

// The collector's page size (AlertRoutes::kPageSize).
const PAGE_SIZE = 100;

const KIND_WORDS = {
  'explorer view': 'Viewed in the usage explorer',
  'explorer export': 'Exported from the usage explorer',
  alert: 'Opened an alert',
  incident: 'Opened an incident',
};

export function renderAccessLog(content, seq) {
  setHeading('Access log');
  const asked = Number(routeParams().get('offset'));
  const offset = Number.isInteger(asked) && asked > 0 ? asked : 0;
  const body = el('div', { id: 'access-log-body' }, el('p', { className: 'muted' }, 'Loading the access log…'));
  content.append(
    el('p', null, 'Every time someone looked at records about a person: who, when and what. Newest first. ' +
      'Nobody can change or remove an entry; old entries are deleted when their retention period ends.'),
    body);
  load(body, offset, seq);
}

async function load(body, offset, seq) {
  try {
    const page = await api('GET', 'access-log?offset=' + offset);
    if (!isCurrent(seq)) return;
    draw(body, page, offset);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(body, 'The access log could not be loaded. Reload this page to try again.');
    handleError(error, seq);
  }
}

function draw(body, page, offset) {
  clear(body);
  const records = page.records || [];
  if (!records.length) {
    body.appendChild(el('p', { className: 'empty' }, offset ? 'There are no older entries.' : 'Nobody has looked at a person\'s records yet.'));
  } else {
    body.appendChild(table({
      id: 'access-log-table', caption: 'Looks at people\'s records, newest first',
      headings: ['When', 'Who', 'What they did', 'Which records', 'Records shown'],
      rows: records.map((record) => el('tr', null,
        el('td', { 'data-label': 'When' }, whenCell(record.time)),
        el('th', { scope: 'row', 'data-label': 'Who' }, record.viewer),
        el('td', { 'data-label': 'What they did' }, KIND_WORDS[record.kind] || record.kind),
        el('td', { 'data-label': 'Which records' }, record.what),
        el('td', { 'data-label': 'Records shown' }, String(record.rows)))),
    }));
  }
  const links = [];
  if (offset > 0) links.push(el('a', { href: routeHref('access-log', { offset: Math.max(0, offset - PAGE_SIZE) }) }, 'Newer entries'));
  if (page.more) links.push(el('a', { href: routeHref('access-log', { offset: offset + records.length }) }, 'Older entries'));
  if (links.length) body.appendChild(el('p', { className: 'button-row' }, links));
}
