// Workers' PINs, shown on the Laptop notice page: who can sign in as staff or unlock a site.
import { api, problemText } from '../lib/api.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { changeWithReason } from '../lib/change.js';
import { field, reasonField, SAY_WHY, setBusy, setFieldError } from '../lib/forms.js';
import { numberFormat, whenCell } from '../lib/format.js';
import { showMessage } from '../lib/frame.js';
import { handleError, isCurrent, redraw } from '../lib/router.js';

// The section with the list of workers and the form that adds one; loads the list.
export function workersSection(seq) {
  const section = el('section', { className: 'filtering-section', 'aria-labelledby': 'workers-title' },
    el('h2', { id: 'workers-title' }, 'Worker PINs'),
    el('p', null, 'A youth worker types their PIN on a laptop to sign in as staff, or to unlock a blocked site ' +
      'for a short while. Give each worker their own PIN. clubsafe keeps only a scrambled form of it: ' +
      'nobody can read a PIN back, not even here. If a worker forgets theirs, remove them and add them again.'),
    el('div', { id: 'workers-body' }, el('p', { className: 'muted' }, 'Loading…')),
    addWorkerForm(seq));
  loadWorkers(section.querySelector('#workers-body'), seq);
  return section;
}

async function loadWorkers(body, seq) {
  try {
    const data = await api('GET', 'workers');
    if (!isCurrent(seq)) return;
    drawWorkers(body, data.workers || []);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(body, 'The workers could not be loaded.');
    handleError(error, seq);
  }
}

function workerRow(worker) {
  const remove = el('button', {
    type: 'button', className: 'button button--danger-quiet button--small',
    'aria-label': 'Remove ' + worker.name,
    dataset: { focusKey: 'remove-worker:' + worker.id },
  }, 'Remove');
  remove.addEventListener('click', () => changeWithReason({
    title: 'Remove ' + worker.name + '’s PIN?',
    body: ['Their PIN stops working on the laptops within a couple of minutes.'],
    confirmText: 'Remove PIN',
    path: 'workers/' + encodeURIComponent(worker.id) + '/delete', payload: {},
    done: worker.name + '’s PIN has been removed',
  }));
  return el('tr', null,
    el('th', { scope: 'row', 'data-label': 'Name' }, el('span', { className: 'worker-name' }, worker.name)),
    el('td', { 'data-label': 'Added' }, whenCell(worker.created_at),
      worker.created_by ? el('span', { className: 'cell-detail' }, 'by ' + worker.created_by) : null),
    el('td', { 'data-label': 'Action' }, remove));
}

function drawWorkers(body, workers) {
  clear(body);
  if (!workers.length) {
    body.appendChild(el('p', { className: 'empty' },
      'No worker has a PIN yet, so nobody can sign in as staff or unlock a site on the laptops. Add the youth workers below.'));
    return;
  }
  const sorted = workers.slice().sort((a, b) => String(a.name).localeCompare(String(b.name), 'en-GB', { sensitivity: 'base' }));
  body.appendChild(table({
    id: 'workers-table', caption: 'Workers with a PIN', headings: ['Name', 'Added', 'Action'],
    rows: sorted.map(workerRow),
  }));
}

function addWorkerForm(seq) {
  const name = field({
    id: 'worker-name', label: 'Worker’s name', required: true, maxLength: 40,
    hint: 'As the laptops and the audit should show it, such as “Sam K”.',
  });
  const pin = field({
    id: 'worker-pin', label: 'PIN', type: 'password', autocomplete: 'new-password', required: true, maxLength: 12,
    hint: '6 to 12 digits. Not one digit repeated and not digits in order (such as 123456). Tell the worker their PIN in person.',
  });
  pin.input.inputMode = 'numeric';
  const reason = reasonField('worker-reason');
  const submit = el('button', { type: 'submit', className: 'button' }, 'Add worker');
  const form = el('form', { className: 'form', novalidate: true, 'aria-labelledby': 'add-worker-title' },
    name.group, pin.group, reason.group, el('div', { className: 'button-row' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of [name, pin, reason]) setFieldError(f.input, '');
    const payload = { name: name.input.value.trim(), pin: pin.input.value, reason: reason.input.value.trim() };
    const problems = [];
    if (!payload.name) problems.push([name, 'Give the worker’s name.']);
    if (!/^[0-9]{6,12}$/.test(payload.pin)) problems.push([pin, 'A PIN is 6 to 12 digits (0 to 9) and nothing else.']);
    if (!payload.reason) problems.push([reason, SAY_WHY]);
    if (problems.length) {
      for (const [f, text] of problems) setFieldError(f.input, text);
      showMessage('The worker was not added: check the highlighted fields.', 'error');
      problems[0][0].input.focus();
      return;
    }
    setBusy(submit, true, 'Adding…');
    try {
      const data = await api('POST', 'workers', payload);
      if (!isCurrent(seq)) return;
      redraw(payload.name + ' can now use their PIN on the laptops, within a couple of minutes (policy version ' +
        numberFormat.format(data.policy_version) + ').', 'success');
    } catch (error) {
      setBusy(submit, false);
      pin.input.value = '';
      const match = error.status === 400 ? /^worker\.(name|pin)\b/.exec(error.message) : null;
      if (match) {
        const target = match[1] === 'name' ? name : pin;
        setFieldError(target.input, problemText(error));
        showMessage('The worker was not added: ' + problemText(error), 'error');
        target.input.focus();
        return;
      }
      handleError(error, seq);
    }
  });

  return el('div', { className: 'card filtering-editor', id: 'add-worker' },
    el('h3', { id: 'add-worker-title' }, 'Add a worker'), form);
}
