// Sign in.
import { api, NETWORK_MESSAGE } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { field, setBusy, setFieldError } from '../lib/forms.js';
import { clockFormat, parseTime } from '../lib/format.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { navigate, takeRouteAfterLogin } from '../lib/router.js';
import { session, setSession } from '../lib/session.js';

export function renderLogin(content) {
  setHeading('Sign in');
  const username = field({ id: 'username', label: 'User name', autocomplete: 'username', required: true });
  const password = field({ id: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = el('button', { type: 'submit', className: 'button' }, 'Sign in');
  const form = el('form', { className: 'form card', novalidate: true, 'aria-labelledby': 'page-heading' },
    el('p', { className: 'lead' }, 'Sign in to see your club’s laptops and enrol new ones.'),
    username.group, password.group,
    el('div', { className: 'button-row' }, submit),
    el('p', { className: 'form__help' },
      'First time? Use the user name “manager” and the one-time password the clubsafe server printed when it first started.'));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(username.input, '');
    setFieldError(password.input, '');
    const name = username.input.value.trim();
    const secret = password.input.value;
    if (!name || !secret) {
      if (!name) setFieldError(username.input, 'Enter your user name.');
      if (!secret) setFieldError(password.input, 'Enter your password.');
      showMessage(!name ? 'Enter your user name and password.' : 'Enter your password.', 'error');
      (!name ? username.input : password.input).focus();
      return;
    }
    setBusy(submit, true, 'Signing in…');
    try {
      setSession(await api('POST', 'login', { username: name, password: secret }));
      password.input.value = '';
      if (session.mustChange) {
        navigate('password', 'You signed in with a one-time password. Choose your own password to carry on.', 'info');
      } else {
        navigate(takeRouteAfterLogin());
      }
    } catch (error) {
      setBusy(submit, false);
      password.input.value = '';
      if (error.status === 401) {
        showMessage("That user name and password don't match.", 'error');
        password.input.focus();
      } else if (error.status === 423) {
        const until = parseTime(error.data.locked_until);
        const when = until ? clockFormat.format(until) : 'later';
        showMessage('Too many wrong tries: this account is locked until ' + when +
          '. Wait, or ask another manager.', 'error');
      } else {
        showMessage(error.message || NETWORK_MESSAGE, 'error');
      }
    }
  });

  content.appendChild(form);
}
