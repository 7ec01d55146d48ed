// Two-step sign-in: set up an authenticator app, see how many recovery codes are left, get new
// ones. The key and the recovery codes are shown once; the collector never gives them again.
import { api } from '../lib/api.js';
import { clear, el, showNote } from '../lib/dom.js';
import { field, setBusy, setFieldError } from '../lib/forms.js';
import { count } from '../lib/format.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { handleError, homeRoute, isCurrent, navigate } from '../lib/router.js';
import { session, setSession } from '../lib/session.js';

export async function renderTwoStep(content, seq) {
  setHeading('Two-step sign-in');
  const body = el('div', { id: 'two-step-body' });
  content.appendChild(body);
  showNote(body, 'Loading…');
  try {
    const state = await api('GET', 'two-step');
    if (!isCurrent(seq)) return;
    clear(body);
    if (state.on) drawOn(body, state);
    else drawOff(body, state);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(body, 'Two-step sign-in could not be loaded.');
    handleError(error, seq);
  }
}

function explainer(required) {
  return el('div', { className: 'explainer' },
    el('h2', { className: 'explainer__title' }, 'What this is'),
    el('p', null, 'With two-step sign-in, signing in needs your password and a 6-digit code from an ' +
      'app on your phone. Someone who learns your password still cannot get in.'),
    required ? el('p', null, el('strong', null, 'Your club requires it for your role.'),
      ' You can use the console once it is set up. It takes about two minutes.') : null);
}

// A code field for the app's 6 digits.
function codeField(id, label) {
  const code = field({
    id, label, hint: 'The 6 digits the app shows for ClubSafe now. A new code comes every 30 seconds.',
    autocomplete: 'one-time-code', required: true, maxLength: 12,
  });
  code.input.inputMode = 'numeric';
  return code;
}

function drawOff(body, state) {
  const start = el('button', { type: 'button', className: 'button', id: 'two-step-start' }, 'Set up two-step sign-in');
  body.append(explainer(state.required),
    el('div', { className: 'card' },
      el('p', null, 'You need a phone with an authenticator app. Any of these works: ' +
        'Google Authenticator, Microsoft Authenticator, Aegis, FreeOTP or 2FAS.'),
      el('div', { className: 'button-row' }, start)));
  start.addEventListener('click', async () => {
    setBusy(start, true, 'Making your key…');
    try {
      const enrolment = await api('POST', 'two-step/start');
      clear(body);
      drawEnrolment(body, enrolment);
    } catch (error) {
      setBusy(start, false);
      if (error.status === 409) showMessage(error.message, 'error');
      else handleError(error);
    }
  });
}

const SVG = 'http://www.w3.org/2000/svg';
const QR_QUIET_ZONE = 4;  // light modules around the code, which scanners need
const QR_MODULE_PIXELS = 5;

function svgElement(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

// The key as a QR code for the phone's camera, drawn from the collector's rows of modules ('1'
// dark): one path, black on white whatever the page's colours.
function qrCodeImage(qr) {
  const side = qr.size + 2 * QR_QUIET_ZONE;
  const svg = svgElement('svg', {
    id: 'two-step-qr', viewBox: `0 0 ${side} ${side}`, width: side * QR_MODULE_PIXELS,
    height: side * QR_MODULE_PIXELS, role: 'img', 'shape-rendering': 'crispEdges',
    'aria-label': 'QR code of your key, for the authenticator app to scan',
  });
  let dark = '';
  qr.rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x += 1) {
      if (row[x] === '1') dark += `M${x + QR_QUIET_ZONE} ${y + QR_QUIET_ZONE}h1v1h-1z`;
    }
  });
  svg.append(svgElement('rect', { width: side, height: side, fill: '#fff' }),
    svgElement('path', { d: dark, fill: '#000' }));
  return svg;
}

