// The incident log (SPEC C9), for DSLs: incidents recorded as the club's online-safety policy asks
// (section 8, appendices 1 and 2). An incident has a chronology that is only ever added to (a
// correction is a new entry), appendix 2's actions as a checklist, the record of every decision
// to share information or not, and its outcome and lessons learnt. While it is open, its records
// are kept from deletion (legal hold). The page prints as the incident's summary; the PDF is the
// same summary for a referral. Nothing here is ever put on the page as HTML.
import { api } from '../lib/api.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { field, fieldGroup, setBusy, setFieldError, textAreaField } from '../lib/forms.js';
import { count, whenCell } from '../lib/format.js';
import { clearMessage, setHeading, showMessage } from '../lib/frame.js';
import { handleError, isCurrent, routeHref, routeParams } from '../lib/router.js';

const names = (list) => (list && list.length ? list.join(', ') : 'None recorded');

export function renderIncidents(content, seq) {
  const id = routeParams().get('id');
  if (id && /^[0-9]+$/.test(id)) {
    setHeading('Incident ' + id);
    loadDetail(content, id, seq);
    return;
  }
  setHeading('Incidents');
  showNote(content, 'Loading the incident log…');
  loadList(content, seq);
}

async function loadList(content, seq) {
  try {
    const log = await api('GET', 'incidents');
    if (!isCurrent(seq)) return;
    clear(content);
    content.append(
      el('p', null, 'Every online-safety incident, as the policy asks. Only DSLs can see them; opening one is ' +
        'written in the access log. An open incident keeps its records and those of the young people ' +
        'involved from being deleted.'),
      listSection(log.incidents || []),
      openForm(log.categories || [], seq));
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(content, 'The incident log could not be loaded. Reload this page to try again.');
    handleError(error, seq);
  }
}

function listSection(incidents) {
  const section = el('section', { 'aria-labelledby': 'incidents-title' }, el('h2', { id: 'incidents-title' }, 'Incident log'));
  if (!incidents.length) {
    section.appendChild(el('p', { className: 'empty' }, 'No incident has been recorded.'));
    return section;
  }
  section.appendChild(el('p', null, count(incidents.length, 'incident', 'incidents') + ', newest first.'));
  section.appendChild(table({
    id: 'incidents-table', caption: 'Incidents, newest first',
    headings: ['Incident', 'Category', 'Opened', 'State'],
    rows: incidents.map((incident) => el('tr', null,
      el('th', { scope: 'row', 'data-label': 'Incident' },
        el('a', { href: routeHref('incidents', { id: incident.id }) }, incident.id + ': ' + incident.title)),
      el('td', { 'data-label': 'Category' }, incident.category_label),
      el('td', { 'data-label': 'Opened' }, whenCell(incident.opened_at),
        el('span', { className: 'cell-detail' }, 'by ' + incident.opened_by)),
      el('td', { 'data-label': 'State' }, stateWords(incident)))),
  }));
  return section;
}

function stateWords(incident) {
  if (incident.closed_at) return 'Closed';
  return incident.held ? 'Open (records kept)' : 'Open';
}

// Comma-separated names typed in a field, as a list.
const listOf = (text) => text.split(',').map((name) => name.trim()).filter(Boolean);

