// Subscribed lists, shown on the Filtering page: lists the collector downloads by itself on a
// schedule, whether the last download worked, and the form that adds one.
import { api } from '../lib/api.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { confirmDialog, field, fieldGroup, reasonField, SAY_WHY, setBusy, setFieldError } from '../lib/forms.js';
import { whenCell } from '../lib/format.js';
import { showMessage } from '../lib/frame.js';
import { handleError, isCurrent, redraw } from '../lib/router.js';

const FORMATS = [['plain', 'One name per line'], ['hosts', 'Hosts file'], ['adblock', 'AdBlock list'], ['ut1', 'UT1 domains file']];
const SCHEDULES = [['24', 'Every day'], ['6', 'Every 6 hours'], ['1', 'Every hour'], ['168', 'Every week']];

export function subscriptionsSection(seq) {
  const section = el('section', { className: 'filtering-section', 'aria-labelledby': 'subscriptions-title' },
    el('h2', { id: 'subscriptions-title' }, 'Subscribed lists'),
    el('p', null, 'clubsafe can download a list from a web address by itself and keep it up to date. ' +
      'If a download fails, the last good copy stays in force and the failure is shown here.'),
    el('div', { id: 'subscriptions-body' }, el('p', { className: 'muted' }, 'Loading…')),
    subscribeForm(seq));
  loadSubscriptions(section.querySelector('#subscriptions-body'), seq);
  return section;
}

async function loadSubscriptions(body, seq) {
  try {
    const data = await api('GET', 'filtering/subscriptions');
    if (!isCurrent(seq)) return;
    drawSubscriptions(body, data.subscriptions || [], seq);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(body, 'The subscribed lists could not be loaded. Reload this page to try again.');
    handleError(error, seq);
  }
}

function statusCell(subscription) {
  if (subscription.failing) {
    return [el('strong', null, 'Failing'), el('span', { className: 'cell-detail' }, subscription.failure),
      el('span', { className: 'cell-detail' }, 'since '), whenCell(subscription.failing_since)];
  }
  if (!subscription.checked_at) return el('span', { className: 'muted' }, 'Not downloaded yet: within a few minutes.');
  return [el('span', null, 'Up to date, checked '), whenCell(subscription.checked_at)];
}

async function post(path, payload, done, seq) {
  try {
    const data = await api('POST', path, payload);
    if (!isCurrent(seq)) return;
    redraw(typeof done === 'function' ? done(data) : done, data && data.failing ? 'error' : 'success');
  } catch (error) {
    handleError(error, seq);
  }
}

function subscriptionRow(subscription, seq) {
  const refresh = el('button', { type: 'button', className: 'button button--secondary button--small' }, 'Download now');
  refresh.addEventListener('click', () => {
    setBusy(refresh, true, 'Downloading…');
    post('filtering/subscriptions/' + encodeURIComponent(subscription.id) + '/refresh', {},
      (data) => (data.failing ? 'The download failed, so the last good copy stays: ' + data.failure
        : 'The list at ' + subscription.url + ' is up to date.'), seq)
      .finally(() => setBusy(refresh, false));
  });
  const stop = el('button', { type: 'button', className: 'button button--danger-quiet button--small' }, 'Stop');
  stop.addEventListener('click', async () => {
    const reason = await confirmDialog({
      title: 'Stop downloading this list?', confirmText: 'Stop', askReason: true,
      body: ['The list already imported stays until you delete it under Category lists.'],
    });
    if (reason) post('filtering/subscriptions/' + encodeURIComponent(subscription.id) + '/delete', { reason }, 'The subscription has ended.', seq);
  });
  return el('tr', null,
    el('th', { scope: 'row', 'data-label': 'Address' }, el('span', { className: 'domain' }, subscription.url)),
    el('td', { 'data-label': 'Category' }, subscription.category),
    el('td', { 'data-label': 'Refresh' }, 'Every ' + subscription.refresh_hours + ' h'),
    el('td', { 'data-label': 'Last download' }, statusCell(subscription)),
    el('td', { 'data-label': 'Action' }, refresh, ' ', stop));
}

function drawSubscriptions(body, subscriptions, seq) {
  clear(body);
  if (!subscriptions.length) {
    body.appendChild(el('p', { className: 'empty' }, 'No list is subscribed to yet. Add one below.'));
    return;
  }
  const failing = subscriptions.filter((s) => s.failing).length;
  if (failing) {
    body.appendChild(el('p', { className: 'summary summary--warning' },
      failing + (failing === 1 ? ' list is' : ' lists are') + ' failing to download. The last good copy stays in force; ' +
      'check the address, or ask whoever publishes the list.'));
  }
  body.appendChild(table({
    id: 'subscriptions-table', caption: 'Subscribed lists',
    headings: ['Address', 'Category', 'Refresh', 'Last download', 'Action'],
    rows: subscriptions.map((subscription) => subscriptionRow(subscription, seq)),
  }));
}

function select(id, options) {
  return el('select', { id, name: id, className: 'input' }, options.map(([value, words]) => el('option', { value }, words)));
}

function subscribeForm(seq) {
  const url = field({ id: 'subscription-url', label: 'Address of the list', required: true, maxLength: 2000,
    hint: 'Starting with https://, such as https://example.org/blocklist.txt.' });
  const category = field({ id: 'subscription-category', label: 'Category', required: true, maxLength: 40,
    hint: 'The category profiles block, such as gambling. Lower-case letters, digits, - and _.' });
  const format = select('subscription-format', FORMATS);
  const schedule = select('subscription-schedule', SCHEDULES);
  const reason = reasonField('subscription-reason');
  const submit = el('button', { type: 'submit', className: 'button' }, 'Subscribe');
  const form = el('form', { className: 'form', novalidate: true, 'aria-labelledby': 'subscribe-title' },
    url.group, fieldGroup(format.id, 'Format', null, format), category.group,
    fieldGroup(schedule.id, 'How often to download it', null, schedule), reason.group,
    el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of [url, category, reason]) setFieldError(f.input, '');
    const payload = {
      url: url.input.value.trim(), format: format.value, category: category.input.value.trim(),
      refresh_hours: Number(schedule.value), reason: reason.input.value.trim(),
    };
    const problems = [];
    if (!/^https?:\/\/\S+$/.test(payload.url)) problems.push([url, 'Give the full address, starting with https://.']);
    if (!/^[a-z0-9_-]{1,40}$/.test(payload.category)) problems.push([category, 'Give a category such as gambling: lower-case letters, digits, - and _.']);
    if (!payload.reason) problems.push([reason, SAY_WHY]);
    if (problems.length) {
      for (const [f, text] of problems) setFieldError(f.input, text);
      showMessage('Nothing was subscribed: check the highlighted fields.', 'error');
      problems[0][0].input.focus();
      return;
    }
    setBusy(submit, true, 'Subscribing…');
    try {
      await api('POST', 'filtering/subscriptions', payload);
      if (!isCurrent(seq)) return;
      redraw('Subscribed. The list is downloaded within a few minutes; its state shows here.', 'success');
    } catch (error) {
      setBusy(submit, false);
      if (error.status === 400 || error.status === 409) {
        showMessage('Nothing was subscribed: ' + error.message, 'error');
        url.input.focus();
        return;
      }
      handleError(error, seq);
    }
  });
  return el('div', { className: 'card filtering-editor', id: 'subscribe' },
    el('h3', { id: 'subscribe-title' }, 'Subscribe to a list'), form);
}
