// The DSL's alert queue (SPEC C8): safeguarding alerts and young people's worry reports, most
// serious first, then oldest first. An alert opens with its words, the laptop, member and account,
// and that person's activity on that laptop an hour either side; the DSL acknowledges it, assigns
// it to a DSL, or closes it as no concern or a false positive with a reason, and reopens a closed
// one, with a reason, when something new comes to light. Every look at an alert is written to the
// access log. Nothing here is ever put on the page as HTML.
import { api } from '../lib/api.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { fieldGroup, setBusy, setFieldError, textAreaField } from '../lib/forms.js';
import { clockAndDay, count, parseTime, whenCell } from '../lib/format.js';
import { clearMessage, setHeading, showMessage } from '../lib/frame.js';
import { handleError, isCurrent, pageLink, routeHref, routeParams } from '../lib/router.js';
import { session } from '../lib/session.js';

const STATE_WORDS = {
  new: 'New',
  acknowledged: 'Acknowledged',
  escalated: 'Escalated to an incident',
  closed_no_concern: 'Closed: no concern',
  closed_false_positive: 'Closed: false positive',
};

const FILTERS = [['', 'All'], ['new', 'New'], ['acknowledged', 'Acknowledged'], ['escalated', 'Escalated'],
  ['closed_no_concern', 'No concern'], ['closed_false_positive', 'False positive'], ['mine', 'Assigned to me']];

const kindWords = (alert) => (alert.kind === 'worry_report' ? 'Worry report' : 'Safeguarding alert');
const personWords = (alert) => alert.member || (alert.account ? 'account ' + alert.account : 'someone not signed in');

export function renderAlerts(content, seq) {
  const id = routeParams().get('id');
  if (id && /^[0-9]+$/.test(id)) {
    setHeading('Alert ' + id);
    loadDetail(content, id, seq);
    return;
  }
  setHeading('Alerts');
  const filter = routeParams().get('show') || '';
  const queueBody = el('div', { id: 'alert-queue' }, el('p', { className: 'muted' }, 'Loading the alerts…'));
  const rulesBody = el('div', { id: 'alert-rules' }, el('p', { className: 'muted' }, 'Loading…'));
  content.append(
    el('p', null, 'Safeguarding alerts from the laptops and worry reports from young people, the most serious ' +
      'first and then the oldest. Only DSLs can see them. Opening one is written in the access log.'),
    filterLinks(filter),
    el('section', { 'aria-labelledby': 'queue-title' }, el('h2', { id: 'queue-title' }, 'Queue'), queueBody),
    el('section', { 'aria-labelledby': 'rules-title' }, el('h2', { id: 'rules-title' }, 'False positives by phrase'),
      el('p', null, 'How often each phrase of the library was closed as a false positive. A phrase with many ' +
        'may need changing in the phrase library.'), rulesBody));
  loadQueue(queueBody, rulesBody, filter, seq);
}

function filterLinks(filter) {
  return el('nav', { className: 'period-links', 'aria-label': 'Which alerts' },
    el('ul', null, FILTERS.map(([value, words]) => el('li', null,
      el('a', { href: routeHref('alerts', { show: value }), 'aria-current': value === filter ? 'page' : undefined }, words)))));
}

function queuePath(filter) {
  if (filter === 'mine') return 'alerts?mine=1';
  return STATE_WORDS[filter] ? 'alerts?state=' + filter : 'alerts';
}

async function loadQueue(queueBody, rulesBody, filter, seq) {
  try {
    const [queue, rules] = await Promise.all([api('GET', queuePath(filter)), api('GET', 'alerts/false-positives')]);
    if (!isCurrent(seq)) return;
    drawQueue(queueBody, queue);
    drawRules(rulesBody, rules.rules || []);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(queueBody, 'The alerts could not be loaded. Reload this page to try again.');
    clear(rulesBody);
    handleError(error, seq);
  }
}