function openForm(categories, seq) {
  const category = el('select', { id: 'incident-category', name: 'incident-category', className: 'input' },
    categories.map((term) => el('option', { value: term.name }, term.label)));
  const title = field({ id: 'incident-title', label: 'Short title', required: true, maxLength: 200 });
  const members = field({ id: 'incident-members', label: 'Young people involved',
    hint: 'Their names as the laptops know them, separated by commas.' });
  const staff = field({ id: 'incident-staff', label: 'Staff involved', hint: 'Separated by commas.' });
  const alerts = field({ id: 'incident-alerts', label: 'Alert numbers', value: routeParams().get('alert') || '',
    hint: 'Optional: the alerts this incident comes from, separated by commas. They are marked as escalated.' });
  const review = field({ id: 'incident-review', label: 'Review date', type: 'date' });
  const happened = textAreaField({ id: 'incident-happened', label: 'What happened',
    hint: 'The first entry of the chronology. Do not describe or copy images.' });
  const submit = el('button', { type: 'submit', className: 'button' }, 'Open the incident');
  const form = el('form', { className: 'form no-print', novalidate: true, 'aria-labelledby': 'open-title' },
    el('h2', { id: 'open-title' }, 'Record a new incident'),
    fieldGroup('incident-category', 'Category', null, category),
    title.group, members.group, staff.group, alerts.group, review.group, happened.group,
    el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(title.input, '');
    if (!title.input.value.trim()) {
      setFieldError(title.input, 'Give the incident a short title.');
      title.input.focus();
      return;
    }
    const alertIds = alertNumbers(alerts.input);
    if (!alertIds) return;
    const body = { category: category.value, title: title.input.value.trim(), members: listOf(members.input.value),
      staff: listOf(staff.input.value), alerts: alertIds, what_happened: happened.input.value };
    if (review.input.value) body.review_date = review.input.value;
    setBusy(submit, true, 'Opening…');
    try {
      const opened = await api('POST', 'incidents', body);
      if (!isCurrent(seq)) return;
      window.location.hash = routeHref('incidents', { id: opened.id });
      showMessage('Incident ' + opened.id + ' is open.', 'success');
    } catch (error) {
      setBusy(submit, false);
      if (error.status === 400 || error.status === 409) showMessage(error.message, 'error');
      else handleError(error, seq);
    }
  });
  return form;
}

async function loadDetail(content, id, seq) {
  showNote(content, 'Loading the incident…');
  try {
    const [incident, log] = await Promise.all([api('GET', 'incidents/' + id), api('GET', 'incidents')]);
    if (!isCurrent(seq)) return;
    drawDetail(content, incident, log.actions || [], seq);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(content, 'The incident could not be loaded.');
    handleError(error, seq);
  }
}

function drawDetail(content, incident, actions, seq) {
  clear(content);
  const open = !incident.closed_at;
  const redraw = () => loadDetail(content, incident.id, seq);
  content.append(
    el('p', { className: 'no-print' }, el('a', { href: routeHref('incidents') }, 'Back to the incident log')),
    el('div', { className: 'button-row no-print' },
      el('a', { className: 'button button--secondary', href: '/api/console/incidents/' + incident.id + '/summary.pdf',
        download: '' }, 'Download the summary (PDF)'),
      printButton()),
    el('section', { 'aria-labelledby': 'incident-title' },
      el('h2', { id: 'incident-title' }, incident.title), facts(incident),
      open ? involvedForm(incident, redraw, seq) : null),
    chronologySection(incident, open, redraw, seq),
    checklistSection(incident, actions, open, redraw, seq),
    sharingSection(incident, open, redraw, seq),
    outcomeSection(incident, open, redraw, seq));
}

function printButton() {
  const button = el('button', { type: 'button', className: 'button button--secondary' }, 'Print');
  button.addEventListener('click', () => window.print());
  return button;
}

function facts(incident) {
  const involved = incident.involved || {};
  const hold = incident.held ? 'On: its records and those of the young people involved are kept'
    : 'Released' + (incident.hold_release_reason ? ': ' + incident.hold_release_reason : '');
  return el('dl', { className: 'details-list' },
    el('dt', null, 'Category'), el('dd', null, incident.category_label),
    el('dt', null, 'Opened'), el('dd', null, whenCell(incident.opened_at), ' by ' + incident.opened_by),
    el('dt', null, 'State'), el('dd', null, incident.closed_at ? ['Closed ', whenCell(incident.closed_at),
      ' by ' + incident.closed_by] : 'Open'),
    el('dt', null, 'Review date'), el('dd', null, incident.review_date || 'None set'),
    el('dt', null, 'Legal hold'), el('dd', null, hold),
    el('dt', null, 'Young people'), el('dd', null, names(involved.members)),
    el('dt', null, 'Staff'), el('dd', null, names(involved.staff)),
    el('dt', null, 'Laptops'), el('dd', null, names(involved.laptops)),
    el('dt', null, 'Alerts'), el('dd', null, (involved.alerts || []).length
      ? (involved.alerts || []).map((id, at) => [at ? ', ' : '', el('a', { href: routeHref('alerts', { id }) }, String(id))])
      : 'None'));
}