function drawEnrolment(body, enrolment) {
  const code = codeField('two-step-code', 'Code from the app');
  const submit = el('button', { type: 'submit', className: 'button' }, 'Turn on two-step sign-in');
  const form = el('form', { className: 'form card', novalidate: true },
    el('h2', null, 'Set up your app'),
    el('ol', null,
      el('li', null, 'Open the authenticator app and choose to add an account.'),
      el('li', null, 'Scan this code with the app:', el('p', null, qrCodeImage(enrolment.qr))),
      el('li', null, 'If the app cannot scan it, choose “Enter a setup key” (some apps say ' +
        '“Enter key manually”). For the account name type ClubSafe. For the key type this, exactly:',
        el('p', null, el('code', { id: 'two-step-key', className: 'wrap-anywhere' }, enrolment.key)),
        'If the app asks, choose “Time based”.'),
      el('li', null, 'Type the 6-digit code the app now shows below.')),
    el('details', null,
      el('summary', null, 'The same key as an address, for apps that take one'),
      el('p', null, el('code', { id: 'two-step-uri', className: 'wrap-anywhere' }, enrolment.uri))),
    code.group,
    el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(code.input, '');
    const typed = code.input.value.trim();
    if (!typed) {
      setFieldError(code.input, 'Type the 6 digits the app shows.');
      code.input.focus();
      return;
    }
    setBusy(submit, true, 'Checking…');
    try {
      const answer = await api('POST', 'two-step/confirm', { code: typed });
      clear(body);
      drawRecoveryCodes(body, answer.recovery_codes, true);
    } catch (error) {
      setBusy(submit, false);
      if (error.status === 400) {
        setFieldError(code.input, error.message);
        showMessage(error.message, 'error');
        code.input.focus();
      } else {
        handleError(error);
      }
    }
  });
  body.appendChild(form);
}

// The recovery codes, shown once. `first`: just turned on, so the session is read again (the
// console may have been waiting for this) before the user carries on.
function drawRecoveryCodes(body, codes, first) {
  const done = el('button', { type: 'button', className: 'button', id: 'two-step-done' }, 'I have kept my recovery codes');
  body.appendChild(el('div', { className: 'card' },
    el('h2', null, first ? 'Two-step sign-in is on' : 'Your new recovery codes'),
    el('p', null, 'If you lose your phone, each of these codes lets you sign in once in place of ' +
      'the app’s code. Write them down or print this page, and keep them somewhere safe away from ' +
      'your phone. They are not shown again.'),
    first ? null : el('p', null, 'Your old recovery codes no longer work.'),
    el('ul', { id: 'recovery-codes', className: 'code-list' },
      codes.map((code) => el('li', null, el('code', null, code)))),
    el('div', { className: 'button-row' }, done)));
  showMessage(first ? 'Two-step sign-in is on for your account.' : 'You have new recovery codes.', 'success');
  done.addEventListener('click', async () => {
    try {
      setSession(await api('GET', 'session'));
      navigate(session.mustChange ? 'password' : homeRoute());
    } catch (error) {
      handleError(error);
    }
  });
}

function drawOn(body, state) {
  const left = state.recovery_codes_left;
  body.append(explainer(false),
    el('div', { className: 'card' },
      el('h2', null, 'Two-step sign-in is on'),
      el('p', { id: 'recovery-codes-left' }, 'You have ' + count(left, 'recovery code', 'recovery codes') + ' left.' +
        (left < 3 ? ' Get new ones soon.' : '')),
      el('p', null, 'Moving to a new phone? Ask the club’s manager to reset your two-step sign-in, ' +
        'then set it up again here.')));

  const code = codeField('new-codes-code', 'Code from the app');
  const submit = el('button', { type: 'submit', className: 'button button--secondary' }, 'Get new recovery codes');
  const form = el('form', { className: 'form card', novalidate: true },
    el('h2', null, 'New recovery codes'),
    el('p', null, 'Your old recovery codes stop working and you get 10 new ones.'),
    code.group, el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(code.input, '');
    setBusy(submit, true, 'Checking…');
    try {
      const answer = await api('POST', 'two-step/recovery-codes', { code: code.input.value.trim() });
      clear(body);
      drawRecoveryCodes(body, answer.recovery_codes, false);
    } catch (error) {
      setBusy(submit, false);
      if (error.status === 400) {
        setFieldError(code.input, error.message);
        code.input.focus();
      } else {
        handleError(error);
      }
    }
  });
  body.appendChild(form);
}
