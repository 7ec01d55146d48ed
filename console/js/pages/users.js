// Users (SPEC C4), for managers: who may sign in to this console with which roles; adding a
// user, changing roles, resetting a password to a one-time one and disabling. The collector
// audits every change and refuses one that would leave the club without a manager.
import { api, problemText } from '../lib/api.js';
import { clear, el, focusByKey, focusedKey, showNote, table } from '../lib/dom.js';
import { confirmDialog, field, setBusy, setFieldError } from '../lib/forms.js';
import { clockAndDay, parseTime } from '../lib/format.js';
import { clearMessage, setHeading, showMessage } from '../lib/frame.js';
import { currentSeq, handleError, isCurrent } from '../lib/router.js';
import { session } from '../lib/session.js';

const ROLES = [
  { value: 'manager', name: 'Manager', hint: 'Laptops, filtering, the audit report and these users.' },
  { value: 'dsl', name: 'Designated Safeguarding Lead', hint: 'Safeguarding alerts, worries and incidents, and the dashboard.' },
  { value: 'worker', name: 'Youth worker', hint: 'Which laptops are in use now, during a session.' },
  { value: 'trustee', name: 'Trustee', hint: 'Signed-off audit reports and the dashboard’s totals.' },
];
const roleName = (value) => (ROLES.find((role) => role.value === value) || { name: value }).name;
// A user's roles in words, in the order of ROLES (a role this console does not know, by its id).
const rolesWords = (roles) => [...ROLES.map((role) => role.value).filter((value) => roles.includes(value)),
  ...roles.filter((value) => !ROLES.some((role) => role.value === value))].map(roleName).join(', ');

export function renderUsers(content, seq) {
  setHeading('Users');
  const body = el('div', { id: 'users-body' }, el('p', { className: 'muted' }, 'Loading the users…'));
  const password = el('div', { id: 'one-time-password', 'aria-live': 'polite', tabIndex: -1 });
  const editor = el('div', { id: 'roles-editor' });
  const reload = () => loadUsers(body, editor, password, seq);
  content.append(
    el('p', null, 'Everyone who uses this console signs in as themselves. Give each person only the roles ' +
      'they need: one person may hold several, such as a manager who is also the safeguarding lead.'),
    password, body, editor, addUserForm(password, reload, seq));
  reload();
}

async function loadUsers(body, editor, password, seq) {
  try {
    const data = await api('GET', 'users');
    if (!isCurrent(seq)) return;
    const key = focusedKey(body);
    drawUsers(body, data.users || [], { editor, password, reload: () => loadUsers(body, editor, password, seq) });
    focusByKey(key, body);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(body, 'The users could not be loaded.');
    handleError(error, seq);
  }
}

function stateText(user) {
  if (user.disabled_at) return 'Disabled since ' + clockAndDay(parseTime(user.disabled_at));
  const locked = parseTime(user.locked_until);
  if (locked && locked > new Date()) return 'Locked after wrong passwords until ' + clockAndDay(locked);
  if (user.must_change_password) return 'Has a one-time password';
  return user.two_step_on ? 'Active, with two-step sign-in' : 'Active';
}

function drawUsers(body, users, page) {
  clear(body);
  body.appendChild(table({
    id: 'users-table', caption: 'Users of this console', headings: ['Name', 'Roles', 'State', 'Actions'],
    rows: users.map((user) => userRow(user, page)),
  }));
}

function actionButton(text, key, label, onClick, danger = false) {
  const button = el('button', {
    type: 'button', className: 'button button--small ' + (danger ? 'button--danger-quiet' : 'button--secondary'),
    'aria-label': label, dataset: { focusKey: key },
  }, text);
  button.addEventListener('click', onClick);
  return button;
}

function userRow(user, page) {
  const who = user.username + (user.username === session.user.username ? ' (you)' : '');
  const path = 'users/' + encodeURIComponent(user.id);
  const actions = [
    actionButton('Change roles', 'roles:' + user.id, 'Change the roles of ' + user.username,
      () => openRolesEditor(user, page)),
    actionButton('Reset password', 'reset:' + user.id, 'Reset the password of ' + user.username,
      () => resetPassword(user, path, page)),
    user.two_step_on
      ? actionButton('Reset two-step sign-in', 'two-step:' + user.id,
        'Reset the two-step sign-in of ' + user.username, () => resetTwoStep(user, path, page))
      : null,
    user.disabled_at
      ? actionButton('Enable', 'enable:' + user.id, 'Enable ' + user.username,
        () => change(path + '/enable', user.username + ' can sign in again.', page))
      : actionButton('Disable', 'disable:' + user.id, 'Disable ' + user.username,
        () => disable(user, path, page), true),
  ];
  return el('tr', null,
    el('th', { scope: 'row', 'data-label': 'Name' }, who),
    el('td', { 'data-label': 'Roles' }, rolesWords(user.roles)),
    el('td', { 'data-label': 'State' }, stateText(user)),
    el('td', { 'data-label': 'Actions' }, el('div', { className: 'button-row' }, actions)));
}

// A change with no form; the list is loaded again afterwards.
async function change(path, done, page, payload) {
  const seq = currentSeq();
  clearMessage();
  try {
    await api('POST', path, payload);
    if (!isCurrent(seq)) return;
    showMessage(done, 'success');
    page.reload();
  } catch (error) {
    if (error.status === 409) showMessage(error.message, 'error');
    else handleError(error, seq);
  }
}

async function disable(user, path, page) {
  const sure = await confirmDialog({
    title: 'Disable ' + user.username + '?',
    body: ['They are signed out now and cannot sign in until a manager enables them again. ' +
      'Nothing they did is deleted.'],
    confirmText: 'Disable',
  });
  if (sure) change(path + '/disable', user.username + ' is disabled and signed out.', page);
}

