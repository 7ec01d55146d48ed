// Audit report (SPEC C10): a chosen period's report on one printable sheet and as a PDF the
// collector makes, the record of checks, and sign-off, which freezes the report as signed.
// Past sign-offs are listed with their SHA-256 and can be downloaded as signed.
import { api, problemText } from '../lib/api.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { confirmDialog, field, setBusy, setFieldError, textAreaField } from '../lib/forms.js';
import { whenCell } from '../lib/format.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { handleError, isCurrent, navigate, routeHref, routeParams } from '../lib/router.js';
import { hasAnyRole } from '../lib/session.js';
import { reportSheet } from './report-sheet.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const pad = (n) => String(n).padStart(2, '0');
const dateText = (date) => date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());

// Last calendar month: the usual monthly audit.
function defaultPeriod() {
  const now = new Date();
  return {
    from: dateText(new Date(now.getFullYear(), now.getMonth() - 1, 1)),
    to: dateText(new Date(now.getFullYear(), now.getMonth(), 0)),
  };
}

function chosenPeriod() {
  const params = routeParams();
  const from = params.get('from');
  const to = params.get('to');
  return DATE.test(from || '') && DATE.test(to || '') ? { from, to } : defaultPeriod();
}

const periodQuery = (period) => 'from=' + encodeURIComponent(period.from) + '&to=' + encodeURIComponent(period.to);

export function renderReport(content, seq) {
  const signOffs = el('div', { id: 'report-sign-offs' }, el('p', { className: 'muted' }, 'Loading past sign-offs…'));
  // Trustees read the reports the manager signed off, and nothing else of this page.
  if (!hasAnyRole(['manager'])) {
    setHeading('Signed-off audit reports');
    content.append(
      el('p', null, 'The youth work manager audits the club’s technology use and signs off a report for ' +
        'each period. Each report is kept exactly as it was signed.'),
      signOffs);
    loadSignOffs(signOffs, seq);
    return;
  }
  setHeading('Audit report');
  const period = chosenPeriod();
  const sheet = el('div', { id: 'report-body' }, el('p', { className: 'muted' }, 'Loading the report…'));
  content.append(
    el('p', { className: 'no-print' },
      'Your online safety policy asks the youth work manager to audit technology use and review filtering ' +
      'regularly. Choose a period, read the report, record the checks you made, then sign it off. A signed ' +
      'report is kept exactly as signed.'),
    periodForm(period),
    sheet,
    checkForm(period, seq),
    signOffForm(period, seq),
    el('section', { className: 'no-print', 'aria-labelledby': 'sign-offs-title' },
      el('h2', { id: 'sign-offs-title' }, 'Past sign-offs'), signOffs));
  loadReport(period, sheet, seq);
  loadSignOffs(signOffs, seq);
}

function periodForm(period) {
  const from = field({ id: 'report-from', label: 'First day', type: 'date', value: period.from, required: true });
  const to = field({ id: 'report-to', label: 'Last day', type: 'date', value: period.to, required: true });
  const form = el('form', { className: 'report-period no-print', novalidate: true },
    from.group, to.group,
    el('div', { className: 'button-row' },
      el('button', { type: 'submit', className: 'button' }, 'Show the report'),
      el('a', { className: 'button button--secondary', href: '/api/console/report.pdf?' + periodQuery(period), download: '' },
        'Download the PDF'),
      el('button', { type: 'button', className: 'button button--secondary', id: 'report-print' }, 'Print')));
  form.querySelector('#report-print').addEventListener('click', () => window.print());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setFieldError(from.input, DATE.test(from.input.value) ? '' : 'Choose the first day.');
    setFieldError(to.input, DATE.test(to.input.value) ? '' : 'Choose the last day.');
    if (!DATE.test(from.input.value) || !DATE.test(to.input.value)) return;
    location.hash = routeHref('report', { from: from.input.value, to: to.input.value });
  });
  return form;
}

async function loadReport(period, sheet, seq) {
  try {
    const data = await api('GET', 'report?' + periodQuery(period));
    if (!isCurrent(seq)) return;
    clear(sheet);
    sheet.appendChild(reportSheet(data.report));
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(sheet, 'The report could not be made.');
    handleError(error, seq);
  }
}

