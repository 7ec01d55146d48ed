// Numbers, times and durations in the words a volunteer reads (en-GB).
import { el } from './dom.js';

export const numberFormat = new Intl.NumberFormat('en-GB');
export const clockFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
const exactFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
  hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const shortFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

// "1 laptop", "3 laptops"
export const count = (n, one, many) => numberFormat.format(n) + ' ' + (n === 1 ? one : many);

export function parseTime(text) {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

// Server clock minus this browser's clock, so "2 minutes ago" is right on a browser whose clock is off.
let clockOffsetMs = 0;

// `serverTime` is the server's answer to a request sent at `sentMs` and answered at `receivedMs`.
export function setServerClock(serverTime, sentMs, receivedMs) {
  clockOffsetMs = serverTime ? serverTime.getTime() - Math.round((sentMs + receivedMs) / 2) : 0;
}

export const serverNow = () => Date.now() + clockOffsetMs;

// "45 seconds", "1 minute", "3 hours", "2 days"
export function durationWords(seconds) {
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
export function relativeWords(date) {
  const seconds = (date.getTime() - serverNow()) / 1000;
  if (Math.abs(seconds) < 30) return 'just now';
  return seconds < 0 ? durationWords(-seconds) + ' ago' : 'in ' + durationWords(seconds);
}

function isSameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

// "19:57 today", "09:15 tomorrow", "19:57 on Wednesday 25 November"
export function clockAndDay(date) {
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
export function timeElement(text) {
  const date = parseTime(text);
  if (!date) return el('span', { className: 'muted' }, 'Never');
  return el('time', { datetime: date.toISOString(), title: exactFormat.format(date) }, relativeWords(date));
}

// "2 minutes ago" above "24 Nov 2026, 19:57"
export function whenCell(text) {
  const date = parseTime(text);
  if (!date) return [el('span', null, 'Never')];
  return [timeElement(text), el('span', { className: 'cell-detail when' }, shortFormat.format(date))];
}