function drawQueue(body, queue) {
  clear(body);
  const alerts = queue.alerts || [];
  if (!alerts.length) {
    body.appendChild(el('p', { className: 'empty' }, 'There are no alerts here.'));
    return;
  }
  body.appendChild(el('p', null, count(alerts.length, 'alert', 'alerts') + (queue.more ? ' shown; there are more.' : '.')));
  body.appendChild(table({
    id: 'alerts-table', caption: 'Alerts, most serious first, then oldest first',
    headings: ['Severity', 'What', 'Who and where', 'When', 'State'],
    rows: alerts.map((alert) => el('tr', null,
      el('td', { 'data-label': 'Severity' }, severityBadge(alert.severity)),
      el('th', { scope: 'row', 'data-label': 'What' },
        el('a', { href: routeHref('alerts', { id: alert.id }) }, kindWords(alert)),
        alert.category ? el('span', { className: 'cell-detail' }, alert.category) : null),
      el('td', { 'data-label': 'Who and where' }, personWords(alert),
        el('span', { className: 'cell-detail' }, 'on ' + (alert.laptop || alert.device_id))),
      el('td', { 'data-label': 'When' }, whenCell(alert.time)),
      el('td', { 'data-label': 'State' }, STATE_WORDS[alert.state] || alert.state,
        alert.assigned_to ? el('span', { className: 'cell-detail' }, 'assigned to ' + alert.assigned_to) : null))),
  }));
}

function severityBadge(severity) {
  const serious = severity >= 4;
  return el('span', { className: 'badge ' + (serious ? 'badge--bad' : 'badge--neutral') },
    'Level ' + severity + (severity >= 5 ? ': immediate attention' : ''));
}

function drawRules(body, rules) {
  clear(body);
  const counted = rules.filter((rule) => rule.false_positives > 0);
  if (!counted.length) {
    body.appendChild(el('p', { className: 'empty' }, 'No alert has been closed as a false positive yet.'));
    return;
  }
  body.appendChild(table({
    id: 'false-positives-table', caption: 'False positives per phrase, most first',
    headings: ['Phrase', 'Category', 'False positives', 'Alerts raised'],
    rows: counted.map((rule) => el('tr', null,
      el('th', { scope: 'row', 'data-label': 'Phrase' }, rule.phrase,
        rule.rule ? el('span', { className: 'cell-detail' }, rule.rule) : null),
      el('td', { 'data-label': 'Category' }, rule.category),
      el('td', { 'data-label': 'False positives' }, String(rule.false_positives)),
      el('td', { 'data-label': 'Alerts raised' }, String(rule.alerts)))),
  }));
}

async function loadDetail(content, id, seq) {
  showNote(content, 'Loading the alert…');
  try {
    const alert = await api('GET', 'alerts/' + id);
    if (!isCurrent(seq)) return;
    drawDetail(content, alert, seq);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(content, 'The alert could not be loaded.');
    handleError(error, seq);
  }
}

function drawDetail(content, alert, seq) {
  clear(content);
  content.append(
    el('p', null, el('a', { href: routeHref('alerts') }, 'Back to the queue')),
    el('section', { 'aria-labelledby': 'alert-title' },
      el('h2', { id: 'alert-title' }, kindWords(alert), ' ', severityBadge(alert.severity)),
      facts(alert), words(alert)),
    actions(content, alert, seq),
    el('section', { 'aria-labelledby': 'context-title' },
      el('h2', { id: 'context-title' }, 'What they did an hour either side'),
      el('p', null, 'Activity of ' + personWords(alert) + ' on ' + (alert.laptop || alert.device_id) + ' from ' +
        clockAndDay(parseTime(alert.context_from)) + ' to ' + clockAndDay(parseTime(alert.context_to)) +
        '. Alerts and worry reports are not in this list.'),
      contextTable(alert)),
    el('section', { 'aria-labelledby': 'history-title' },
      el('h2', { id: 'history-title' }, 'History'), historyTable(alert.history || [])));
}