// A check the manager made, kept in the record of checks (DfE standard 2).
function checkForm(period, seq) {
  const now = new Date();
  const when = field({
    id: 'check-when', label: 'When was the check made?', type: 'datetime-local',
    value: dateText(now) + 'T' + pad(now.getHours()) + ':' + pad(now.getMinutes()), required: true,
  });
  const who = field({ id: 'check-who', label: 'Who made it?', required: true, maxLength: 100, autocomplete: 'name' });
  const what = textAreaField({ id: 'check-what', label: 'What was checked?', rows: 3,
    hint: 'For example: every laptop reported this week; the self-tests passed; the blocked categories still fit our policy.' });
  const actions = textAreaField({ id: 'check-actions', label: 'What was done as a result?', rows: 3,
    hint: 'Leave empty when nothing needed doing.' });
  const button = el('button', { type: 'submit', className: 'button' }, 'Record the check');
  const form = el('form', { className: 'no-print report-form', novalidate: true, 'aria-labelledby': 'check-title' },
    el('h2', { id: 'check-title' }, 'Record a check'), when.group, who.group, what.group, actions.group,
    el('div', { className: 'button-row' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const checkedAt = new Date(when.input.value);
    const problems = [
      [when.input, Number.isNaN(checkedAt.getTime()) ? 'Say when the check was made.' : ''],
      [who.input, who.input.value.trim() ? '' : 'Say who made the check.'],
      [what.input, what.input.value.trim() ? '' : 'Say what was checked.'],
    ];
    for (const [input, text] of problems) setFieldError(input, text);
    if (problems.some(([, text]) => text)) return;
    setBusy(button, true, 'Recording…');
    try {
      await api('POST', 'report/checks', {
        checked_at: checkedAt.toISOString(), checked_by: who.input.value.trim(),
        what: what.input.value.trim(), actions: actions.input.value.trim(),
      });
      if (!isCurrent(seq)) return;
      navigate('report', 'The check is recorded.', 'success');
    } catch (error) {
      setBusy(button, false);
      if (error.status === 400) showMessage(problemText(error), 'error');
      else handleError(error, seq);
    }
  });
  return form;
}

function signOffForm(period, seq) {
  const name = field({ id: 'sign-name', label: 'Your name', required: true, maxLength: 100, autocomplete: 'name' });
  const role = field({ id: 'sign-role', label: 'Your role', required: true, maxLength: 100, value: 'Youth work manager' });
  const notes = textAreaField({ id: 'sign-notes', label: 'Notes (optional)', rows: 3 });
  const button = el('button', { type: 'submit', className: 'button' }, 'Sign off this report');
  const form = el('form', { className: 'no-print report-form', novalidate: true, 'aria-labelledby': 'sign-title' },
    el('h2', { id: 'sign-title' }, 'Sign off'),
    el('p', null, 'Signing off keeps this period’s report exactly as it is now, as a PDF and its figures, with your ' +
      'name, role, notes and the time. Later changes and deleted records do not change it.'),
    name.group, role.group, notes.group, el('div', { className: 'button-row' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(name.input, name.input.value.trim() ? '' : 'Give your name.');
    setFieldError(role.input, role.input.value.trim() ? '' : 'Give your role.');
    if (!name.input.value.trim() || !role.input.value.trim()) return;
    const sure = await confirmDialog({
      title: 'Sign off the report?', confirmText: 'Sign off', danger: false,
      body: ['The report for ' + period.from + ' to ' + period.to + ' will be kept exactly as it is now, signed by ' +
        name.input.value.trim() + '.'],
    });
    if (!sure) return;
    setBusy(button, true, 'Signing off…');
    try {
      const signed = await api('POST', 'report/sign-offs', {
        from: period.from, to: period.to, name: name.input.value.trim(), role: role.input.value.trim(), notes: notes.input.value.trim(),
      });
      if (!isCurrent(seq)) return;
      navigate('report', 'Signed off. The signed PDF’s SHA-256 is ' + signed.pdf_sha256 + '.', 'success');
    } catch (error) {
      setBusy(button, false);
      if (error.status === 400) showMessage(problemText(error), 'error');
      else handleError(error, seq);
    }
  });
  return form;
}

async function loadSignOffs(body, seq) {
  try {
    const data = await api('GET', 'report/sign-offs');
    if (!isCurrent(seq)) return;
    clear(body);
    if (!data.sign_offs.length) {
      body.appendChild(el('p', { className: 'muted' }, 'No report has been signed off yet.'));
      return;
    }
    body.appendChild(table({
      id: 'sign-offs-table', caption: 'Past sign-offs',
      headings: ['Period', 'Signed off by', 'When', 'SHA-256 of the PDF', 'Download'],
      rows: data.sign_offs.map((row) => el('tr', null,
        el('td', null, row.first_day + ' to ' + row.last_day),
        el('td', null, row.name, el('span', { className: 'cell-detail' }, row.role)),
        el('td', null, whenCell(row.signed_at)),
        el('td', null, el('code', { className: 'wrap-anywhere' }, row.pdf_sha256)),
        el('td', null,
          el('a', { href: '/api/console/report/sign-offs/' + row.id + '/pdf', download: '' }, 'PDF'), ' · ',
          el('a', { href: '/api/console/report/sign-offs/' + row.id + '/json', download: '' }, 'Figures (JSON)')))),
    }));
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(body, 'Past sign-offs could not be loaded.');
    handleError(error, seq);
  }
}
