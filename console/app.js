// clubsafe console: a single page with hash routes (#/login, #/password, #/devices, #/enrol,
// #/filtering, #/notice).
//
// Rules this file keeps:
// - No framework, no build step, nothing loaded from elsewhere (the collector's
//   Content-Security-Policy is default-src 'self').
// - Every piece of data from the server is put on the page with textContent or as a property,
//   never as HTML: device names, host names and labels are typed by whoever holds a laptop.
// - Every request sends the session cookie (same origin only); every POST but sign-in sends the
//   session's CSRF token.
'use strict';

(() => {
  const API = '/api/console/';
  const REFRESH_MS = 30 * 1000;
  const MIN_PASSWORD = 12;
  const NETWORK_MESSAGE = "Can't reach the clubsafe server. Check it is running, then reload this page.";
  const SESSION_ENDED = 'Your session has ended. Please sign in again.';

  const state = {
    user: null,            // {username, role} when signed in
    csrf: '',              // the session's CSRF token
    mustChange: false,     // signed in with a one-time password that must be replaced first
    route: '',             // the route on show
    renderSeq: 0,          // increases on every render, so a slow request cannot draw on a newer page
    refreshTimer: 0,
    clockOffsetMs: 0,      // server clock minus this browser's clock
    afterLogin: 'devices', // where to go once signed in
  };

  // ---------------------------------------------------------------------------------------------
  // Small DOM helpers. el('p', {className: 'x'}, 'text', child) builds elements with text nodes.

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'className') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key === 'on') {
          for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
        } else if (key in node && typeof value !== 'string') node[key] = value;
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else if (child instanceof Node) node.appendChild(child);
      else node.appendChild(document.createTextNode(String(child)));
    }
  }

  const $ = (id) => document.getElementById(id);

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // ---------------------------------------------------------------------------------------------
  // Messages in the live region under the page heading.

  function showMessage(text, kind = 'info') {
    const box = $('message');
    clear(box);
    box.className = 'message';
    if (!text) return;
    box.classList.add('message--' + kind, 'message--shown');
    box.appendChild(el('p', null, text));
  }

  const clearMessage = () => showMessage('');

  // ---------------------------------------------------------------------------------------------
  // Talking to the collector.

  class ApiError extends Error {
    constructor(status, message, data) {
      super(message);
      this.status = status;
      this.data = data || {};
    }
  }

  async function api(method, path, body) {
    const options = {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'application/json' },
    };
    if (method !== 'GET') {
      // Calls that take no parameters (sign out, revoke) send an empty body, as the API
      // describes them; the type is still JSON, which a cross-site form cannot send.
      options.headers['Content-Type'] = 'application/json';
      options.body = body === undefined ? '' : JSON.stringify(body);
      if (path !== 'login' && state.csrf) options.headers['X-CSRF-Token'] = state.csrf;
    }
    let response;
    try {
      response = await fetch(API + path, options);
    } catch (_) {
      throw new ApiError(0, NETWORK_MESSAGE);
    }
    let data = null;
    if (response.status !== 204) {
      try {
        data = await response.json();
      } catch (_) {
        data = null;
      }
    }
    if (!response.ok) {
      const text = data && typeof data.error === 'string' && data.error
        ? data.error
        : defaultErrorText(response.status);
      throw new ApiError(response.status, text, data);
    }
    return data;
  }

  function defaultErrorText(status) {
    if (status === 401) return SESSION_ENDED;
    if (status === 403) return "You aren't allowed to do that.";
    if (status === 404) return 'That could not be found. It may have been removed: reload this page.';
    if (status >= 500) return 'The clubsafe server had a problem. Try again in a minute; if it keeps happening, restart the server.';
    return 'Something went wrong (error ' + status + '). Reload this page and try again.';
  }

  function setSession(data) {
    state.user = data && data.user ? data.user : null;
    state.csrf = data && typeof data.csrf_token === 'string' ? data.csrf_token : '';
    state.mustChange = Boolean(data && data.must_change_password);
    updateHeader();
  }

  function forgetSession() {
    state.user = null;
    state.csrf = '';
    state.mustChange = false;
    updateHeader();
  }

  // What every page does with an error it does not handle itself.
  async function handleError(error, seq) {
    if (seq !== undefined && seq !== state.renderSeq) return;
    if (!(error instanceof ApiError)) {
      showMessage('Something went wrong in this page. Reload it and try again.', 'error');
      console.error(error);
      return;
    }
    if (error.status === 401) {
      if (state.route && !ROUTES[state.route].public && state.route !== 'password') state.afterLogin = state.route;
      forgetSession();
      navigate('login', SESSION_ENDED, 'error');
      return;
    }
    if (error.status === 403) {
      // Either the password must be changed first, or the request was refused. Ask which.
      if (!state.mustChange && !error.data.must_change_password) {
        try {
          setSession(await api('GET', 'session'));
        } catch (_) {
          // fall through with what we know
        }
      }
      if (state.mustChange || error.data.must_change_password) {
        state.mustChange = true;
        updateHeader();
        navigate('password', 'Choose your own password before you carry on.', 'info');
        return;
      }
    }
    showMessage(error.message, 'error');
  }

  // ---------------------------------------------------------------------------------------------
  // Time and number wording.

  const numberFormat = new Intl.NumberFormat('en-GB');
  const clockFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
  const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
  const exactFormat = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const shortFormat = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });

  const count = (n, one, many) => numberFormat.format(n) + ' ' + (n === 1 ? one : many);

  function parseTime(text) {
    if (!text) return null;
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? new Date(ms) : null;
  }

  const serverNow = () => Date.now() + state.clockOffsetMs;

  // "45 seconds", "1 minute", "3 hours", "2 days"
  function durationWords(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return count(s, 'second', 'seconds');
    const m = Math.floor(s / 60);
    if (m < 60) return count(m, 'minute', 'minutes');
    const h = Math.floor(m / 60);
    if (h < 48) return count(h, 'hour', 'hours');
    const d = Math.floor(h / 24);
    if (d < 60) return count(d, 'day', 'days');
    return count(Math.floor(d / 30), 'month', 'months');
  }

  // "just now", "2 minutes ago", "in 23 hours"
  function relativeWords(date) {
    const seconds = (date.getTime() - serverNow()) / 1000;
    if (Math.abs(seconds) < 30) return 'just now';
    return seconds < 0 ? durationWords(-seconds) + ' ago' : 'in ' + durationWords(seconds);
  }

  function isSameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  // "19:57 today", "09:15 tomorrow", "19:57 on Wednesday 25 November"
  function clockAndDay(date) {
    const now = new Date(serverNow());
    const tomorrow = new Date(now.getTime() + 24 * 3600 * 1000);
    const yesterday = new Date(now.getTime() - 24 * 3600 * 1000);
    const clock = clockFormat.format(date);
    if (isSameDay(date, now)) return clock + ' today';
    if (isSameDay(date, tomorrow)) return clock + ' tomorrow';
    if (isSameDay(date, yesterday)) return clock + ' yesterday';
    return clock + ' on ' + dayFormat.format(date);
  }

  // <time> showing "2 minutes ago" with the exact time as its title and datetime.
  function timeElement(text, words) {
    const date = parseTime(text);
    if (!date) return el('span', { className: 'muted' }, 'Never');
    return el('time', {
      datetime: date.toISOString(),
      title: exactFormat.format(date),
    }, words ? words(date) : relativeWords(date));
  }

  // "2 minutes ago" above "24 Nov 2026, 19:57"
  function whenCell(text) {
    const date = parseTime(text);
    if (!date) return [el('span', null, 'Never')];
    return [timeElement(text), el('span', { className: 'cell-detail when' }, shortFormat.format(date))];
  }

  // ---------------------------------------------------------------------------------------------
  // Header, routing, page frame.

  function updateHeader() {
    const signedIn = Boolean(state.user);
    $('account').hidden = !signedIn;
    $('site-nav').hidden = !signedIn || state.mustChange;
    $('account-password').hidden = state.mustChange;
    $('account-name').textContent = signedIn ? state.user.username : '';
    for (const link of document.querySelectorAll('[data-route]')) {
      if (link.dataset.route === state.route) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  const ROUTES = {
    login: { title: 'Sign in', render: renderLogin, public: true },
    password: { title: 'Choose your password', render: renderPassword },
    devices: { title: 'Laptops', render: renderDevices },
    enrol: { title: 'Enrol a laptop', render: renderEnrol },
    filtering: { title: 'Filtering', render: renderFiltering },
    notice: { title: 'Laptop notice', render: renderNotice },
  };

  function routeFromHash() {
    const match = /^#\/([a-z-]+)/.exec(location.hash);
    return match && ROUTES[match[1]] ? match[1] : '';
  }

  // Go to a route, with an optional message to show once it is drawn.
  let pendingMessage = null;
  function navigate(route, message, kind) {
    pendingMessage = message ? { text: message, kind: kind || 'info' } : null;
    if (routeFromHash() === route) {
      render(true);
    } else {
      location.hash = '#/' + route;  // hashchange draws it
    }
  }

  function setHeading(text) {
    $('page-heading').textContent = text;
    document.title = text + ' – clubsafe';
  }

  function render(moveFocus) {
    let route = routeFromHash() || (state.user ? 'devices' : 'login');
    if (!state.user && !ROUTES[route].public) {
      if (route !== 'password') state.afterLogin = route;
      route = 'login';
    } else if (state.user && state.mustChange && route !== 'password') {
      route = 'password';
    } else if (state.user && route === 'login') {
      route = 'devices';
    }
    if ('#/' + route !== location.hash) history.replaceState(null, '', '#/' + route);

    window.clearInterval(state.refreshTimer);
    state.refreshTimer = 0;
    state.route = route;
    state.renderSeq += 1;
    updateHeader();

    const content = $('content');
    clear(content);
    content.setAttribute('aria-busy', 'false');
    const message = pendingMessage;
    pendingMessage = null;
    if (message) showMessage(message.text, message.kind);
    else clearMessage();

    ROUTES[route].render(content, state.renderSeq);
    if (moveFocus) $('page-heading').focus();
  }

  // ---------------------------------------------------------------------------------------------
  // Form helpers.

  function field({ id, label, hint, type = 'text', autocomplete, required, value, maxLength }) {
    const hintId = hint ? id + '-hint' : undefined;
    const errorId = id + '-error';
    const input = el('input', {
      id, name: id, type, autocomplete, className: 'input',
      required: required || undefined,
      'aria-describedby': hintId,
      spellcheck: type === 'text' ? 'false' : undefined,
      autocapitalize: 'none',
    });
    if (maxLength) input.maxLength = maxLength;
    if (value !== undefined) input.value = value;
    const group = el('div', { className: 'field' },
      el('label', { className: 'field__label', for: id }, label),
      hint ? el('p', { className: 'field__hint', id: hintId }, hint) : null,
      el('p', { className: 'field__error', id: errorId, hidden: true }),
      input);
    return { group, input };
  }

  function setFieldError(input, text) {
    const error = $(input.id + '-error');
    const describedBy = (input.getAttribute('aria-describedby') || '')
      .split(' ').filter((id) => id && id !== error.id);
    if (text) {
      error.textContent = text;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      describedBy.push(error.id);
      input.closest('.field').classList.add('field--error');
    } else {
      error.textContent = '';
      error.hidden = true;
      input.removeAttribute('aria-invalid');
      input.closest('.field').classList.remove('field--error');
    }
    if (describedBy.length) input.setAttribute('aria-describedby', describedBy.join(' '));
    else input.removeAttribute('aria-describedby');
  }

  function setBusy(button, busy, busyText) {
    if (busy) {
      button.dataset.idleText = button.textContent;
      button.textContent = busyText;
      button.disabled = true;
    } else {
      if (button.dataset.idleText) button.textContent = button.dataset.idleText;
      button.disabled = false;
    }
  }

  // A modal question with a clear "do it" and "cancel". Resolves true when confirmed, or with
  // askReason the reason typed (required), and false when cancelled.
  function confirmDialog({ title, body, confirmText, cancelText = 'Cancel', askReason = false, danger = true }) {
    return new Promise((resolve) => {
      const titleId = 'dialog-title';
      const bodyId = 'dialog-body';
      const confirmButton = el('button', { type: 'button', className: danger ? 'button button--danger' : 'button' }, confirmText);
      const cancelButton = el('button', { type: 'button', className: 'button button--secondary' }, cancelText);
      const reason = askReason ? field({
        id: 'dialog-reason', label: 'Why are you making this change?', required: true, maxLength: 1000,
        hint: 'Saved in the audit log with your name and the time.',
      }) : null;
      const dialog = el('dialog', { className: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': bodyId },
        el('h2', { id: titleId, className: 'dialog__title' }, title),
        el('div', { id: bodyId, className: 'dialog__body' }, body.map((text) => el('p', null, text))),
        reason ? reason.group : null,
        el('div', { className: 'button-row' }, confirmButton, cancelButton));
      const opener = document.activeElement;
      let answered = false;
      const finish = (answer) => {
        if (answered) return;
        answered = true;
        if (dialog.open) dialog.close();
        dialog.remove();
        if (opener && opener.isConnected) {
          opener.focus();
        } else if (opener && opener.dataset && opener.dataset.focusKey) {
          // The list was redrawn while the question was open: find the same button again.
          const again = document.querySelector('[data-focus-key="' + CSS.escape(opener.dataset.focusKey) + '"]');
          if (again) again.focus();
        }
        resolve(answer);
      };
      confirmButton.addEventListener('click', () => {
        if (!reason) {
          finish(true);
          return;
        }
        const text = reason.input.value.trim();
        if (!text) {
          setFieldError(reason.input, 'Say why you are making this change.');
          reason.input.focus();
          return;
        }
        finish(text);
      });
      cancelButton.addEventListener('click', () => finish(false));
      dialog.addEventListener('close', () => finish(false));
      document.body.appendChild(dialog);
      dialog.showModal();
      (reason ? reason.input : cancelButton).focus();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Sign in.

  function renderLogin(content) {
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
        const data = await api('POST', 'login', { username: name, password: secret });
        setSession(data);
        password.input.value = '';
        if (state.mustChange) {
          navigate('password', 'You signed in with a one-time password. Choose your own password to carry on.', 'info');
        } else {
          const next = state.afterLogin && ROUTES[state.afterLogin] && !ROUTES[state.afterLogin].public
            ? state.afterLogin : 'devices';
          state.afterLogin = 'devices';
          navigate(next);
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

  // ---------------------------------------------------------------------------------------------
  // Choose (or change) your password.

  function renderPassword(content) {
    const first = state.mustChange;
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
    hiddenName.value = state.user ? state.user.username : '';

    const why = el('div', { className: 'explainer' },
      el('h2', { className: 'explainer__title' }, 'Why this matters'),
      el('p', null, 'This console shows what happens on the laptops young people use. ' +
        'A long password keeps that information safe.'),
      el('p', null, 'Use at least ' + MIN_PASSWORD + ' characters. Three or four ordinary words ' +
        'strung together are easy to remember and hard to guess. Don’t use a password you use anywhere else.'));

    const form = el('form', { className: 'form card', novalidate: true, 'aria-labelledby': 'page-heading' },
      first ? el('p', { className: 'lead' },
        'You signed in with a one-time password. Choose your own password before you carry on.') : null,
      hiddenName, current.group, fresh.group, repeat.group,
      el('div', { className: 'button-row' },
        submit,
        first ? null : el('a', { className: 'button button--secondary', href: '#/devices' }, 'Cancel')));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      for (const f of [current, fresh, repeat]) setFieldError(f.input, '');
      const oldValue = current.input.value;
      const newValue = fresh.input.value;
      let firstBad = null;
      const bad = (f, text) => {
        setFieldError(f.input, text);
        if (!firstBad) firstBad = f.input;
      };
      if (!oldValue) bad(current, first ? 'Enter the one-time password you signed in with.' : 'Enter your current password.');
      if (!newValue) {
        bad(fresh, 'Enter a new password of at least ' + MIN_PASSWORD + ' characters.');
      } else if ([...newValue].length < MIN_PASSWORD) {
        bad(fresh, 'Your new password needs at least ' + MIN_PASSWORD + ' characters. It has ' + [...newValue].length + '.');
      } else if (newValue === oldValue) {
        bad(fresh, 'Choose a password that is different from the current one.');
      }
      if (repeat.input.value !== newValue) bad(repeat, 'The two new passwords are not the same. Type them again.');
      if (firstBad) {
        showMessage('Check the password form: there is something to fix.', 'error');
        firstBad.focus();
        return;
      }
      setBusy(submit, true, 'Saving…');
      try {
        await api('POST', 'password', { current_password: oldValue, new_password: newValue });
        state.mustChange = false;
        try {
          setSession(await api('GET', 'session'));
        } catch (_) {
          updateHeader();
        }
        navigate('devices', 'Your new password is saved. Use it next time you sign in.', 'success');
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

    content.appendChild(el('div', { className: 'two-column' }, form, why));
  }

  // ---------------------------------------------------------------------------------------------
  // Laptops.

  function renderDevices(content, seq) {
    setHeading('Laptops');
    const summary = el('div', { className: 'summary', id: 'devices-summary' });
    const updated = el('p', { className: 'refresh-line muted' });
    const refreshButton = el('button', { type: 'button', className: 'button button--secondary button--small' }, 'Check now');
    const body = el('div', { id: 'devices-body' }, el('p', { className: 'muted' }, 'Loading the laptops…'));
    content.append(summary, el('div', { className: 'refresh' }, updated, refreshButton), body);

    const load = async (announce) => {
      content.setAttribute('aria-busy', 'true');
      try {
        const started = Date.now();
        const data = await api('GET', 'devices');
        if (seq !== state.renderSeq) return;
        const now = parseTime(data.now);
        state.clockOffsetMs = now ? now.getTime() - Math.round((started + Date.now()) / 2) : 0;
        drawDevices(data, summary, body);
        updated.textContent = 'Checked at ' + clockFormat.format(new Date()) +
          '. This page checks again every 30 seconds.';
        if (announce) showMessage('Laptop list is up to date.', 'info');
      } catch (error) {
        if (seq !== state.renderSeq) return;
        if (error.status === 0) updated.textContent = 'Last check failed.';
        handleError(error, seq);
      } finally {
        content.setAttribute('aria-busy', 'false');
      }
    };

    refreshButton.addEventListener('click', () => load(true));
    load(false);
    // Check every 30 s while the page is in view; a hidden tab is brought up to date when shown.
    let missed = false;
    state.refreshTimer = window.setInterval(() => {
      if (document.hidden) missed = true;
      else load(false);
    }, REFRESH_MS);
    const onVisible = () => {
      if (seq !== state.renderSeq) {
        document.removeEventListener('visibilitychange', onVisible);
      } else if (!document.hidden && missed) {
        missed = false;
        load(false);
      }
    };
    document.addEventListener('visibilitychange', onVisible);
  }

  function deviceLabel(device) {
    return device.name || device.hostname || device.id;
  }

  function drawDevices(data, summary, body) {
    const devices = Array.isArray(data.devices) ? data.devices : [];
    const active = devices.filter((d) => !d.revoked);
    const removed = devices.filter((d) => d.revoked);

    // Keep keyboard focus where it was when the table is redrawn.
    const focused = document.activeElement;
    const focusKey = focused && body.contains(focused) ? focused.dataset.focusKey : undefined;

    clear(summary);
    clear(body);

    if (active.length === 0) {
      summary.className = 'summary';
      body.appendChild(el('div', { className: 'empty card' },
        el('h2', null, 'No laptops are enrolled yet'),
        el('p', null, 'Enrol each club laptop once, so clubsafe can filter it and you can see that it is reporting. ' +
          'It takes a couple of minutes per laptop.'),
        el('p', null, el('a', { className: 'button', href: '#/enrol' }, 'Enrol a laptop'))));
    } else {
      drawSummary(active, summary);
      body.appendChild(devicesTable(active, 'devices-table', 'Enrolled laptops', true));
    }

    if (removed.length) {
      body.appendChild(el('details', { className: 'removed' },
        el('summary', null, 'Removed laptops (' + numberFormat.format(removed.length) + ')'),
        el('p', { className: 'muted' }, 'These laptops no longer report. To bring one back, enrol it again.'),
        devicesTable(removed, 'removed-table', 'Removed laptops', false)));
    }

    if (focusKey) {
      const again = body.querySelector('[data-focus-key="' + CSS.escape(focusKey) + '"]');
      if (again) again.focus();
    }
  }

  function drawSummary(active, summary) {
    const online = active.filter((d) => d.online);
    const offline = active.filter((d) => !d.online);
    const neverSeen = offline.filter((d) => !parseTime(d.last_seen));
    const silent = offline.filter((d) => parseTime(d.last_seen));
    let text;
    if (offline.length === 0) {
      text = active.length === 1
        ? 'The laptop is reporting.'
        : 'All ' + numberFormat.format(active.length) + ' laptops are reporting.';
    } else {
      text = numberFormat.format(online.length) + ' of ' + count(active.length, 'laptop', 'laptops') + ' reporting';
      const parts = [];
      if (silent.length) {
        const oldest = Math.min(...silent.map((d) => parseTime(d.last_seen).getTime()));
        const gap = durationWords((serverNow() - oldest) / 1000);
        parts.push(silent.length === 1
          ? '1 not seen for ' + gap
          : numberFormat.format(silent.length) + ' not seen recently, the longest for ' + gap);
      }
      if (neverSeen.length) {
        parts.push(numberFormat.format(neverSeen.length) + ' enrolled but not reported yet');
      }
      text += '; ' + parts.join('; ') + '.';
    }
    summary.className = 'summary ' + (offline.length ? 'summary--warning' : 'summary--ok');
    summary.appendChild(el('p', { className: 'summary__text' },
      el('span', { className: 'summary__icon', 'aria-hidden': 'true' }, offline.length ? '!' : '✓'),
      el('span', { id: 'devices-summary-text' }, text)));
    if (offline.length) {
      summary.appendChild(el('p', { className: 'summary__hint' },
        'A laptop that is switched off or away from the internet shows as Offline. ' +
        'If one stays Offline on a day it was used, check that it is connected and that the clubsafe agent is running on it.'));
    }
  }

  function queueWords(device) {
    const backlog = Number(device.backlog) || 0;
    const lag = Number(device.queue_lag_seconds) || 0;
    if (backlog <= 0) return { text: 'up to date', behind: false };
    let text = count(backlog, 'event', 'events') + ' waiting';
    if (lag >= 60) text += ', ' + durationWords(lag) + ' behind';
    if (!device.online) text += ' (at last report)';
    return { text, behind: true };
  }

  function statusBadge(device) {
    if (device.revoked) return el('span', { className: 'badge badge--neutral' }, 'Removed');
    if (device.online) return el('span', { className: 'badge badge--ok' }, 'Online');
    if (!parseTime(device.last_seen)) return el('span', { className: 'badge badge--waiting' }, 'Not reported yet');
    return el('span', { className: 'badge badge--bad' }, 'Offline');
  }

  function devicesTable(devices, id, caption, withActions) {
    const sorted = devices.slice().sort((a, b) =>
      Number(a.online) - Number(b.online) ||
      deviceLabel(a).localeCompare(deviceLabel(b), 'en-GB', { numeric: true, sensitivity: 'base' }));
    const headings = ['Name', 'Host name', 'Last seen', 'Status', 'Queue', 'Agent version'];
    if (withActions) headings.push('Action');
    const head = el('tr', null, headings.map((h) => el('th', { scope: 'col' }, h)));
    const rows = sorted.map((device) => {
      const queue = queueWords(device);
      const cells = [
        el('th', { scope: 'row', className: 'cell-name', 'data-label': 'Name' },
          el('span', { className: 'device-name' }, deviceLabel(device)),
          device.os ? el('span', { className: 'cell-detail' }, device.os) : null),
        el('td', { 'data-label': 'Host name' }, el('span', { className: 'mono' }, device.hostname || '–')),
        el('td', { 'data-label': 'Last seen' }, whenCell(device.last_seen)),
        el('td', { 'data-label': 'Status' }, statusBadge(device)),
        el('td', { 'data-label': 'Queue', className: queue.behind ? 'queue queue--behind' : 'queue' }, queue.text),
        el('td', { 'data-label': 'Agent version' }, device.agent_version || '–'),
      ];
      if (withActions) {
        const button = el('button', {
          type: 'button', className: 'button button--danger-quiet button--small',
          'aria-label': 'Remove ' + deviceLabel(device),
          dataset: { focusKey: 'remove:' + device.id },
        }, 'Remove');
        button.addEventListener('click', () => removeDevice(device));
        cells.push(el('td', { 'data-label': 'Action' }, button));
      }
      return el('tr', { dataset: { deviceId: device.id }, className: device.online || device.revoked ? '' : 'row--offline' }, cells);
    });
    return el('div', { className: 'table-wrap' },
      el('table', { className: 'table', id },
        el('caption', { className: 'visually-hidden' }, caption),
        el('thead', null, head),
        el('tbody', null, rows)));
  }

  async function removeDevice(device) {
    const name = deviceLabel(device);
    const yes = await confirmDialog({
      title: 'Remove “' + name + '”?',
      body: [
        'This laptop will stop reporting to clubsafe straight away: the server will refuse everything it sends from now on, ' +
          'so you will no longer see whether it is switched on, filtered or used.',
        'What it has already reported stays on the server. To bring it back later, enrol it again with a new command.',
      ],
      confirmText: 'Remove laptop',
    });
    if (!yes) return;
    const seq = state.renderSeq;
    try {
      await api('POST', 'devices/' + encodeURIComponent(device.id) + '/revoke');
      if (seq !== state.renderSeq) return;
      pendingMessage = { text: '“' + name + '” has been removed. It no longer reports.', kind: 'success' };
      render(true);
    } catch (error) {
      handleError(error, seq);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Enrol a laptop.

  function renderEnrol(content, seq) {
    setHeading('Enrol a laptop');
    const label = field({
      id: 'token-label', label: 'Label (optional)',
      hint: 'A note for yourself, such as “Laptop 3, games room”. It is shown in the list of commands below.',
      maxLength: 100,
    });
    const submit = el('button', { type: 'submit', className: 'button' }, 'Create enrolment command');
    const form = el('form', { className: 'form card', novalidate: true, 'aria-labelledby': 'enrol-intro-title' },
      el('h2', { id: 'enrol-intro-title' }, 'Make a command for one laptop'),
      el('p', null, 'Each laptop is enrolled once with a command you make here. ' +
        'A command works for one laptop only and stops working after it is used or when it expires.'),
      label.group,
      el('div', { className: 'button-row' }, submit));
    const result = el('section', { id: 'enrol-result', className: 'result', hidden: true, 'aria-labelledby': 'enrol-result-title' });
    const tokens = el('section', { className: 'tokens', 'aria-labelledby': 'tokens-title' },
      el('h2', { id: 'tokens-title' }, 'Enrolment commands you have made'),
      el('div', { id: 'tokens-body' }, el('p', { className: 'muted' }, 'Loading…')));
    content.append(form, result, tokens);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      setBusy(submit, true, 'Creating…');
      try {
        const data = await api('POST', 'enrolment-tokens', { label: label.input.value.trim() });
        if (seq !== state.renderSeq) return;
        label.input.value = '';
        await drawEnrolResult(result, data, seq);
        showMessage('Enrolment command created. Copy it now: it is shown only once.', 'success');
        $('enrol-result-title').focus();
        loadTokens(seq);
      } catch (error) {
        handleError(error, seq);
      } finally {
        setBusy(submit, false);
      }
    });

    loadTokens(seq);
  }

  async function drawEnrolResult(result, data, seq) {
    clear(result);
    const expires = parseTime(data.expires_at);
    const box = el('textarea', {
      id: 'enrol-command', className: 'command', readOnly: true,
      rows: Math.min(8, Math.max(3, Math.ceil(String(data.command || '').length / 64) + 1)),
      spellcheck: 'false', autocapitalize: 'none', 'aria-describedby': 'enrol-expiry',
    });
    box.value = data.command || '';
    box.addEventListener('focus', () => box.select());
    const copyStatus = el('span', { className: 'copy-status', role: 'status', 'aria-live': 'polite' });
    const copy = el('button', { type: 'button', className: 'button', id: 'copy-command' }, 'Copy command');
    copy.addEventListener('click', async () => {
      let done = false;
      try {
        await navigator.clipboard.writeText(box.value);
        done = true;
      } catch (_) {
        box.focus();
        box.select();
        try {
          done = document.execCommand('copy');
        } catch (__) {
          done = false;
        }
      }
      copyStatus.textContent = done
        ? 'Copied. Paste it into the terminal on the laptop.'
        : 'Could not copy automatically. The command is selected: press Ctrl+C to copy it.';
    });

    const expiryText = expires
      ? 'This command works once, until ' + clockAndDay(expires) + ' (' + relativeWords(expires) + ').'
      : 'This command works once.';

    append(result, [
      el('h2', { id: 'enrol-result-title', tabIndex: -1 }, 'Your enrolment command'),
      el('label', { for: 'enrol-command', className: 'field__label' }, 'Command to paste on the laptop'),
      box,
      el('div', { className: 'button-row' }, copy, copyStatus),
      el('p', { id: 'enrol-expiry', className: 'expiry' }, expiryText,
        ' It is shown only this once: if you lose it, make a new one.'),
      el('h3', null, 'What to do on the laptop'),
      el('ol', { className: 'steps' },
        el('li', null, 'Install the clubsafe-agent package on the laptop.'),
        el('li', null, 'Open a terminal and paste this command. It asks for the laptop’s administrator password.'),
        el('li', null, 'The laptop appears on the ', el('a', { href: '#/devices' }, 'Laptops page'), ' within a minute.')),
    ]);
    result.hidden = false;

    // The certificate fingerprint, for a helper who wants to check they reach the right server.
    try {
      const server = await api('GET', 'server');
      if (seq !== state.renderSeq || !server || !server.fingerprint) return;
      result.appendChild(el('details', { className: 'server-details' },
        el('summary', null, 'Server details for IT helpers'),
        el('dl', { className: 'details-list' },
          server.url ? [el('dt', null, 'Server address'), el('dd', { className: 'mono' }, server.url)] : null,
          [el('dt', null, 'Certificate fingerprint (SHA-256)'), el('dd', { className: 'mono wrap' }, server.fingerprint)],
          server.version ? [el('dt', null, 'Server version'), el('dd', null, server.version)] : null)));
    } catch (_) {
      // Only a nicety: the command itself carries what the agent needs.
    }
  }

  const TOKEN_STATES = {
    active: { text: 'Active', badge: 'badge--ok' },
    used: { text: 'Used', badge: 'badge--neutral' },
    expired: { text: 'Expired', badge: 'badge--neutral' },
    revoked: { text: 'Revoked', badge: 'badge--neutral' },
  };

  async function loadTokens(seq) {
    const body = $('tokens-body');
    try {
      const [tokenData, deviceData] = await Promise.all([
        api('GET', 'enrolment-tokens'),
        api('GET', 'devices').catch(() => ({ devices: [] })),
      ]);
      if (seq !== state.renderSeq) return;
      const names = new Map((deviceData.devices || []).map((d) => [d.id, deviceLabel(d)]));
      drawTokens(body, tokenData.tokens || [], names, seq);
    } catch (error) {
      if (seq !== state.renderSeq) return;
      clear(body);
      body.appendChild(el('p', { className: 'muted' }, 'The list of commands could not be loaded.'));
      handleError(error, seq);
    }
  }

  function drawTokens(body, tokens, names, seq) {
    const focused = document.activeElement;
    const focusKey = focused && body.contains(focused) ? focused.dataset.focusKey : undefined;
    clear(body);
    if (!tokens.length) {
      body.appendChild(el('p', { className: 'muted' }, 'None yet. Commands you make appear here, so you can see which were used.'));
      return;
    }
    const sorted = tokens.slice().sort((a, b) => (Date.parse(b.created_at) || 0) - (Date.parse(a.created_at) || 0));
    const rows = sorted.map((token) => {
      const known = TOKEN_STATES[token.state] || { text: String(token.state || 'Unknown'), badge: 'badge--neutral' };
      let detail = null;
      if (token.state === 'used') {
        const who = token.used_by_device ? (names.get(token.used_by_device) || token.used_by_device) : '';
        detail = el('span', { className: 'cell-detail' },
          who ? 'by ' + who : null, token.used_at ? [who ? ', ' : '', timeElement(token.used_at)] : null);
      }
      const label = token.label || 'No label';
      let action = el('span', { className: 'muted' }, '–');
      if (token.state === 'active') {
        action = el('button', {
          type: 'button', className: 'button button--danger-quiet button--small',
          'aria-label': 'Revoke the command “' + label + '”',
          dataset: { focusKey: 'revoke:' + token.id },
        }, 'Revoke');
        action.addEventListener('click', () => revokeToken(token, label, seq));
      }
      return el('tr', null,
        el('th', { scope: 'row', 'data-label': 'Label' }, el('span', { className: token.label ? '' : 'muted' }, label)),
        el('td', { 'data-label': 'Made' }, whenCell(token.created_at),
          token.created_by ? el('span', { className: 'cell-detail' }, 'by ' + token.created_by) : null),
        el('td', { 'data-label': 'Expires' }, whenCell(token.expires_at)),
        el('td', { 'data-label': 'State' }, el('span', { className: 'badge ' + known.badge }, known.text), detail),
        el('td', { 'data-label': 'Action' }, action));
    });
    body.appendChild(el('div', { className: 'table-wrap' },
      el('table', { className: 'table', id: 'tokens-table' },
        el('caption', { className: 'visually-hidden' }, 'Enrolment commands'),
        el('thead', null, el('tr', null, ['Label', 'Made', 'Expires', 'State', 'Action'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', null, rows))));
    if (focusKey) {
      const again = body.querySelector('[data-focus-key="' + CSS.escape(focusKey) + '"]');
      if (again) again.focus();
    }
  }

  async function revokeToken(token, label, seq) {
    const yes = await confirmDialog({
      title: 'Revoke this enrolment command?',
      body: ['Nobody will be able to use the command “' + label + '” to enrol a laptop. Laptops already enrolled are not affected.'],
      confirmText: 'Revoke command',
    });
    if (!yes) return;
    try {
      await api('POST', 'enrolment-tokens/' + encodeURIComponent(token.id) + '/revoke');
      if (seq !== state.renderSeq) return;
      showMessage('The command “' + label + '” has been revoked.', 'success');
      await loadTokens(seq);
      const heading = $('tokens-title');
      if (heading && document.activeElement === document.body) {
        heading.tabIndex = -1;
        heading.focus();
      }
    } catch (error) {
      handleError(error, seq);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Filtering: profiles by age group and the category lists they block.

  const SAFE_SEARCH = [
    { value: 'strict', text: 'Strict', hint: 'Search engines and YouTube hide adult results.' },
    { value: 'moderate', text: 'Moderate', hint: 'YouTube hides fewer videos; search engines stay strict.' },
    { value: 'off', text: 'Off', hint: 'Search engines answer as they are.' },
  ];

  const safeSearchText = (value) => (SAFE_SEARCH.find((level) => level.value === value) || { text: value }).text;

  // One site a line: lower case, no spaces, no trailing dot, each once.
  function siteLines(text) {
    const seen = new Set();
    for (const line of text.split('\n')) {
      const site = line.trim().toLowerCase().replace(/\.$/, '');
      if (site) seen.add(site);
    }
    return [...seen];
  }

  function textAreaField({ id, label, hint, value, rows = 4 }) {
    const hintId = hint ? id + '-hint' : undefined;
    const input = el('textarea', {
      id, name: id, className: 'input', rows, spellcheck: 'false', autocapitalize: 'none',
      'aria-describedby': hintId,
    });
    input.value = value || '';
    const group = el('div', { className: 'field' },
      el('label', { className: 'field__label', for: id }, label),
      hint ? el('p', { className: 'field__hint', id: hintId }, hint) : null,
      el('p', { className: 'field__error', id: id + '-error', hidden: true }),
      input);
    return { group, input };
  }

  function renderFiltering(content, seq) {
    setHeading('Filtering');
    content.append(
      el('p', { className: 'lead' },
        'Choose what each age group can reach. Laptops pick up a change within a couple of minutes, ' +
        'in the club or away from it. Illegal content is always blocked, whatever a profile says.'),
      el('section', { className: 'filtering-section', 'aria-labelledby': 'profiles-title' },
        el('h2', { id: 'profiles-title' }, 'Profiles'),
        el('div', { id: 'profiles-body' }, el('p', { className: 'muted' }, 'Loading…'))),
      el('section', { id: 'profile-editor', className: 'card filtering-editor', hidden: true, 'aria-labelledby': 'profile-editor-title' }),
      el('section', { className: 'filtering-section', 'aria-labelledby': 'lists-title' },
        el('h2', { id: 'lists-title' }, 'Category lists'),
        el('div', { id: 'lists-body' }, el('p', { className: 'muted' }, 'Loading…'))),
      importListForm(seq));
    loadFiltering(seq);
  }

  const MAX_LIST_BYTES = 64 * 1024 * 1024;

  // The text of a chosen file; .gz files are decompressed here, as the server takes text.
  async function fileText(file) {
    if (!/\.gz$/i.test(file.name)) return file.text();
    const stream = file.stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }

  function importListForm(seq) {
    const category = field({
      id: 'list-category', label: 'Category', required: true, maxLength: 40,
      hint: 'Lower-case letters, digits, “-” and “_”, such as gambling. Profiles block categories by this name.',
    });
    const source = field({
      id: 'list-source', label: 'Where the list comes from', required: true, maxLength: 100,
      hint: 'Such as ut1/gambling or club-extra. Importing the same category and source again replaces that list.',
    });
    const format = el('select', { id: 'list-format', name: 'list-format', className: 'input' },
      [['plain', 'One site a line'], ['hosts', 'Hosts file (0.0.0.0 site)'],
        ['adblock', 'AdBlock rules (||site^)'], ['ut1', 'UT1 domains file']]
        .map(([value, text]) => el('option', { value }, text)));
    const file = el('input', { id: 'list-file', name: 'list-file', type: 'file', className: 'input', 'aria-describedby': 'list-file-hint' });
    const reason = field({
      id: 'list-reason', label: 'Why are you making this change?', required: true, maxLength: 1000,
      hint: 'Saved in the audit log with your name and the time.',
    });
    const submit = el('button', { type: 'submit', className: 'button' }, 'Import list');
    const form = el('form', { className: 'form', novalidate: true },
      category.group, source.group,
      el('div', { className: 'field' }, el('label', { className: 'field__label', for: 'list-format' }, 'Format'), format),
      el('div', { className: 'field' },
        el('label', { className: 'field__label', for: 'list-file' }, 'List file'),
        el('p', { className: 'field__hint', id: 'list-file-hint' }, 'A text file, or the same compressed with gzip (.gz). At most 64 MB.'),
        el('p', { className: 'field__error', id: 'list-file-error', hidden: true }),
        file),
      reason.group,
      el('div', { className: 'button-row' }, submit));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      for (const input of [category.input, source.input, file, reason.input]) setFieldError(input, '');
      const chosen = file.files && file.files[0];
      const problems = [];
      if (!/^[a-z0-9_-]{1,40}$/.test(category.input.value.trim())) {
        problems.push([category.input, 'Use 1 to 40 lower-case letters, digits, “-” and “_”.']);
      }
      if (!source.input.value.trim()) problems.push([source.input, 'Say where the list comes from.']);
      if (!chosen) problems.push([file, 'Choose the list file.']);
      else if (chosen.size > MAX_LIST_BYTES) problems.push([file, 'This file is larger than 64 MB: split it into several lists.']);
      if (!reason.input.value.trim()) problems.push([reason.input, 'Say why you are making this change.']);
      if (problems.length) {
        for (const [input, text] of problems) setFieldError(input, text);
        showMessage('Check the highlighted fields.', 'error');
        problems[0][0].focus();
        return;
      }
      setBusy(submit, true, 'Importing…');
      try {
        const text = await fileText(chosen);
        const data = await api('POST', 'filtering/lists', {
          category: category.input.value.trim(),
          source: source.input.value.trim(),
          format: format.value,
          text,
          reason: reason.input.value.trim(),
        });
        if (seq !== state.renderSeq) return;
        const list = data.list;
        let words = 'Imported ' + list.category + ' from ' + list.source + ': ' + count(list.names, 'site', 'sites');
        if (list.bad_lines) {
          words += ', ' + count(list.bad_lines, 'line', 'lines') + ' skipped (' +
            Object.entries(list.bad_reasons || {}).map(([why, n]) => why + ': ' + numberFormat.format(n)).join('; ') + ')';
        }
        pendingMessage = { text: words + '. Laptops pick it up within a couple of minutes.', kind: 'success' };
        render(true);
      } catch (error) {
        setBusy(submit, false);
        if (error instanceof ApiError) handleError(error, seq);
        else showMessage('The file could not be read. If it is compressed, check it is a .gz file.', 'error');
      }
    });

    return el('section', { id: 'import-list', className: 'card filtering-editor', 'aria-labelledby': 'import-title' },
      el('h2', { id: 'import-title' }, 'Import a list'),
      el('p', null, 'Add the sites of a list to a category. Lists such as UT1’s come one file per category.'),
      form);
  }

  // Asks for a reason, then makes a filtering change and redraws the page with `done`.
  async function filteringChange({ title, body, confirmText, danger, path, payload, done }) {
    const reason = await confirmDialog({ title, body, confirmText, danger, askReason: true });
    if (!reason) return;
    const seq = state.renderSeq;
    try {
      const data = await api('POST', path, { ...payload, reason });
      if (seq !== state.renderSeq) return;
      pendingMessage = { text: done + ' (policy version ' + numberFormat.format(data.policy_version) + ').', kind: 'success' };
      render(true);
    } catch (error) {
      handleError(error, seq);
    }
  }

  async function loadFiltering(seq) {
    try {
      const [profiles, categories] = await Promise.all([
        api('GET', 'filtering/profiles'),
        api('GET', 'filtering/categories'),
      ]);
      if (seq !== state.renderSeq) return;
      drawProfiles(profiles, categories.categories || [], seq);
      drawCategories(categories);
    } catch (error) {
      if (seq !== state.renderSeq) return;
      for (const id of ['profiles-body', 'lists-body']) {
        clear($(id));
        $(id).appendChild(el('p', { className: 'muted' }, 'This could not be loaded.'));
      }
      handleError(error, seq);
    }
  }

  function drawProfiles(data, categories, seq) {
    const body = $('profiles-body');
    clear(body);
    const rows = (data.profiles || []).map((profile) => {
      const blocked = profile.blocked_categories || [];
      const edit = el('button', {
        type: 'button', className: 'button button--secondary button--small',
        'aria-label': 'Edit ' + profile.name,
        dataset: { focusKey: 'edit:' + profile.id },
      }, 'Edit');
      edit.addEventListener('click', () => openProfileEditor(profile, categories, seq));
      let makeDefault = null;
      if (profile.id !== data.default_profile) {
        makeDefault = el('button', {
          type: 'button', className: 'button button--secondary button--small',
          'aria-label': 'Make ' + profile.name + ' the default',
          dataset: { focusKey: 'default:' + profile.id },
        }, 'Make default');
        makeDefault.addEventListener('click', () => filteringChange({
          title: 'Make “' + profile.name + '” the default profile?',
          body: ['Laptops will use this profile whenever nobody has signed in.'],
          confirmText: 'Make default', danger: false,
          path: 'filtering/default-profile', payload: { profile: profile.id },
          done: '“' + profile.name + '” is now the default profile',
        }));
      }
      return el('tr', { dataset: { profileId: profile.id } },
        el('th', { scope: 'row', 'data-label': 'Profile' },
          el('span', { className: 'profile-name' }, profile.name),
          profile.id === data.default_profile
            ? el('span', { className: 'badge badge--ok profile-default' }, 'Default') : null,
          el('span', { className: 'cell-detail mono' }, profile.id)),
        el('td', { 'data-label': 'Age bands' },
          (profile.age_bands || []).length ? profile.age_bands.join(', ') : el('span', { className: 'muted' }, 'None')),
        el('td', { 'data-label': 'Safe search' }, safeSearchText(profile.safe_search)),
        el('td', { 'data-label': 'Blocked categories' },
          count(blocked.length, 'category', 'categories'),
          blocked.length ? el('span', { className: 'cell-detail' }, blocked.join(', ')) : null),
        el('td', { 'data-label': 'Own sites' },
          count((profile.allow || []).length, 'allowed', 'allowed'), ', ',
          count((profile.block || []).length, 'blocked', 'blocked')),
        el('td', { 'data-label': 'Action' }, el('div', { className: 'button-row button-row--tight' }, edit, makeDefault)));
    });
    body.append(
      el('div', { className: 'table-wrap' },
        el('table', { className: 'table', id: 'profiles-table' },
          el('caption', { className: 'visually-hidden' }, 'Filtering profiles'),
          el('thead', null, el('tr', null,
            ['Profile', 'Age bands', 'Safe search', 'Blocked categories', 'Own sites', 'Action']
              .map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', null, rows))),
      el('p', { className: 'form__help' },
        'The default profile applies when nobody has signed in on a laptop. ' +
        'Policy version ' + numberFormat.format(data.policy_version || 0) + '.'));
  }

  function openProfileEditor(profile, categories, seq) {
    const editor = $('profile-editor');
    clear(editor);
    const name = field({ id: 'profile-name', label: 'Name shown to people', required: true, value: profile.name, maxLength: 100 });

    const safeSearch = el('fieldset', { className: 'field choices' },
      el('legend', { className: 'field__label' }, 'Safe search'),
      SAFE_SEARCH.map((level) => {
        const id = 'safe-search-' + level.value;
        const radio = el('input', { type: 'radio', name: 'safe-search', id, value: level.value, className: 'choice__input' });
        radio.checked = profile.safe_search === level.value;
        return el('div', { className: 'choice' }, radio,
          el('label', { for: id, className: 'choice__label' }, level.text,
            el('span', { className: 'choice__hint' }, level.hint)));
      }));

    const names = new Map(categories.map((c) => [c.category, c.names]));
    const all = [...new Set([...names.keys(), ...(profile.blocked_categories || [])])].sort();
    const blocked = new Set(profile.blocked_categories || []);
    const categoryBoxes = el('fieldset', { className: 'field choices choices--columns' },
      el('legend', { className: 'field__label' }, 'Blocked categories'),
      all.length ? null : el('p', { className: 'field__hint' }, 'No category lists are imported yet.'),
      all.map((category) => {
        const id = 'category-' + category;
        const box = el('input', { type: 'checkbox', id, value: category, className: 'choice__input' });
        box.checked = blocked.has(category);
        return el('div', { className: 'choice' }, box,
          el('label', { for: id, className: 'choice__label' }, category,
            el('span', { className: 'choice__hint' }, names.has(category)
              ? count(names.get(category), 'site', 'sites') : 'no list imported yet')));
      }));

    const allow = textAreaField({
      id: 'profile-allow', label: 'Always allow these sites',
      hint: 'One site a line, such as bbc.co.uk. Its subdomains are allowed too. Illegal content stays blocked.',
      value: (profile.allow || []).join('\n'),
    });
    const block = textAreaField({
      id: 'profile-block', label: 'Always block these sites',
      hint: 'One site a line. Its subdomains are blocked too.',
      value: (profile.block || []).join('\n'),
    });
    const reason = field({
      id: 'profile-reason', label: 'Why are you making this change?', required: true, maxLength: 1000,
      hint: 'Saved in the audit log with your name and the time.',
    });
    const save = el('button', { type: 'submit', className: 'button' }, 'Save profile');
    const cancel = el('button', { type: 'button', className: 'button button--secondary' }, 'Cancel');
    const form = el('form', { className: 'form', novalidate: true },
      name.group, safeSearch, categoryBoxes, allow.group, block.group, reason.group,
      el('div', { className: 'button-row' }, save, cancel));
    const title = el('h2', { id: 'profile-editor-title', tabIndex: -1 }, 'Edit “' + profile.name + '”');
    editor.append(title, form);
    editor.hidden = false;
    title.focus();

    cancel.addEventListener('click', () => {
      editor.hidden = true;
      clear(editor);
      const again = document.querySelector('[data-focus-key="' + CSS.escape('edit:' + profile.id) + '"]');
      if (again) again.focus();
    });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      for (const f of [name, allow, block, reason]) setFieldError(f.input, '');
      const why = reason.input.value.trim();
      const shownName = name.input.value.trim();
      if (!shownName) setFieldError(name.input, 'Give the profile a name.');
      if (!why) setFieldError(reason.input, 'Say why you are making this change.');
      if (!shownName || !why) {
        showMessage('Check the highlighted fields.', 'error');
        (!shownName ? name.input : reason.input).focus();
        return;
      }
      const chosen = form.querySelector('input[name="safe-search"]:checked');
      const changed = {
        ...profile,
        name: shownName,
        safe_search: chosen ? chosen.value : profile.safe_search,
        blocked_categories: [...categoryBoxes.querySelectorAll('input:checked')].map((box) => box.value),
        allow: siteLines(allow.input.value),
        block: siteLines(block.input.value),
      };
      setBusy(save, true, 'Saving…');
      try {
        const data = await api('POST', 'filtering/profiles/' + encodeURIComponent(profile.id),
          { profile: changed, reason: why });
        if (seq !== state.renderSeq) return;
        pendingMessage = {
          text: '“' + shownName + '” is saved (policy version ' + numberFormat.format(data.policy_version) +
            '). Laptops pick it up within a couple of minutes.',
          kind: 'success',
        };
        render(true);
      } catch (error) {
        setBusy(save, false);
        // The server names the field it refused ("profile.allow[2]: …"): show it there too.
        const fields = { name: name.input, allow: allow.input, block: block.input };
        const match = error.status === 400 ? /^profile\.(name|allow|block)\b/.exec(error.message) : null;
        if (match) {
          setFieldError(fields[match[1]], error.message.replace(/^[^:]*:\s*/, ''));
          showMessage('The profile was not saved: ' + error.message, 'error');
          fields[match[1]].focus();
          return;
        }
        handleError(error, seq);
      }
    });
  }

  function removeListButton(list) {
    const name = list.category + ' from ' + list.source;
    const button = el('button', {
      type: 'button', className: 'button button--danger-quiet button--small list-remove',
      'aria-label': 'Remove the list ' + name,
      dataset: { focusKey: 'remove-list:' + list.id },
    }, 'Remove');
    button.addEventListener('click', () => filteringChange({
      title: 'Remove the list ' + name + '?',
      body: ['Laptops stop blocking its ' + count(list.names, 'site', 'sites') + ' (unless another list has them) ' +
        'within a couple of minutes.'],
      confirmText: 'Remove list',
      path: 'filtering/lists/' + encodeURIComponent(list.id) + '/delete', payload: {},
      done: 'The list ' + name + ' has been removed',
    }));
    return button;
  }

  function drawCategories(data) {
    const body = $('lists-body');
    clear(body);
    const categories = data.categories || [];
    if (!categories.length) {
      body.appendChild(el('p', { className: 'empty' },
        'No category lists are imported yet, so laptops block only illegal content and the profiles’ own block lists. ' +
        'Import lists below, or on the server with “clubsafe-collector import-list”.'));
      return;
    }
    const rows = categories.map((category) => el('tr', null,
      el('th', { scope: 'row', 'data-label': 'Category' }, el('span', { className: 'mono' }, category.category)),
      el('td', { 'data-label': 'Sites' }, numberFormat.format(category.names)),
      el('td', { 'data-label': 'Lists' }, (category.lists || []).map((list) => el('span', { className: 'list-source' },
        el('span', { className: 'mono' }, list.source), ' (' + list.format + '): ',
        count(list.names, 'site', 'sites'),
        list.bad_lines ? ', ' + count(list.bad_lines, 'line', 'lines') + ' skipped' : '',
        el('span', { className: 'cell-detail' }, 'imported by ' + list.imported_by + ', ',
          timeElement(list.imported_at)),
        removeListButton(list))))));
    body.appendChild(el('div', { className: 'table-wrap' },
      el('table', { className: 'table', id: 'categories-table' },
        el('caption', { className: 'visually-hidden' }, 'Category lists'),
        el('thead', null, el('tr', null, ['Category', 'Sites', 'Lists'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', null, rows))));
  }


  // ---------------------------------------------------------------------------------------------
  // Laptop notice: the words young people read when a session starts, and the workers' PINs.

  // The limits of docs/POLICY.md, in bytes of UTF-8 as the server counts them.
  const NOTICE = { clubName: 100, paragraphs: 20, paragraph: 600, policyUrl: 300 };
  const utf8Bytes = (text) => new TextEncoder().encode(text).length;

  // Paragraphs are separated by an empty line; single line breaks inside one become spaces.
  function noticeParagraphs(text) {
    return text.split(/\n[ \t]*\n/)
      .map((block) => block.split('\n').map((line) => line.trim()).filter(Boolean).join(' '))
      .filter(Boolean);
  }

  function renderNotice(content, seq) {
    setHeading('Laptop notice');
    content.append(
      el('p', { className: 'lead' },
        'Every time someone starts using a club laptop, it first shows this notice. It tells young people ' +
        'that the laptop is monitored, what is recorded and why. They press “I understand” before they carry on.'),
      el('section', { className: 'filtering-section', 'aria-labelledby': 'notice-title' },
        el('h2', { id: 'notice-title' }, 'What the notice says'),
        el('div', { id: 'notice-body' }, el('p', { className: 'muted' }, 'Loading…'))),
      el('section', { className: 'filtering-section', 'aria-labelledby': 'workers-title' },
        el('h2', { id: 'workers-title' }, 'Worker PINs'),
        el('p', null, 'A youth worker types their PIN on a laptop to sign in as staff, or to unlock a blocked site ' +
          'for a short while. Give each worker their own PIN. clubsafe keeps only a scrambled form of it: ' +
          'nobody can read a PIN back, not even here. If a worker forgets theirs, remove them and add them again.'),
        el('div', { id: 'workers-body' }, el('p', { className: 'muted' }, 'Loading…')),
        addWorkerForm(seq)));
    loadNotice(seq);
    loadWorkers(seq);
  }

  async function loadNotice(seq) {
    const body = $('notice-body');
    try {
      const data = await api('GET', 'notice');
      if (seq !== state.renderSeq) return;
      clear(body);
      body.appendChild(noticeEditor(data.notice || { club_name: '', paragraphs: [], policy_url: '' }, data.policy_version, seq));
    } catch (error) {
      if (seq !== state.renderSeq) return;
      clear(body);
      body.appendChild(el('p', { className: 'muted' }, 'The notice could not be loaded.'));
      handleError(error, seq);
    }
  }

  // What the laptop shows, drawn from the form as it is typed.
  function drawNoticePreview(preview, clubName, paragraphs, policyUrl) {
    clear(preview);
    append(preview, [
      el('p', { className: 'notice-preview__label' }, 'Preview'),
      el('h3', { className: 'notice-preview__club' }, clubName || 'Your club’s name'),
      paragraphs.length
        ? paragraphs.map((text) => el('p', null, text))
        : el('p', { className: 'muted' }, 'The notice has no words yet.'),
      policyUrl
        ? el('p', null, 'Read the club’s online safety policy: ', el('span', { className: 'notice-preview__link' }, policyUrl))
        : el('p', null, 'Ask a youth worker if you would like to read the club’s online safety policy.'),
      el('p', { className: 'notice-preview__button', 'aria-hidden': 'true' }, 'I understand'),
    ]);
  }

  function noticeEditor(notice, policyVersion, seq) {
    const clubName = field({
      id: 'notice-club', label: 'Club name', required: true, maxLength: NOTICE.clubName, value: notice.club_name,
      hint: 'Shown at the top of the notice.',
    });
    const words = textAreaField({
      id: 'notice-words', label: 'The notice', rows: 14,
      hint: 'Write it for a 10-year-old: short sentences and everyday words. Leave an empty line between paragraphs ' +
        '(up to ' + NOTICE.paragraphs + ' paragraphs of up to ' + NOTICE.paragraph + ' characters each). ' +
        'Only say what is true: the laptops record apps used, websites visited, searches and what was blocked; ' +
        'they never take pictures of the screen or record what is typed in messages.',
      value: (notice.paragraphs || []).join('\n\n'),
    });
    words.input.spellcheck = true;
    words.input.setAttribute('autocapitalize', 'sentences');
    const policyUrl = field({
      id: 'notice-policy-url', label: 'Link to your online safety policy (optional)', type: 'url',
      maxLength: NOTICE.policyUrl, value: notice.policy_url,
      hint: 'A web address starting with https://, such as https://yourclub.org/online-safety.pdf. ' +
        'Without one, the notice tells young people to ask a youth worker for the policy.',
    });
    const reason = field({
      id: 'notice-reason', label: 'Why are you making this change?', required: true, maxLength: 1000,
      hint: 'Saved in the audit log with your name and the time.',
    });
    const save = el('button', { type: 'submit', className: 'button' }, 'Save notice');
    const form = el('form', { className: 'form card', novalidate: true, 'aria-labelledby': 'notice-title' },
      clubName.group, words.group, policyUrl.group, reason.group,
      el('div', { className: 'button-row' }, save),
      el('p', { className: 'form__help' },
        'Laptops show the new words from their next session, within a couple of minutes. ' +
        'Policy version ' + numberFormat.format(policyVersion || 0) + (notice.version ? ', notice ' + notice.version : '') + '.'));
    const preview = el('section', { className: 'notice-preview', id: 'notice-preview', 'aria-label': 'Preview of the notice' });
    const update = () => drawNoticePreview(preview, clubName.input.value.trim(),
      noticeParagraphs(words.input.value), policyUrl.input.value.trim());
    for (const input of [clubName.input, words.input, policyUrl.input]) input.addEventListener('input', update);
    update();

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      for (const f of [clubName, words, policyUrl, reason]) setFieldError(f.input, '');
      const paragraphs = noticeParagraphs(words.input.value);
      const payload = {
        club_name: clubName.input.value.trim(),
        paragraphs,
        policy_url: policyUrl.input.value.trim(),
        reason: reason.input.value.trim(),
      };
      const problems = [];
      const bad = (f, text) => {
        setFieldError(f.input, text);
        problems.push(f.input);
      };
      if (!payload.club_name) bad(clubName, 'Give the club’s name.');
      else if (utf8Bytes(payload.club_name) > NOTICE.clubName) bad(clubName, 'Use at most ' + NOTICE.clubName + ' characters.');
      if (!paragraphs.length) {
        bad(words, 'Write the notice: at least one paragraph.');
      } else if (paragraphs.length > NOTICE.paragraphs) {
        bad(words, 'Use at most ' + NOTICE.paragraphs + ' paragraphs. It has ' + paragraphs.length + '.');
      } else {
        const long = paragraphs.findIndex((text) => utf8Bytes(text) > NOTICE.paragraph);
        if (long >= 0) bad(words, 'Paragraph ' + (long + 1) + ' is too long: use at most ' + NOTICE.paragraph + ' characters, or split it with an empty line.');
      }
      if (payload.policy_url && !/^https?:\/\/[^\s/?#]/.test(payload.policy_url)) {
        bad(policyUrl, 'Give a web address starting with https://, or leave this empty.');
      }
      if (!payload.reason) bad(reason, 'Say why you are making this change.');
      if (problems.length) {
        showMessage('The notice was not saved: check the highlighted fields.', 'error');
        problems[0].focus();
        return;
      }
      setBusy(save, true, 'Saving…');
      try {
        const data = await api('POST', 'notice', payload);
        if (seq !== state.renderSeq) return;
        pendingMessage = {
          text: 'The notice is saved (policy version ' + numberFormat.format(data.policy_version) +
            '). Laptops show it from their next session.',
          kind: 'success',
        };
        render(true);
      } catch (error) {
        setBusy(save, false);
        // The server names the field it refused ("notice.paragraphs[2]: …"): show it there too.
        const match = error.status === 400 ? /^notice\.(club_name|paragraphs|policy_url)(?:\[(\d+)\])?/.exec(error.message) : null;
        if (match) {
          const target = { club_name: clubName, paragraphs: words, policy_url: policyUrl }[match[1]];
          const problem = error.message.replace(/^[^:]*:\s*/, '');
          setFieldError(target.input, match[2] !== undefined ? 'Paragraph ' + (Number(match[2]) + 1) + ': ' + problem : problem);
          showMessage('The notice was not saved: ' + error.message, 'error');
          target.input.focus();
          return;
        }
        handleError(error, seq);
      }
    });

    return el('div', { className: 'notice-editor' }, form, preview);
  }

  async function loadWorkers(seq) {
    const body = $('workers-body');
    try {
      const data = await api('GET', 'workers');
      if (seq !== state.renderSeq) return;
      drawWorkers(body, data.workers || []);
    } catch (error) {
      if (seq !== state.renderSeq) return;
      clear(body);
      body.appendChild(el('p', { className: 'muted' }, 'The workers could not be loaded.'));
      handleError(error, seq);
    }
  }

  function drawWorkers(body, workers) {
    clear(body);
    if (!workers.length) {
      body.appendChild(el('p', { className: 'empty' },
        'No worker has a PIN yet, so nobody can sign in as staff or unlock a site on the laptops. Add the youth workers below.'));
      return;
    }
    const sorted = workers.slice().sort((a, b) => String(a.name).localeCompare(String(b.name), 'en-GB', { sensitivity: 'base' }));
    const rows = sorted.map((worker) => {
      const remove = el('button', {
        type: 'button', className: 'button button--danger-quiet button--small',
        'aria-label': 'Remove ' + worker.name,
        dataset: { focusKey: 'remove-worker:' + worker.id },
      }, 'Remove');
      remove.addEventListener('click', () => filteringChange({
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
    });
    body.appendChild(el('div', { className: 'table-wrap' },
      el('table', { className: 'table', id: 'workers-table' },
        el('caption', { className: 'visually-hidden' }, 'Workers with a PIN'),
        el('thead', null, el('tr', null, ['Name', 'Added', 'Action'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', null, rows))));
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
    const reason = field({
      id: 'worker-reason', label: 'Why are you making this change?', required: true, maxLength: 1000,
      hint: 'Saved in the audit log with your name and the time.',
    });
    const submit = el('button', { type: 'submit', className: 'button' }, 'Add worker');
    const form = el('form', { className: 'form', novalidate: true, 'aria-labelledby': 'add-worker-title' },
      name.group, pin.group, reason.group, el('div', { className: 'button-row' }, submit));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      for (const f of [name, pin, reason]) setFieldError(f.input, '');
      const payload = { name: name.input.value.trim(), pin: pin.input.value, reason: reason.input.value.trim() };
      const problems = [];
      const bad = (f, text) => {
        setFieldError(f.input, text);
        problems.push(f.input);
      };
      if (!payload.name) bad(name, 'Give the worker’s name.');
      if (!/^[0-9]{6,12}$/.test(payload.pin)) bad(pin, 'A PIN is 6 to 12 digits (0 to 9) and nothing else.');
      if (!payload.reason) bad(reason, 'Say why you are making this change.');
      if (problems.length) {
        showMessage('The worker was not added: check the highlighted fields.', 'error');
        problems[0].focus();
        return;
      }
      setBusy(submit, true, 'Adding…');
      try {
        const data = await api('POST', 'workers', payload);
        if (seq !== state.renderSeq) return;
        pendingMessage = {
          text: payload.name + ' can now use their PIN on the laptops, within a couple of minutes (policy version ' +
            numberFormat.format(data.policy_version) + ').',
          kind: 'success',
        };
        render(true);
      } catch (error) {
        setBusy(submit, false);
        pin.input.value = '';
        const match = error.status === 400 ? /^worker\.(name|pin)\b/.exec(error.message) : null;
        if (match) {
          const target = match[1] === 'name' ? name : pin;
          setFieldError(target.input, error.message.replace(/^[^:]*:\s*/, ''));
          showMessage('The worker was not added: ' + error.message.replace(/^[^:]*:\s*/, ''), 'error');
          target.input.focus();
          return;
        }
        handleError(error, seq);
      }
    });

    return el('div', { className: 'card filtering-editor', id: 'add-worker' },
      el('h3', { id: 'add-worker-title' }, 'Add a worker'), form);
  }

  // ---------------------------------------------------------------------------------------------
  // Start.

  async function signOut() {
    try {
      await api('POST', 'logout');
    } catch (error) {
      if (error.status === 0) {
        showMessage(error.message, 'error');
        return;
      }
      // 401: the session had ended anyway.
    }
    forgetSession();
    state.afterLogin = 'devices';
    navigate('login', 'You have signed out.', 'success');
  }

  async function start() {
    $('sign-out').addEventListener('click', signOut);
    $('skip-link').addEventListener('click', (event) => {
      event.preventDefault();
      $('page-heading').focus();
    });
    window.addEventListener('hashchange', () => {
      if (!routeFromHash() && /^#[^/]/.test(location.hash)) return;  // an in-page anchor
      render(true);
    });

    try {
      setSession(await api('GET', 'session'));
    } catch (error) {
      forgetSession();
      if (error.status !== 401) pendingMessage = { text: error.message, kind: 'error' };
    }
    render(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