function facts(alert) {
  return el('dl', { className: 'details-list' },
    el('dt', null, 'State'), el('dd', null, STATE_WORDS[alert.state] || alert.state,
      alert.incident_id ? [' (', pageLink('incidents', { id: alert.incident_id }, 'incident ' + alert.incident_id), ')'] : null),
    el('dt', null, 'Assigned to'), el('dd', null, alert.assigned_to || 'Nobody'),
    el('dt', null, 'When'), el('dd', null, whenCell(alert.time)),
    el('dt', null, 'Laptop'), el('dd', null, alert.laptop || alert.device_id),
    el('dt', null, 'Member'), el('dd', null, alert.member || 'Not signed in'),
    el('dt', null, 'Laptop account'), el('dd', null, alert.account || 'Not known'));
}

// What the event said: the matched words and the rule for an alert, the message for a worry report.
function words(alert) {
  const event = alert.event;
  if (!event || typeof event !== 'object') {
    return el('p', { className: 'muted' }, 'The words of this alert are no longer kept: they were deleted at the end of ' +
      'their retention period. Its history is kept.');
  }
  const rows = alert.kind === 'worry_report'
    ? [['What it is about', event.about], ['Their message', event.message],
        ['How many', event.count > 1 ? event.count + ' worry reports from this laptop account came close together, ' +
          'after the ten a laptop sends at once. This is the last of them; only its words are kept.' : null]]
    : [['Where it was seen', event.source], ['What was written or shown', event.context],
        ['Words matched', event.matched], ['Phrase', event.phrase], ['Rule', event.rule], ['Why it matched', event.why],
        ['Help-seeking words', event.help_seeking ? 'Yes: the severity was lowered' : null]];
  return el('dl', { className: 'details-list alert-words' }, rows.filter(([, value]) => value)
    .map(([label, value]) => [el('dt', null, label), el('dd', null, String(value))]));
}

function activityWords(event) {
  return event.search_terms || event.title || event.url || event.site || event.app ||
    (event.payload && typeof event.payload === 'object' && event.payload.message) || event.action || '';
}

function contextTable(alert) {
  const events = alert.context || [];
  if (!events.length) return el('p', { className: 'empty' }, 'Nothing else was recorded in that time.');
  return [
    alert.context_cut ? el('p', { className: 'muted' }, 'Only the first ' + events.length + ' records are shown.') : null,
    table({
      id: 'context-table', caption: 'Activity in the two hours around the alert, oldest first',
      headings: ['When', 'What', 'Detail'],
      rows: events.map((event) => el('tr', null,
        el('td', { 'data-label': 'When' }, whenCell(event.time)),
        el('td', { 'data-label': 'What' }, event.type.replace(/_/g, ' ')),
        el('td', { 'data-label': 'Detail' }, activityWords(event)))),
    })];
}

function historyTable(history) {
  if (!history.length) return el('p', { className: 'empty' }, 'Nothing has been done about this alert yet.');
  return table({
    id: 'history-table', caption: 'Changes to this alert, oldest first',
    headings: ['When', 'Who', 'Change', 'Note'],
    rows: history.map((entry) => el('tr', null,
      el('td', { 'data-label': 'When' }, whenCell(entry.at)),
      el('td', { 'data-label': 'Who' }, entry.by),
      el('td', { 'data-label': 'Change' }, entry.from === entry.to ? 'Assigned'
        : (STATE_WORDS[entry.from] || entry.from) + ' → ' + (STATE_WORDS[entry.to] || entry.to)),
      el('td', { 'data-label': 'Note' }, entry.note))),
  });
}

// Posts a change and draws the alert again with a message; a refusal's words are shown.
async function change(content, alert, seq, path, body, done) {
  clearMessage();
  try {
    await api('POST', 'alerts/' + alert.id + '/' + path, body);
    if (!isCurrent(seq)) return true;
    await loadDetail(content, alert.id, seq);
    showMessage(done, 'success');
    return true;
  } catch (error) {
    if (error.status === 400 || error.status === 409) {
      showMessage(error.message, 'error');
      return false;
    }
    handleError(error, seq);
    return false;
  }
}

