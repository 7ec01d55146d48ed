// Sign in.
import { api, NETWORK_MESSAGE } from '../lib/api.js';
import { $, el } from '../lib/dom.js';
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
      const answer = await api('POST', 'login', { username: name, password: secret });
      password.input.value = '';
      if (answer.code_needed) {
        form.replaceWith(codeStep(answer.pending_sign_in));
        $('page-heading').focus();
        return;
      }
      signedIn(answer);
    } catch (error) {
      setBusy(submit, false);
      password.input.value = '';
      if (error.status === 401) {
        showMessage("That user name and password don't match.", 'error');
        password.input.focus();
      } else {
        showMessage(refusalText(error), 'error');
      }
    }
  });

  content.appendChild(form);
}

function signedIn(answer) {
  setSession(answer);
  if (session.mustChange) {
    navigate('password', 'You signed in with a one-time password. Choose your own password to carry on.', 'info');
  } else {
    navigate(takeRouteAfterLogin());
  }
}

function refusalText(error) {
  if (error.status !== 423) return error.message || NETWORK_MESSAGE;
  const until = parseTime(error.data.locked_until);
  const when = until ? clockFormat.format(until) : 'later';
  return 'Too many wrong tries: this account is locked until ' + when + '. Wait, or ask another manager.';
}

// The second step of two-step sign-in: the code the user's authenticator app shows, or one of
// their recovery codes. `pending` is the collector's token for the sign-in half done.
function codeStep(pending) {
  setHeading('Type your code');
  const code = field({
    id: 'sign-in-code', label: 'Code from your authenticator app',
    hint: 'Open the app on your phone and type the 6 digits it shows for ClubSafe. ' +
      'Lost your phone? Type one of your recovery codes instead.',
    autocomplete: 'one-time-code', required: true, maxLength: 64,
  });
  code.input.inputMode = 'text';
  const submit = el('button', { type: 'submit', className: 'button' }, 'Sign in');
  const again = el('a', { className: 'button button--secondary', href: '#/login' }, 'Start again');
  again.addEventListener('click', (event) => {
    event.preventDefault();
    navigate('login');
  });
  const form = el('form', { className: 'form card', novalidate: true, 'aria-labelledby': 'page-heading' },
    el('p', { className: 'lead' }, 'Your password is right. Two-step sign-in is on for your account, so one more thing:'),
    code.group,
    el('div', { className: 'button-row' }, submit, again),
    el('p', { className: 'form__help' },
      'No phone and no recovery codes? Ask the club’s manager to reset your two-step sign-in.'));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(code.input, '');
    const typed = code.input.value.trim();
    if (!typed) {
      setFieldError(code.input, 'Type the code your app shows, or a recovery code.');
      showMessage('Type your code.', 'error');
      code.input.focus();
      return;
    }
    setBusy(submit, true, 'Checking…');
    try {
      signedIn(await api('POST', 'login/code', { pending_sign_in: pending, code: typed }));
    } catch (error) {
      setBusy(submit, false);
      code.input.value = '';
      if (error.status === 423) {
        navigate('login', refusalText(error), 'error');
        return;
      }
      if (error.status === 401) setFieldError(code.input, error.message);
      showMessage(refusalText(error), 'error');
      code.input.focus();
    }
  });
  window.setTimeout(() => code.input.focus(), 0);
  return form;
}