// Alert numbers typed in a field, or null (and the field says why) when one is not a number.
function alertNumbers(input) {
  const numbers = listOf(input.value).map(Number);
  if (numbers.every((id) => Number.isInteger(id) && id >= 1)) return numbers;
  setFieldError(input, 'Alert numbers are whole numbers, separated by commas.');
  input.focus();
  return null;
}

function involvedForm(incident, redraw, seq) {
  const members = field({ id: 'add-members', label: 'More young people', hint: 'Separated by commas.' });
  const staff = field({ id: 'add-staff', label: 'More staff', hint: 'Separated by commas.' });
  const alerts = field({ id: 'add-alerts', label: 'More alert numbers', hint: 'They are marked as escalated.' });
  const submit = el('button', { type: 'submit', className: 'button button--secondary' }, 'Add to the incident');
  const form = el('form', { className: 'form no-print', novalidate: true, 'aria-label': 'Add people or alerts' },
    members.group, staff.group, alerts.group, el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(alerts.input, '');
    const alertIds = alertNumbers(alerts.input);
    if (!alertIds) return;
    const body = { members: listOf(members.input.value), staff: listOf(staff.input.value), alerts: alertIds };
    setBusy(submit, true, 'Saving…');
    if (!await post('incidents/' + incident.id + '/involved', body, 'Added to the incident.', redraw, seq)) setBusy(submit, false);
  });
  return el('details', { className: 'no-print' }, el('summary', null, 'Add people or alerts'), form);
}

// Posts a change; on success draws the incident again and says so, on refusal shows why.
async function post(path, body, done, redraw, seq) {
  // The last change's message must not stand for this one while it is saved.
  clearMessage();
  try {
    await api('POST', path, body);
    if (!isCurrent(seq)) return true;
    await redraw();
    showMessage(done, 'success');
    return true;
  } catch (error) {
    if (error.status === 400 || error.status === 409) showMessage(error.message, 'error');
    else handleError(error, seq);
    return false;
  }
}

function chronologySection(incident, open, redraw, seq) {
  const entries = incident.chronology || [];
  const section = el('section', { 'aria-labelledby': 'chronology-title' },
    el('h2', { id: 'chronology-title' }, 'Chronology'),
    el('p', { className: 'no-print' }, 'Entries are never changed. To correct one, add an entry that names it.'),
    table({
      id: 'chronology-table', caption: 'The chronology, oldest first',
      headings: ['Entry', 'When', 'Who', 'What'],
      rows: entries.map((entry) => el('tr', null,
        el('td', { 'data-label': 'Entry' }, String(entry.id)),
        el('td', { 'data-label': 'When' }, whenCell(entry.time)),
        el('td', { 'data-label': 'Who' }, entry.author, entry.automatic ? el('span', { className: 'cell-detail' }, 'recorded by clubsafe') : null),
        el('td', { 'data-label': 'What' }, entry.corrects ? 'Correction of entry ' + entry.corrects + ': ' : '', entry.text))),
    }));
  if (open) section.appendChild(entryForm(incident, redraw, seq));
  return section;
}