function actions(content, alert, seq) {
  const open = alert.state === 'new' || alert.state === 'acknowledged';
  const section = el('section', { 'aria-labelledby': 'actions-title' }, el('h2', { id: 'actions-title' }, 'What to do'));
  if (alert.state.startsWith('closed_')) {
    section.appendChild(reopenForm(content, alert, seq));
    return section;
  }
  if (!open && alert.state !== 'escalated') return null;
  if (alert.state === 'new') {
    const button = el('button', { type: 'button', className: 'button' }, 'Acknowledge');
    button.addEventListener('click', async () => {
      setBusy(button, true, 'Saving…');
      if (!await change(content, alert, seq, 'acknowledge', {}, 'The alert is acknowledged.')) setBusy(button, false);
    });
    section.appendChild(el('div', { className: 'button-row' }, button));
  }
  section.appendChild(assignForm(content, alert, seq));
  if (open) {
    section.appendChild(el('p', null, 'To escalate it, record an incident on the ',
      pageLink('incidents', {}, 'Incidents page'), ' with alert number ' + alert.id + '.'));
    section.appendChild(closeForm(content, alert, seq));
  }
  return section;
}

function assignForm(content, alert, seq) {
  const input = el('input', { id: 'assign-to', name: 'assign-to', className: 'input', type: 'text',
    autocapitalize: 'none', spellcheck: 'false' });
  input.value = alert.assigned_to || session.user.username;
  const submit = el('button', { type: 'submit', className: 'button button--secondary' }, 'Assign');
  const form = el('form', { className: 'form', novalidate: true, 'aria-label': 'Assign the alert' },
    fieldGroup('assign-to', 'Assign to (a DSL\'s user name; empty for nobody)', null, input),
    el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(input, '');
    setBusy(submit, true, 'Saving…');
    const to = input.value.trim();
    const saved = await change(content, alert, seq, 'assign', { to }, to ? 'The alert is assigned to ' + to + '.' : 'The alert is assigned to nobody.');
    if (!saved) {
      setBusy(submit, false);
      setFieldError(input, 'Choose a DSL whose account is in use.');
    }
  });
  return form;
}

// Something new has come to light about a closed alert: it goes back to acknowledged.
function reopenForm(content, alert, seq) {
  return reasonForm(content, alert, seq, {
    action: 'reopen', title: 'Reopen the alert', question: 'Why are you reopening it?', done: 'reopened',
    busy: 'Reopening…', saved: 'The alert is open again.', secondary: true, body: (reason) => ({ reason }),
  });
}

function closeForm(content, alert, seq) {
  const as = el('select', { id: 'close-as', name: 'close-as', className: 'input' },
    el('option', { value: 'no_concern' }, 'No concern'),
    el('option', { value: 'false_positive' }, 'False positive (the phrase matched something harmless)'));
  return reasonForm(content, alert, seq, {
    action: 'close', title: 'Close the alert', question: 'Why are you closing it?', done: 'closed',
    busy: 'Closing…', saved: 'The alert is closed.', fields: [fieldGroup('close-as', 'Close as', null, as)],
    body: (reason) => ({ as: as.value, reason }),
  });
}

// A change that needs a reason, which the alert's history keeps: refused here while it is blank.
function reasonForm(content, alert, seq, { action, title, question, done, busy, saved, secondary = false,
  fields = [], body }) {
  const reason = textAreaField({ id: action + '-reason', label: question,
    hint: 'Required. Kept in the alert\'s history with your name and the time.' });
  const submit = el('button', { type: 'submit', className: secondary ? 'button button--secondary' : 'button' }, title);
  const form = el('form', { className: 'form', novalidate: true, 'aria-label': title },
    ...fields, reason.group, el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(reason.input, '');
    const why = reason.input.value.trim();
    if (!why) {
      setFieldError(reason.input, 'Say why the alert is ' + done + '.');
      showMessage('The alert was not ' + done + ': a reason is required.', 'error');
      reason.input.focus();
      return;
    }
    setBusy(submit, true, busy);
    if (!await change(content, alert, seq, action, body(why), saved)) setBusy(submit, false);
  });
  return form;
}