// Shows a one-time password once, as text: the manager tells it to the person.
function showOneTimePassword(box, username, password) {
  clear(box);
  box.appendChild(el('div', { className: 'card' },
    el('h2', null, 'One-time password for ' + username),
    el('p', null, 'Tell ' + username + ' this password in person. They must choose their own when they sign in. ' +
      'It is not shown again.'),
    el('p', null, el('code', { id: 'one-time-password-value', className: 'wrap-anywhere' }, password))));
  box.focus();
}

async function resetPassword(user, path, page) {
  const sure = await confirmDialog({
    title: 'Reset the password of ' + user.username + '?',
    body: ['Their password stops working and they are signed out. You get a one-time password to give them.'],
    confirmText: 'Reset password',
  });
  if (!sure) return;
  const seq = currentSeq();
  try {
    const data = await api('POST', path + '/reset-password');
    if (!isCurrent(seq)) return;
    showOneTimePassword(page.password, user.username, data.one_time_password);
    showMessage('The password of ' + user.username + ' is reset.', 'success');
    page.reload();
  } catch (error) {
    handleError(error, seq);
  }
}

// For a lost phone: the user signs in with their password and sets two-step sign-in up again.
async function resetTwoStep(user, path, page) {
  const sure = await confirmDialog({
    title: 'Reset the two-step sign-in of ' + user.username + '?',
    body: ['Do this when ' + user.username + ' has lost their phone and their recovery codes. ' +
      'They are signed out, and sign in again with their password alone. If the club requires ' +
      'two-step sign-in for their role, they must set it up again straight away.',
    'Check it is really them asking, in person or by phone: this is how someone else could get in.'],
    confirmText: 'Reset two-step sign-in',
  });
  if (sure) change(path + '/reset-two-step', 'The two-step sign-in of ' + user.username + ' is reset.', page);
}

// A box for each role, as a fieldset; `chosen` are ticked.
function roleChoices(idPrefix, chosen) {
  const boxes = ROLES.map((role) => {
    const box = el('input', { type: 'checkbox', id: idPrefix + role.value, value: role.value, className: 'choice__input' });
    box.checked = chosen.includes(role.value);
    return box;
  });
  const group = el('fieldset', { className: 'field choices', id: idPrefix + 'roles' },
    el('legend', { className: 'field__label' }, 'Roles'),
    ROLES.map((role, i) => el('div', { className: 'choice' }, boxes[i],
      el('label', { for: boxes[i].id, className: 'choice__label' }, role.name,
        el('span', { className: 'choice__hint' }, role.hint)))));
  return { group, chosen: () => boxes.filter((box) => box.checked).map((box) => box.value), first: boxes[0] };
}

function openRolesEditor(user, page) {
  clear(page.editor);
  const roles = roleChoices('edit-role-', user.roles);
  const save = el('button', { type: 'submit', className: 'button' }, 'Save roles');
  const cancel = el('button', { type: 'button', className: 'button button--secondary' }, 'Cancel');
  const form = el('form', { className: 'form card', novalidate: true, 'aria-labelledby': 'roles-editor-title' },
    el('h2', { id: 'roles-editor-title' }, 'Roles of ' + user.username),
    roles.group, el('div', { className: 'button-row' }, save, cancel));
  cancel.addEventListener('click', () => clear(page.editor));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = roles.chosen();
    if (!chosen.length) {
      showMessage('Give ' + user.username + ' at least one role, or disable them instead.', 'error');
      roles.first.focus();
      return;
    }
    setBusy(save, true, 'Saving…');
    await change('users/' + encodeURIComponent(user.id) + '/roles',
      user.username + ' now has the roles: ' + rolesWords(chosen) + '.', page, { roles: chosen });
    setBusy(save, false);
    if (page.editor.contains(form)) clear(page.editor);
  });
  page.editor.appendChild(form);
  roles.first.focus();
}

function addUserForm(password, reload, seq) {
  const name = field({
    id: 'user-name', label: 'User name', required: true, maxLength: 64, autocomplete: 'off',
    hint: 'What they type to sign in, such as “sam.k”.',
  });
  const roles = roleChoices('new-role-', []);
  const submit = el('button', { type: 'submit', className: 'button' }, 'Add user');
  const form = el('form', { className: 'form', novalidate: true, 'aria-labelledby': 'add-user-title' },
    name.group, roles.group, el('div', { className: 'button-row' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(name.input, '');
    const payload = { username: name.input.value.trim(), roles: roles.chosen() };
    if (!payload.username || !payload.roles.length) {
      if (!payload.username) setFieldError(name.input, 'Give the user name they will sign in with.');
      showMessage('The user was not added: ' + (payload.username ? 'choose at least one role.' : 'give a user name.'), 'error');
      (payload.username ? roles.first : name.input).focus();
      return;
    }
    setBusy(submit, true, 'Adding…');
    try {
      const data = await api('POST', 'users', payload);
      if (!isCurrent(seq)) return;
      setBusy(submit, false);
      form.reset();
      showOneTimePassword(password, payload.username, data.one_time_password);
      showMessage(payload.username + ' is added.', 'success');
      reload();
    } catch (error) {
      setBusy(submit, false);
      if (error.status === 400 || error.status === 409) {
        setFieldError(name.input, problemText(error));
        showMessage('The user was not added: ' + problemText(error), 'error');
        name.input.focus();
        return;
      }
      handleError(error, seq);
    }
  });

  return el('section', { className: 'card filtering-editor', 'aria-labelledby': 'add-user-title' },
    el('h2', { id: 'add-user-title' }, 'Add a user'), form);
}