function entryForm(incident, redraw, seq) {
  const text = textAreaField({ id: 'entry-text', label: 'Add to the chronology', hint: 'What happened or was done, and by whom.' });
  const corrects = field({ id: 'entry-corrects', label: 'Corrects entry number', hint: 'Only for a correction.' });
  const submit = el('button', { type: 'submit', className: 'button button--secondary' }, 'Add the entry');
  const form = el('form', { className: 'form no-print', novalidate: true, 'aria-label': 'Add to the chronology' },
    text.group, corrects.group, el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!text.input.value.trim()) {
      setFieldError(text.input, 'Write what happened or was done.');
      text.input.focus();
      return;
    }
    const body = { text: text.input.value };
    if (corrects.input.value.trim()) body.corrects = Number(corrects.input.value.trim());
    setBusy(submit, true, 'Saving…');
    if (!await post('incidents/' + incident.id + '/entries', body, 'The entry is added.', redraw, seq)) setBusy(submit, false);
  });
  return form;
}

function checklistSection(incident, actions, open, redraw, seq) {
  const ticks = incident.ticks || [];
  const section = el('section', { 'aria-labelledby': 'checklist-title' },
    el('h2', { id: 'checklist-title' }, 'Actions (appendix 2)'),
    table({
      id: 'checklist-table', caption: 'The policy\'s actions and who did them when',
      headings: ['Action', 'Done', 'Reference'],
      rows: actions.map((action) => {
        const done = ticks.filter((tick) => tick.action === action.name);
        return el('tr', null,
          el('th', { scope: 'row', 'data-label': 'Action' }, action.label),
          el('td', { 'data-label': 'Done' }, done.length ? done.map((tick, at) => [at ? '; ' : '', whenCell(tick.ticked_at),
            ' by ' + tick.ticked_by, tick.note ? ' (' + tick.note + ')' : '']) : 'Not recorded'),
          el('td', { 'data-label': 'Reference' }, done.map((tick) => tick.reference).filter(Boolean).join('; ')));
      }),
    }));
  if (open) section.appendChild(tickForm(incident, actions, redraw, seq));
  return section;
}

function tickForm(incident, actions, redraw, seq) {
  const action = el('select', { id: 'tick-action', name: 'tick-action', className: 'input' },
    actions.map((term) => el('option', { value: term.name }, term.label)));
  const reference = field({ id: 'tick-reference', label: 'Reference number', hint: 'Required for a referral: the number the agency gave.' });
  const note = field({ id: 'tick-note', label: 'Note' });
  const submit = el('button', { type: 'submit', className: 'button button--secondary' }, 'Record the action');
  const form = el('form', { className: 'form no-print', novalidate: true, 'aria-label': 'Record an action' },
    fieldGroup('tick-action', 'Action done', null, action), reference.group, note.group,
    el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setBusy(submit, true, 'Saving…');
    const body = { action: action.value, reference: reference.input.value.trim(), note: note.input.value.trim() };
    if (!await post('incidents/' + incident.id + '/actions', body, 'The action is recorded.', redraw, seq)) setBusy(submit, false);
  });
  return form;
}

function sharingSection(incident, open, redraw, seq) {
  const decisions = incident.sharing || [];
  const section = el('section', { 'aria-labelledby': 'sharing-title' },
    el('h2', { id: 'sharing-title' }, 'Information sharing'),
    el('p', null, 'Every decision to share information, or not to, with the reason (appendix 1, rule 7).'),
    decisions.length ? table({
      id: 'sharing-table', caption: 'Decisions about sharing information, oldest first',
      headings: ['Decided', 'Decision', 'What', 'With whom', 'Purpose', 'Lawful basis or consent', 'Why'],
      rows: decisions.map((decision) => el('tr', null,
        el('td', { 'data-label': 'Decided' }, whenCell(decision.decided_at), el('span', { className: 'cell-detail' }, 'by ' + decision.decided_by)),
        el('td', { 'data-label': 'Decision' }, decision.shared ? 'Shared' : 'Not shared'),
        el('td', { 'data-label': 'What' }, decision.what),
        el('td', { 'data-label': 'With whom' }, decision.with_whom),
        el('td', { 'data-label': 'Purpose' }, decision.purpose),
        el('td', { 'data-label': 'Lawful basis or consent' }, decision.lawful_basis),
        el('td', { 'data-label': 'Why' }, decision.reason))),
    }) : el('p', { className: 'empty' }, 'No decision has been recorded.'));
  if (open) section.appendChild(sharingForm(incident, redraw, seq));
  return section;
}

