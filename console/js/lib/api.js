// Talking to the collector's console API. Every request sends the session cookie (same origin
// only); every POST but sign-in sends the session's CSRF token.
import { session } from './session.js';

const API = '/api/console/';
export const NETWORK_MESSAGE = "Can't reach the clubsafe server. Check it is running, then reload this page.";
export const SESSION_ENDED = 'Your session has ended. Please sign in again.';

// A refused or failed call: status 0 when the server could not be reached; message is the
// server's own words when it gave some; data is the rest of its answer.
export class ApiError extends Error {
  constructor(status, message, data) {
    super(message);
    this.status = status;
    this.data = data || {};
  }
}

// Resolves with the answer's JSON (null for none) or rejects with an ApiError.
export async function api(method, path, body) {
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
    if (path !== 'login' && session.csrf) options.headers['X-CSRF-Token'] = session.csrf;
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

// The problem in a refusal that names its field ("profile.allow[2]: … is not a domain name").
export const problemText = (error) => error.message.replace(/^[^:]*:\s*/, '');
