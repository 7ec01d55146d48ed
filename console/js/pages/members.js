// The member register (issue 14): the first names or member codes that may sign in on the
// laptops with an age band older than the default profile's. Managers and youth workers keep it.
import { api, problemText } from '../lib/api.js';
import { changeWithReason } from '../lib/change.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { field, fieldGroup, reasonField, SAY_WHY, setBusy, setFieldError } from '../lib/forms.js';
import { numberFormat, whenCell } from '../lib/format.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { handleError, isCurrent, redraw } from '../lib/router.js';

export async function renderMembers(content, seq) {
  setHeading('Members');
  const body = el('div', { id: 'members-body' }, el('p', { className: 'muted' }, 'Loading…'));
  content.append(
    el('p', { className: 'lead' },
      'A young person signs in on a laptop with their first name or member code and their age band. ' +
      'Anyone can choose the youngest bands. To get an older band’s filtering, they must be on this list ' +
      'with that band: then the laptop uses the band written here, whatever they choose.'),
    el('p', null, 'Keep only a first name or a code and the age band. Remove people who have left the club.'),
    body);
  try {
    const data = await api('GET', 'members');
    if (!isCurrent(seq)) return;
    clear(body);
    body.append(membersTable(data.members || []), addMemberForm(data.age_bands || [], seq));
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(body, 'The members could not be loaded.');
    handleError(error, seq);
  }
}

function memberRow(member) {
  const remove = el('button', {
    type: 'button', className: 'button button--danger-quiet button--small',
    'aria-label': 'Remove ' + member.name,
  }, 'Remove');
  remove.addEventListener('click', () => changeWithReason({
    title: 'Remove ' + member.name + ' from the members?',
    body: ['Within a couple of minutes the laptops no longer give them their band.'],
    confirmText: 'Remove',
    path: 'members/' + encodeURIComponent(member.id) + '/delete', payload: {},
    done: member.name + ' has been removed',
  }));
  return el('tr', null,
    el('th', { scope: 'row', 'data-label': 'Name or code' }, member.name),
    el('td', { 'data-label': 'Age band' }, member.age_band),
    el('td', { 'data-label': 'Added' }, whenCell(member.created_at),
      member.created_by ? el('span', { className: 'cell-detail' }, 'by ' + member.created_by) : null),
    el('td', { 'data-label': 'Action' }, remove));
}

function membersTable(members) {
  if (!members.length) {
    return el('p', { className: 'empty' },
      'Nobody is on the list yet, so nobody can choose an age band older than the default one. Add members below.');
  }
  const sorted = members.slice().sort((a, b) => String(a.name).localeCompare(String(b.name), 'en-GB', { sensitivity: 'base' }));
  return table({
    id: 'members-table', caption: 'Members and their age bands', headings: ['Name or code', 'Age band', 'Added', 'Action'],
    rows: sorted.map(memberRow),
  });
}

function addMemberForm(bands, seq) {
  const name = field({
    id: 'member-name', label: 'First name or member code', required: true, maxLength: 40,
    hint: 'As they type it when they sign in. Use a code or an initial when two have the same name.',
  });
  const band = el('select', { id: 'member-band', name: 'member-band', className: 'input' },
    bands.map((value) => el('option', { value }, value)));
  const reason = reasonField('member-reason');
  const submit = el('button', { type: 'submit', className: 'button' }, 'Add member');
  const form = el('form', { className: 'form', novalidate: true, 'aria-labelledby': 'add-member-title' },
    name.group, fieldGroup('member-band', 'Age band', null, band), reason.group,
    el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of [name, reason]) setFieldError(f.input, '');
    const payload = { name: name.input.value.trim(), age_band: band.value, reason: reason.input.value.trim() };
    const problems = [];
    if (!payload.name) problems.push([name, 'Give their first name or member code.']);
    if (!payload.reason) problems.push([reason, SAY_WHY]);
    if (problems.length) {
      for (const [f, text] of problems) setFieldError(f.input, text);
      showMessage('The member was not added: check the highlighted fields.', 'error');
      problems[0][0].input.focus();
      return;
    }
    setBusy(submit, true, 'Adding…');
    try {
      const data = await api('POST', 'members', payload);
      if (!isCurrent(seq)) return;
      redraw(payload.name + ' can sign in as ' + payload.age_band + ' on the laptops within a couple of minutes ' +
        '(policy version ' + numberFormat.format(data.policy_version) + ').', 'success');
    } catch (error) {
      setBusy(submit, false);
      if (error.status === 400 && /^member\.name\b/.test(error.message)) {
        setFieldError(name.input, problemText(error));
        showMessage('The member was not added: ' + problemText(error), 'error');
        name.input.focus();
        return;
      }
      handleError(error, seq);
    }
  });
  return el('div', { className: 'card filtering-editor', id: 'add-member' },
    el('h2', { id: 'add-member-title' }, 'Add a member'), form);
}
