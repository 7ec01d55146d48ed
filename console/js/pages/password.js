// Choose (or change) your password.
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { field, setBusy, setFieldError } from '../lib/forms.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { handleError, homeRoute, navigate } from '../lib/router.js';
import { session, setSession } from '../lib/session.js';

const MIN_PASSWORD = 12;

// What is wrong with the form as [field, text] pairs, first problem first.
function passwordProblems(first, current, fresh, repeat) {
  const oldValue = current.input.value;
  const newValue = fresh.input.value;
  const problems = [];
  if (!oldValue) problems.push([current, first ? 'Enter the one-time password you signed in with.' : 'Enter your current password.']);
  if (!newValue) {
    problems.push([fresh, 'Enter a new password of at least ' + MIN_PASSWORD + ' characters.']);
  } else if ([...newValue].length < MIN_PASSWORD) {
    problems.push([fresh, 'Your new password needs at least ' + MIN_PASSWORD + ' characters. It has ' + [...newValue].length + '.']);
  } else if (newValue === oldValue) {
    problems.push([fresh, 'Choose a password that is different from the current one.']);
  }
  if (repeat.input.value !== newValue) problems.push([repeat, 'The two new passwords are not the same. Type them again.']);
  return problems;
}

function whyItMatters() {
  return el('div', { className: 'explainer' },
    el('h2', { className: 'explainer__title' }, 'Why this matters'),
    el('p', null, 'This console shows what happens on the laptops young people use. ' +
      'A long password keeps that information safe.'),
    el('p', null, 'Use at least ' + MIN_PASSWORD + ' characters. Three or four ordinary words ' +
      'strung together are easy to remember and hard to guess. Don’t use a password you use anywhere else.'));
}

export function renderPassword(content) {
  const first = session.mustChange;
  setHeading(first ? 'Choose your password' : 'Change your password');

  const current = field({
    id: 'current-password',
    label: first ? 'One-time password' : 'Current password',
    hint: first ? 'The password you just signed in with.' : undefined,
    type: 'password', autocomplete: 'current-password', required: true,
  });
  const fresh = field({
    id: 'new-password', label: 'New password',
    hint: 'At least ' + MIN_PASSWORD + ' characters.',
    type: 'password', autocomplete: 'new-password', required: true,
  });
  const repeat = field({
    id: 'repeat-password', label: 'Type the new password again',
    type: 'password', autocomplete: 'new-password', required: true,
  });
  const submit = el('button', { type: 'submit', className: 'button' }, 'Save password');
  // Lets password managers file the new password under the right user name.
  const hiddenName = el('input', {
    type: 'text', autocomplete: 'username', name: 'username', hidden: true, readOnly: true,
    tabIndex: -1, 'aria-hidden': 'true',
  });
  hiddenName.value = session.user ? session.user.username : '';

  const form = el('form', { className: 'form card', novalidate: true, 'aria-labelledby': 'page-heading' },
    first ? el('p', { className: 'lead' },
      'You signed in with a one-time password. Choose your own password before you carry on.') : null,
    hiddenName, current.group, fresh.group, repeat.group,
    el('div', { className: 'button-row' },
      submit,
      first ? null : el('a', { className: 'button button--secondary', href: '#/' + homeRoute() }, 'Cancel')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of [current, fresh, repeat]) setFieldError(f.input, '');
    const problems = passwordProblems(first, current, fresh, repeat);
    if (problems.length) {
      for (const [f, text] of problems) setFieldError(f.input, text);
      showMessage('Check the password form: there is something to fix.', 'error');
      problems[0][0].input.focus();
      return;
    }
    setBusy(submit, true, 'Saving…');
    try {
      // The collector answers with the session that replaces this one (a new id and CSRF token).
      setSession(await api('POST', 'password', { current_password: current.input.value, new_password: fresh.input.value }));
      navigate(homeRoute(), 'Your new password is saved. Use it next time you sign in.', 'success');
    } catch (error) {
      setBusy(submit, false);
      if (error.status === 400) {
        showMessage(error.message, 'error');
        const text = error.message.toLowerCase();
        const target = /current|one-time|wrong/.test(text) ? current : fresh;
        setFieldError(target.input, error.message);
        target.input.focus();
      } else {
        handleError(error);
      }
    }
  });

  content.appendChild(el('div', { className: 'two-column' }, form, whyItMatters()));
}
