// Usage explorer (SPEC C6): the raw events behind every number, by time, laptop, person, app,
// site, category and action. The filter lives in the hash (#/explorer?from=…&member=…), so the
// dashboard's numbers and each row's "Show context" link here; the CSV holds what the filter shows.
// Everything an event carries (titles, URLs, search terms) is typed by whoever used the laptop: it
// goes onto the page as text only (lib/dom.js).
import { api } from '../lib/api.js';
import { clear, el, table } from '../lib/dom.js';
import { count, numberFormat, parseTime } from '../lib/format.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { handleError, isCurrent, routeHref, routeParams } from '../lib/router.js';

const TEXT_FILTERS = [
  ['member', 'Member'],
  ['account', 'Computer account'],
  ['profile', 'Profile'],
  ['app', 'App'],
  ['site', 'Site (domain)'],
  ['category', 'Category'],
  ['action', 'Action'],
];
const FILTER_NAMES = ['from', 'to', 'device', 'type', ...TEXT_FILTERS.map(([name]) => name)];

// The event types the explorer shows (alerts and worries are for the safeguarding lead only;
// heartbeats only say a laptop was reporting, which the dashboard's coverage shows).
const TYPES = [
  ['dns_decision', 'Site looked up (DNS)'], ['browser_visit', 'Page visited'],
  ['search_term', 'Search'], ['app_usage', 'App in use'], ['app_list', 'Apps running'],
  ['session', 'Computer sign-in or out'], ['member_sign_in', 'Member signed in'],
  ['member_sign_out', 'Member signed out'], ['notice_acknowledged', 'Notice acknowledged'],
  ['block_notice', 'Block page shown'], ['review_request', 'Review asked for'],
  ['override', 'Override by a worker'], ['filter_self_test', 'Filter self-test'],
  ['tamper', 'Tampering'], ['outbox_gap', 'Events lost'], ['rejected', 'Events refused'],
];
const typeLabel = (type) => (TYPES.find(([name]) => name === type) || [type, type])[1];

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

// The filter in the hash, with only the names the explorer knows.
function currentFilter() {
  const params = routeParams();
  const filter = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name);
    if (value) filter[name] = value;
  }
  return filter;
}

const queryOf = (filter) => new URLSearchParams(filter).toString();

// datetime-local inputs hold the browser's local time; the API and the hash hold UTC.
function toLocalInput(text) {
  const date = parseTime(text);
  if (!date) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + 'T' +
    pad(date.getHours()) + ':' + pad(date.getMinutes());
}

function fromLocalInput(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isFinite(date.getTime()) ? date.toISOString() : '';
}

function field(id, label, input) {
  input.id = id;
  return el('div', { className: 'field' }, el('label', { for: id }, label), input);
}

function filterForm(filter, devices) {
  const inputs = {};
  inputs.from = el('input', { type: 'datetime-local', value: toLocalInput(filter.from) });
  inputs.to = el('input', { type: 'datetime-local', value: toLocalInput(filter.to) });
  inputs.device = el('select', null, el('option', { value: '' }, 'Any laptop'),
    devices.map((d) => el('option', { value: d.id, selected: d.id === filter.device }, d.name || d.hostname || d.id)));
  inputs.type = el('select', null, el('option', { value: '' }, 'Any kind'),
    TYPES.map(([name, label]) => el('option', { value: name, selected: name === filter.type }, label)));
  for (const [name] of TEXT_FILTERS) {
    inputs[name] = el('input', { type: 'text', value: filter[name] || '', autocomplete: 'off', maxLength: 256 });
  }
  const form = el('form', { className: 'card explorer-filter', id: 'explorer-filter' },
    el('div', { className: 'field-row' },
      field('explorer-from', 'From', inputs.from),
      field('explorer-to', 'Until', inputs.to),
      field('explorer-device', 'Laptop', inputs.device),
      field('explorer-type', 'Kind of event', inputs.type)),
    el('div', { className: 'field-row' },
      TEXT_FILTERS.map(([name, label]) => field('explorer-' + name, label, inputs[name]))),
    el('p', null,
      el('button', { type: 'submit', className: 'button' }, 'Show events'), ' ',
      el('a', { className: 'button button--secondary', href: routeHref('explorer') }, 'Clear the filter')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {
      from: fromLocalInput(inputs.from.value),
      to: fromLocalInput(inputs.to.value),
      device: inputs.device.value,
      type: inputs.type.value,
    };
    for (const [name] of TEXT_FILTERS) next[name] = inputs[name].value.trim();
    location.hash = routeHref('explorer', next);  // the router draws the page again
  });
  return form;
}

