// Dashboard (SPEC C5): is every laptop reporting, and is filtering working? A period of the
// club's local days (#/dashboard?from=2026-11-01&to=2026-11-30), read from the collector's hourly
// totals. Every number links to the events behind it in the usage explorer.
import { api } from '../lib/api.js';
import { blocksNothing, categoryNamer } from '../lib/categories.js';
import { chartFigure } from '../lib/chart.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { count, durationWords, numberFormat, whenCell } from '../lib/format.js';
import { setHeading } from '../lib/frame.js';
import { mailCallout, managerAlertsSection } from './dashboard-alerts.js';
import { handleError, isCurrent, pageLink, reachedHref, routeHref, routeParams } from '../lib/router.js';
import { hasAnyRole } from '../lib/session.js';

const DEFAULT_DAYS = 28;

function dayText(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());
}

// The period in the hash, else the last four weeks up to today.
function currentPeriod() {
  const params = routeParams();
  const today = new Date();
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (DEFAULT_DAYS - 1));
  return { from: params.get('from') || dayText(first), to: params.get('to') || dayText(today) };
}

// A number as a link to the events behind it (the explorer's filter, over the period).
function explorerLink(data, filter, text) {
  return pageLink('explorer', { from: data.from, to: data.to, ...filter }, text);
}