function sharingForm(incident, redraw, seq) {
  const decision = el('select', { id: 'sharing-decision', name: 'sharing-decision', className: 'input' },
    el('option', { value: 'yes' }, 'Shared'), el('option', { value: 'no' }, 'Not shared'));
  const fields = {
    what: field({ id: 'sharing-what', label: 'What information' }),
    with_whom: field({ id: 'sharing-with', label: 'With whom (person or agency)' }),
    purpose: field({ id: 'sharing-purpose', label: 'Purpose' }),
    lawful_basis: field({ id: 'sharing-basis', label: 'Lawful basis or consent', hint: 'Required when shared.' }),
    reason: textAreaField({ id: 'sharing-reason', label: 'Why this decision' }),
  };
  const submit = el('button', { type: 'submit', className: 'button button--secondary' }, 'Record the decision');
  const form = el('form', { className: 'form no-print', novalidate: true, 'aria-label': 'Record a decision about sharing' },
    fieldGroup('sharing-decision', 'Decision', null, decision), Object.values(fields).map((f) => f.group),
    el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { shared: decision.value === 'yes' };
    for (const [key, f] of Object.entries(fields)) body[key] = f.input.value.trim();
    setBusy(submit, true, 'Saving…');
    if (!await post('incidents/' + incident.id + '/sharing', body, 'The decision is recorded.', redraw, seq)) setBusy(submit, false);
  });
  return form;
}

function outcomeSection(incident, open, redraw, seq) {
  const section = el('section', { 'aria-labelledby': 'outcome-title' }, el('h2', { id: 'outcome-title' }, 'Outcome and lessons learnt'));
  if (!open) {
    section.append(el('dl', { className: 'details-list' },
      el('dt', null, 'Outcome'), el('dd', null, incident.outcome),
      el('dt', null, 'Lessons learnt'), el('dd', null, incident.lessons_learnt)));
    return section;
  }
  section.append(el('p', { className: 'empty' }, 'The incident is open.'), closeForm(incident, redraw, seq));
  if (incident.held) section.appendChild(releaseForm(incident, redraw, seq));
  return section;
}

function closeForm(incident, redraw, seq) {
  const outcome = textAreaField({ id: 'close-outcome', label: 'Outcome' });
  const lessons = textAreaField({ id: 'close-lessons', label: 'Lessons learnt', hint: 'What the club will change, if anything.' });
  const submit = el('button', { type: 'submit', className: 'button' }, 'Close the incident');
  const form = el('form', { className: 'form no-print', novalidate: true, 'aria-label': 'Close the incident' },
    outcome.group, lessons.group, el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of [outcome, lessons]) setFieldError(f.input, f.input.value.trim() ? '' : 'Required to close the incident.');
    if (!outcome.input.value.trim() || !lessons.input.value.trim()) return;
    setBusy(submit, true, 'Closing…');
    const body = { outcome: outcome.input.value.trim(), lessons_learnt: lessons.input.value.trim() };
    if (!await post('incidents/' + incident.id + '/close', body, 'The incident is closed.', redraw, seq)) setBusy(submit, false);
  });
  return form;
}

function releaseForm(incident, redraw, seq) {
  const reason = field({ id: 'release-reason', label: 'Why release the hold now?',
    hint: 'The hold ends by itself when the incident is closed.' });
  const submit = el('button', { type: 'submit', className: 'button button--secondary' }, 'Release the legal hold');
  const form = el('form', { className: 'form no-print', novalidate: true, 'aria-label': 'Release the legal hold' },
    reason.group, el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!reason.input.value.trim()) {
      setFieldError(reason.input, 'Say why.');
      return;
    }
    setBusy(submit, true, 'Saving…');
    const body = { reason: reason.input.value.trim() };
    if (!await post('incidents/' + incident.id + '/release-hold', body, 'The hold is released.', redraw, seq)) setBusy(submit, false);
  });
  return form;
}