// What the event was about, in a line and a detail.
function whatCells(event) {
  const p = event.payload && typeof event.payload === 'object' ? event.payload : {};
  switch (event.type) {
    case 'dns_decision':
      return [event.site, count(Number(p.count) || 0, 'look-up', 'look-ups')];
    case 'browser_visit':
      return [event.title || event.site, event.url];
    case 'search_term':
      return [event.search_terms, p.engine];
    case 'app_usage':
      return [event.app, event.title];
    case 'block_notice':
    case 'review_request':
      return [event.site, p.message];
    default:
      return [JSON.stringify(p), ''];
  }
}

function eventRow(event) {
  const [line, detail] = whatCells(event);
  const time = parseTime(event.time);
  const person = event.member || event.account;
  return el('tr', null,
    el('td', null, el('time', { datetime: event.time }, time ? timeFormat.format(time) : event.time)),
    el('td', null, event.device || event.device_id),
    el('td', null, typeLabel(event.type)),
    el('td', null, person || el('span', { className: 'muted' }, 'None'),
      event.member && event.account ? el('span', { className: 'cell-detail' }, 'on ' + event.account) : null),
    el('td', { className: 'explorer-what' }, el('span', null, line || ''),
      detail ? el('span', { className: 'cell-detail' }, String(detail)) : null),
    el('td', null, [event.category, event.action].filter(Boolean).join(', ')),
    el('td', null, el('a', { href: '#/explorer?' + event.context }, 'Show context')));
}

export async function renderExplorer(content, seq) {
  setHeading('Usage explorer');
  const filter = currentFilter();
  const intro = el('p', { className: 'muted' },
    'Every event the laptops reported, newest first. Looking at a person\'s events is written to the access log.');
  const body = el('div', { id: 'explorer-body' }, el('p', { className: 'muted' }, 'Loading the events…'));
  content.append(intro, body);

  try {
    const [devices, first] = await Promise.all([
      api('GET', 'devices'),
      api('GET', 'events?' + queryOf(filter)),
    ]);
    if (!isCurrent(seq)) return;
    clear(body);
    body.appendChild(filterForm(filter, Array.isArray(devices.devices) ? devices.devices : []));
    drawResults(body, filter, first, seq);
  } catch (error) {
    if (!isCurrent(seq)) return;
    clear(body);
    body.appendChild(el('p', null, el('a', { href: routeHref('explorer') }, 'Start again with no filter')));
    handleError(error, seq);
  }
}

function drawResults(body, filter, first, seq) {
  const rows = el('tbody');
  let shown = 0;
  const status = el('p', { className: 'muted', role: 'status', id: 'explorer-status' });
  const more = el('button', { type: 'button', className: 'button button--secondary', id: 'explorer-next' }, 'Next page');
  // The CSV holds what this filter showed: up to the moment of the first page unless an end was chosen.
  const shownFilter = { ...filter, to: filter.to || first.now };
  const download = el('a', {
    className: 'button button--secondary',
    id: 'explorer-csv',
    href: '/api/console/events.csv?' + queryOf(shownFilter),
    download: 'clubsafe-events.csv',
  }, 'Download CSV');
  let next = null;

  const add = (page) => {
    const events = Array.isArray(page.events) ? page.events : [];
    for (const event of events) rows.appendChild(eventRow(event));
    shown += events.length;
    next = page.next || null;
    more.hidden = !next;
    status.textContent = shown === 0
      ? 'No events match this filter.'
      : 'Showing ' + count(shown, 'event', 'events') + (next ? '; there are more.' : '; that is all of them.');
  };

  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const page = await api('GET', 'events?' + queryOf({ ...shownFilter, cursor: next }));
      if (!isCurrent(seq)) return;
      add(page);
      showMessage(numberFormat.format(page.events.length) + ' more events shown.', 'info');
    } catch (error) {
      handleError(error, seq);
    } finally {
      more.disabled = false;
    }
  });

  const wrap = table({
    id: 'explorer-table',
    caption: 'Events, newest first',
    headings: ['Time', 'Laptop', 'Kind', 'Person', 'What', 'Category, action', 'Context'],
    rows: [],
  });
  wrap.querySelector('tbody').replaceWith(rows);
  body.append(el('p', null, download), status, wrap, el('p', null, more));
  add(first);
}