function periodForm(period) {
  const from = el('input', { type: 'date', id: 'dashboard-from', name: 'from', value: period.from, required: true });
  const to = el('input', { type: 'date', id: 'dashboard-to', name: 'to', value: period.to, required: true });
  const form = el('form', { className: 'form form--inline', id: 'dashboard-period' },
    el('div', { className: 'field' }, el('label', { className: 'field__label', for: 'dashboard-from' }, 'First day'), from),
    el('div', { className: 'field' }, el('label', { className: 'field__label', for: 'dashboard-to' }, 'Last day'), to),
    el('button', { type: 'submit', className: 'button' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = routeHref('dashboard', { from: from.value, to: to.value });
  });
  return form;
}

function selfTestCell(laptop) {
  const test = laptop.self_test;
  if (!test) return el('span', { className: 'muted' }, 'None yet');
  if (test.passed) return [el('span', { className: 'badge badge--ok' }, 'Passed'), ' ', whenCell(test.at)];
  return [el('span', { className: 'badge badge--bad' }, 'Failed'), ' ',
    el('span', { className: 'cell-detail' }, (test.failures || []).join('; ')), whenCell(test.at)];
}

function coverageSection(data) {
  const hoursNote = data.opening_hours_set
    ? 'Opening hours in the period: ' + count(data.open_hours, 'hour', 'hours') + ' (' + data.timezone + ').'
    : 'Opening hours are not set (setting club.opening_hours), so silent laptops and use while closed are not shown.';
  const headings = ['Laptop', 'Last contact', 'Agent version', 'Waiting to send', 'Events lost',
    'Hours reporting', 'Silent while open', 'Used while closed', 'Latest self-test'];
  const rows = data.laptops.map((laptop) => el('tr', null,
    el('th', { scope: 'row' }, laptop.name || laptop.device_id,
      laptop.revoked ? el('span', { className: 'badge badge--bad' }, 'Removed') : null),
    el('td', null, whenCell(laptop.last_contact)),
    el('td', null, laptop.agent_version || '–'),
    el('td', { className: 'numeric' }, numberFormat.format(laptop.backlog)),
    el('td', { className: 'numeric' },
      explorerLink(data, { device: laptop.device_id, type: 'outbox_gap' },
        numberFormat.format(laptop.events_dropped + laptop.events_rejected))),
    el('td', { className: 'numeric' },
      explorerLink(data, { device: laptop.device_id }, numberFormat.format(laptop.hours_reporting))),
    el('td', { className: 'numeric' }, data.opening_hours_set ? numberFormat.format(laptop.silent_open_hours) : '–'),
    el('td', { className: 'numeric' }, data.opening_hours_set ? numberFormat.format(laptop.hours_used_while_closed) : '–'),
    el('td', null, selfTestCell(laptop))));
  const silent = data.laptops.filter((laptop) => !laptop.revoked && laptop.silent_open_hours > 0).length;
  const failing = data.laptops.filter((laptop) => laptop.self_test && !laptop.self_test.passed).length;
  return el('section', { className: 'section', 'aria-labelledby': 'coverage-heading' },
    el('h2', { id: 'coverage-heading' }, 'Is every laptop reporting?'),
    el('p', null, hoursNote),
    el('p', { className: silent || failing ? 'summary summary--warning' : 'summary summary--ok', id: 'coverage-summary' },
      count(silent, 'laptop was', 'laptops were') + ' silent during opening hours; ' +
      count(failing, 'laptop fails', 'laptops fail') + ' its latest filter self-test.'),
    table({ id: 'coverage-table', caption: 'Each laptop over the period', headings, rows }));
}

// Categories some profile blocks but that have no list: the callout and a marker in lists.
function withoutListsOf(profiles) {
  const all = new Set();
  for (const ids of Object.values(profiles.categories_without_lists || {})) for (const id of ids) all.add(id);
  return all;
}

function categoryWords(id, nameOf, withoutLists) {
  const name = id ? nameOf(id).name : 'no category';
  return withoutLists.has(id) ? name + ' (' + blocksNothing + ')' : name;
}

function filteringSection(data, nameOf, withoutLists) {
  const byCategory = data.blocked_by_category;
  const callout = withoutLists.size
    ? el('div', { className: 'summary summary--warning', id: 'blocks-nothing' },
      el('p', null, count(withoutLists.size, 'blocked category has', 'blocked categories have') +
        ' no list imported, so ' + (withoutLists.size === 1 ? 'it blocks' : 'they block') + ' nothing:'),
      el('ul', null, [...withoutLists].sort().map((id) => el('li', null, nameOf(id).name + ' (' + id + ')'))),
      el('p', null, el('a', { href: '#/filtering' }, 'Import their lists on the Filtering page.')))
    : null;
  const links = byCategory.map((entry) => reachedHref('explorer', {
    from: data.from, to: data.to, type: 'dns_decision', action: 'blocked', category: entry.category }));
  const chart = byCategory.length
    ? chartFigure({
      id: 'blocked-by-category', title: 'Blocked attempts by category',
      labels: byCategory.map((entry) => categoryWords(entry.category, nameOf, withoutLists)),
      series: [{ label: 'Blocked attempts', values: byCategory.map((entry) => entry.count) }], links })
    : el('p', { className: 'muted' }, 'Nothing was blocked in this period.');
  return el('section', { className: 'section', 'aria-labelledby': 'filtering-heading' },
    el('h2', { id: 'filtering-heading' }, 'Is filtering working?'), callout, chart);
}

function sitesTable(data, id, caption, sites, action, nameOf, withoutLists) {
  if (!sites.length) return el('p', { className: 'muted', id }, 'None in this period.');
  const headings = action === 'blocked' ? ['Site', 'Category', 'Attempts'] : ['Site', 'Look-ups'];
  return table({ id, caption, headings, rows: sites.map((site) => el('tr', null,
    el('th', { scope: 'row', className: 'mono' }, site.site),
    action === 'blocked' ? el('td', null, categoryWords(site.category, nameOf, withoutLists)) : null,
    el('td', { className: 'numeric' }, explorerLink(data,
      { type: 'dns_decision', action, site: site.site }, numberFormat.format(site.count))))) });
}

function usageSection(data, nameOf, withoutLists) {
  const apps = data.top_apps.length
    ? table({ id: 'top-apps', caption: 'Apps most in use', headings: ['App', 'Time in front'],
      rows: data.top_apps.map((app) => el('tr', null, el('th', { scope: 'row' }, app.app),
        el('td', { className: 'numeric' }, explorerLink(data, { type: 'app_usage', app: app.app }, durationWords(app.seconds))))) })
    : el('p', { className: 'muted', id: 'top-apps' }, 'No app use recorded in this period.');
  return el('section', { className: 'section', 'aria-labelledby': 'usage-heading' },
    el('h2', { id: 'usage-heading' }, 'Sites and apps'),
    el('h3', null, 'Most blocked sites'),
    sitesTable(data, 'top-blocked', 'Most blocked sites', data.top_blocked_sites, 'blocked', nameOf, withoutLists),
    el('h3', null, 'Most looked-up allowed sites'),
    sitesTable(data, 'top-allowed', 'Most looked-up allowed sites', data.top_allowed_sites, 'allowed', nameOf, withoutLists),
    el('h3', null, 'Apps'), apps);
}

function activitySection(data) {
  const t = data.totals;
  const row = (words, value, filter) => el('tr', null, el('th', { scope: 'row' }, words),
    el('td', { className: 'numeric' }, filter ? explorerLink(data, filter, numberFormat.format(value)) : numberFormat.format(value)));
  return el('section', { className: 'section', 'aria-labelledby': 'activity-heading' },
    el('h2', { id: 'activity-heading' }, 'Sessions, notices and interventions'),
    table({ id: 'activity-table', caption: 'Activity in the period', headings: ['What', 'How many'], rows: [
      row('Computer sign-ins (sessions)', t.logins, { type: 'session' }),
      row('Members signed in', t.sign_ins, { type: 'member_sign_in' }),
      row('Monitoring notice acknowledged', t.notices_acknowledged, { type: 'notice_acknowledged' }),
      row('Monitoring notice shown but not acknowledged', t.notices_not_acknowledged, { type: 'notice_acknowledged' }),
      row('Searches', t.searches, { type: 'search_term' }),
      row('Pages visited', t.visits, { type: 'browser_visit' }),
      row('Overrides by a worker', t.overrides, { type: 'override' }),
      row('Review requests', t.review_requests, { type: 'review_request' }),
      row('Tampering found', t.tamper, { type: 'tamper' }),
      row('Safeguarding alerts and worry reports (for the safeguarding lead)', t.alerts, null),
    ] }),
    waitingRequests(data));
}

// The newest review requests no decision has answered (sent to managers only), each opening the
// filtering review; without them, only the way there.
function waitingRequests(data) {
  const waiting = data.review_requests_waiting || [];
  const link = el('a', { href: '#/review' }, 'Open the filtering review');
  if (!waiting.length) return el('p', null, link, ' for review requests waiting for a decision.');
  return el('div', { id: 'review-waiting' },
    el('h3', null, 'Review requests waiting for a decision'),
    table({ caption: 'Newest review requests waiting', headings: ['Site', 'Laptop', 'Member', 'Asked'],
      rows: waiting.map((request) => el('tr', null,
        el('th', { scope: 'row' }, el('a', { href: '#/review' }, request.site)),
        el('td', null, request.laptop), el('td', null, request.member || 'nobody signed in'),
        el('td', null, whenCell(request.at)))) }),
    el('p', null, link, ' to decide on them.'));
}

function trendSection(data) {
  const weeks = data.weeks;
  const labels = weeks.map((week) => 'Week of ' + week.monday);
  return el('section', { className: 'section', 'aria-labelledby': 'trend-heading' },
    el('h2', { id: 'trend-heading' }, 'Week by week'),
    chartFigure({
      id: 'weekly-trend', title: 'Blocked attempts and computer sign-ins per week', kind: 'line', labels,
      series: [
        { label: 'Blocked attempts', values: weeks.map((week) => week.blocked) },
        { label: 'Computer sign-ins', values: weeks.map((week) => week.logins) },
        { label: 'Members signed in', values: weeks.map((week) => week.sign_ins) },
      ] }));
}

// Subscribed lists whose last download failed: the club still filters with the last good copy,
// but it is growing old.
function failingListsCallout(subscriptions, nameOf) {
  const failing = subscriptions.subscriptions.filter((subscription) => subscription.failing);
  if (!failing.length) return null;
  return el('div', { className: 'summary summary--warning', id: 'failing-lists' },
    el('p', null, count(failing.length, 'subscribed list could', 'subscribed lists could') +
      ' not be downloaded, so the last good copy is still used:'),
    el('ul', null, failing.map((subscription) => el('li', null,
      nameOf(subscription.category).name + ' from ' + subscription.url + ': ' + subscription.failure))),
    el('p', null, el('a', { href: '#/filtering' }, 'Check the address on the Filtering page, or try again there.')));
}

function draw(body, data, profiles, categories, subscriptions, notices) {
  clear(body);
  const nameOf = categoryNamer(categories.catalogue);
  const withoutLists = withoutListsOf(profiles);
  body.append(notices.mail ? mailCallout(notices.mail) || '' : '',
    notices.managerAlerts ? managerAlertsSection(notices.managerAlerts) : '',
    failingListsCallout(subscriptions, nameOf) || '', coverageSection(data),
    filteringSection(data, nameOf, withoutLists),
    usageSection(data, nameOf, withoutLists), activitySection(data), trendSection(data));
}

export function renderDashboard(content, seq) {
  setHeading('Dashboard');
  const period = currentPeriod();
  const body = el('div', { id: 'dashboard-body' }, el('p', { className: 'muted' }, 'Loading the figures…'));
  content.append(periodForm(period), body);
  (async () => {
    content.setAttribute('aria-busy', 'true');
    try {
      // What the filtering set-up lacks is the manager's to mend: only they are told of it.
      const manager = hasAnyRole(['manager']);
      const [data, profiles, categories, subscriptions, managerAlerts, mail] = await Promise.all([
        api('GET', 'dashboard?' + new URLSearchParams(period).toString()),
        manager ? api('GET', 'filtering/profiles') : {}, api('GET', 'filtering/categories'),
        manager ? api('GET', 'filtering/subscriptions') : { subscriptions: [] },
        manager ? api('GET', 'manager-alerts') : null,
        hasAnyRole(['manager', 'dsl']) ? api('GET', 'mail-status') : null]);
      if (!isCurrent(seq)) return;
      draw(body, data, profiles, categories, subscriptions, { managerAlerts, mail });
    } catch (error) {
      if (!isCurrent(seq)) return;
      showNote(body, 'The dashboard could not be loaded.');
      handleError(error, seq);
    } finally {
      content.setAttribute('aria-busy', 'false');
    }
  })();
}
