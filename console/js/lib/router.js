// Hash routes (#/login, #/devices, …): which page is on show, drawing it, and what every page
// does with an error it does not handle itself.
import { $, clear, el } from './dom.js';
import { clearMessage, showMessage } from './frame.js';
import { api, ApiError, SESSION_ENDED } from './api.js';
import { forgetSession, hasAnyRole, session, setSession } from './session.js';

// The first of these the user's roles reach is their home page.
const HOMES = ['devices', 'dashboard', 'in-use-now', 'report'];
// A user whose roles reach no page still has their password.
const LAST_RESORT = 'password';
// Where a user the club requires two-step sign-in of goes until they have set it up.
const TWO_STEP = 'two-step';

let routes = {};           // name -> {render(content, seq), public, roles: the roles it is for}
let route = '';            // the route on show
let renderSeq = 0;         // increases on every render, so a slow request cannot draw on a newer page
let refreshTimer = 0;
let pendingMessage = null; // shown once the next page is drawn
let afterLogin = '';       // where to go once signed in ('' for home)

export function registerRoutes(table) {
  routes = table;
}

// Whether the signed-in user's roles reach a route: deny by default, as the collector does.
// A route without roles (the password page) is for everyone signed in.
function reaches(name) {
  const entry = routes[name];
  return Boolean(entry) && (!entry.roles || hasAnyRole(entry.roles));
}

const home = () => HOMES.find(reaches) || LAST_RESORT;

// A link to a page with a filter (routeHref), or the plain text when the user's roles do not
// reach that page: a trustee's dashboard shows its numbers without links to the explorer.
export function pageLink(name, params, text) {
  return reaches(name) ? el('a', { href: routeHref(name, params) }, text) : text;
}

// The page's address with a filter, or undefined when the user's roles do not reach it.
export const reachedHref = (name, params) => (reaches(name) ? routeHref(name, params) : undefined);

// True while the page drawn as `seq` is still on show.
export const isCurrent = (seq) => seq === renderSeq;
export const currentSeq = () => renderSeq;

// The query part of the hash (#/explorer?device=…&from=…), which lets a link carry a page's filter.
export function routeParams() {
  const at = location.hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : location.hash.slice(at + 1));
}

// '#/explorer?device=…' for a route and its filter; empty values are left out.
export function routeHref(name, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return '#/' + name + (text ? '?' + text : '');
}

function routeFromHash() {
  const match = /^#\/([a-z-]+)/.exec(location.hash);
  return match && routes[match[1]] ? match[1] : '';
}

function updateHeader() {
  const signedIn = Boolean(session.user);
  $('account').hidden = !signedIn;
  $('site-nav').hidden = !signedIn || session.mustChange || session.mustSetUpTwoStep;
  $('account-password').hidden = session.mustChange;
  $('account-two-step').hidden = session.mustChange;
  $('account-name').textContent = signedIn ? session.user.username : '';
  // The navigation shows only the pages the user's roles reach.
  for (const item of document.querySelectorAll('#site-nav [data-route]')) {
    item.parentElement.hidden = !reaches(item.dataset.route);
  }
  for (const link of document.querySelectorAll('[data-route]')) {
    if (link.dataset.route === route) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function render(moveFocus) {
  let next = routeFromHash() || (session.user ? home() : 'login');
  if (!session.user && !routes[next].public) {
    if (next !== 'password') afterLogin = next;
    next = 'login';
  } else if (session.user && session.mustChange && next !== 'password') {
    next = 'password';
  } else if (session.user && !session.mustChange && session.mustSetUpTwoStep && next !== 'two-step') {
    next = TWO_STEP;
  } else if (session.user && (next === 'login' || !reaches(next))) {
    next = home();
  }
  const query = next === routeFromHash() ? routeParams().toString() : '';
  const hash = '#/' + next + (query ? '?' + query : '');
  if (hash !== location.hash) history.replaceState(null, '', hash);

  window.clearInterval(refreshTimer);
  refreshTimer = 0;
  route = next;
  renderSeq += 1;
  updateHeader();

  const content = $('content');
  clear(content);
  content.setAttribute('aria-busy', 'false');
  const message = pendingMessage;
  pendingMessage = null;
  if (message) showMessage(message.text, message.kind);
  else clearMessage();

  routes[route].render(content, renderSeq);
  if (moveFocus) $('page-heading').focus();
}

// Go to a route, with an optional message to show once it is drawn.
export function navigate(next, message, kind) {
  pendingMessage = message ? { text: message, kind: kind || 'info' } : null;
  if (routeFromHash() === next) {
    render(true);
  } else {
    location.hash = '#/' + next;  // hashchange draws it
  }
}

// Draws the page on show again from fresh data, then shows the message.
export function redraw(message, kind) {
  navigate(route, message, kind);
}

// Runs `callback` every `ms` until another page is drawn.
export function repeatWhileShown(callback, ms) {
  window.clearInterval(refreshTimer);
  refreshTimer = window.setInterval(callback, ms);
}

// The route to show after signing in: the page the session ended on, if there was one.
export function takeRouteAfterLogin() {
  const next = routes[afterLogin] && !routes[afterLogin].public && reaches(afterLogin) ? afterLogin : home();
  afterLogin = '';
  return next;
}

export function forgetRouteAfterLogin() {
  afterLogin = '';
}

// The user's home page: the first page their roles reach.
export const homeRoute = () => home();

// What every page does with an error it does not handle itself. Errors of a page no longer on
// show (`seq`) are dropped.
export async function handleError(error, seq) {
  if (seq !== undefined && seq !== renderSeq) return;
  if (!(error instanceof ApiError)) {
    showMessage('Something went wrong in this page. Reload it and try again.', 'error');
    console.error(error);
    return;
  }
  if (error.status === 401) {
    if (route && !routes[route].public && route !== 'password') afterLogin = route;
    forgetSession();
    navigate('login', SESSION_ENDED, 'error');
    return;
  }
  if (error.status === 403) {
    // Either the password must be changed first, or the request was refused. Ask which.
    if (!session.mustChange && !error.data.must_change_password) {
      try {
        setSession(await api('GET', 'session'));
      } catch (_) {
        // fall through with what we know
      }
      updateHeader();
    }
    if (session.mustChange || error.data.must_change_password) {
      session.mustChange = true;
      navigate('password', 'Choose your own password before you carry on.', 'info');
      return;
    }
    if (session.mustSetUpTwoStep) {
      navigate(TWO_STEP, 'Set up two-step sign-in before you carry on.', 'info');
      return;
    }
  }
  showMessage(error.message, 'error');
}

// Draws the first page, with an optional message, and follows the hash from then on.
export function startRouter(message, kind) {
  window.addEventListener('hashchange', () => {
    if (!routeFromHash() && /^#[^/]/.test(location.hash)) return;  // an in-page anchor
    render(true);
  });
  pendingMessage = message ? { text: message, kind } : null;
  render(false);
}
