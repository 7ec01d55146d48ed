// Filtering review (SPEC C7): the sites young people asked about and the sites blocked most, each
// decided on with a reason: allowed (for one profile or all, for a while or for good) or kept
// blocked. Past decisions are listed below the queue.
import { api } from '../lib/api.js';
import { categoryNamer } from '../lib/categories.js';
import { clear, el, showNote, table } from '../lib/dom.js';
import { fieldGroup, reasonField, SAY_WHY, setBusy, setFieldError } from '../lib/forms.js';
import { count, numberFormat, whenCell } from '../lib/format.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { handleError, isCurrent, redraw, routeHref, routeParams } from '../lib/router.js';

const PERIODS = [[7, 'Last 7 days'], [30, 'Last 30 days'], [90, 'Last 90 days'], [365, 'Last year']];
const DURATIONS = [['60', 'For 1 hour'], ['1440', 'For 1 day'], ['10080', 'For 1 week'], ['', 'For good']];

export function renderReview(content, seq) {
  setHeading('Filtering review');
  const asked = Number(routeParams().get('days'));
  const days = PERIODS.some(([value]) => value === asked) ? asked : 7;
  const queueBody = el('div', { id: 'review-queue' }, el('p', { className: 'muted' }, 'Loading the sites to review…'));
  const decisionsBody = el('div', { id: 'review-decisions' }, el('p', { className: 'muted' }, 'Loading past decisions…'));
  content.append(
    el('p', null, 'Young people can ask for a review when a site is blocked. Their requests are here, with the ' +
      'sites blocked most often. Decide on each: allow it, or keep it blocked. Every decision needs a reason, ' +
      'which the audit log keeps. An allow reaches the laptops within a couple of minutes.'),
    periodLinks(days),
    el('section', { 'aria-labelledby': 'queue-title' }, el('h2', { id: 'queue-title' }, 'Waiting for a decision'), queueBody),
    el('section', { 'aria-labelledby': 'decisions-title' }, el('h2', { id: 'decisions-title' }, 'Past decisions'), decisionsBody));
  load(days, queueBody, decisionsBody, seq);
}

function periodLinks(days) {
  return el('nav', { className: 'period-links', 'aria-label': 'Period' },
    el('ul', null, PERIODS.map(([value, words]) => el('li', null,
      el('a', { href: routeHref('review', { days: value }), 'aria-current': value === days ? 'page' : undefined }, words)))));
}

async function load(days, queueBody, decisionsBody, seq) {
  try {
    const [queue, categories, profiles, decisions] = await Promise.all([
      api('GET', 'review?days=' + days), api('GET', 'filtering/categories'),
      api('GET', 'filtering/profiles'), api('GET', 'review/decisions')]);
    if (!isCurrent(seq)) return;
    const context = { nameOf: categoryNamer(categories.catalogue), profiles: profiles.profiles || [], seq };
    drawQueue(queueBody, queue.items || [], days, context);
    drawDecisions(decisionsBody, decisions.decisions || [], context);
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(queueBody, 'The review could not be loaded. Reload this page to try again.');
    clear(decisionsBody);
    handleError(error, seq);
  }
}

function categoryWords(ids, nameOf) {
  if (!ids.length) return 'Not known';
  return ids.map((id) => nameOf(id).name).join(', ');
}

function drawQueue(body, items, days, context) {
  clear(body);
  if (!items.length) {
    body.appendChild(el('p', { className: 'empty' },
      'Nothing is waiting: no young person asked for a review and no blocked site is undecided in the ' +
      count(days, 'day', 'days') + ' shown. Choose a longer period above to look further back.'));
    return;
  }
  body.appendChild(el('p', null, count(items.length, 'site is', 'sites are') + ' waiting for a decision.'));
  items.forEach((item, index) => body.appendChild(queueCard(item, index, context)));
}

// A laptop folds one account's requests past its allowance into one with their count.
const timesAsked = (requests) => requests.reduce((sum, request) => sum + (request.count || 1), 0);

function queueCard(item, index, context) {
  const id = 'review-item-' + index;
  const facts = el('dl', { className: 'details-list' },
    el('dt', null, 'Category'), el('dd', null, categoryWords(item.categories, context.nameOf)),
    el('dt', null, 'Blocked'), el('dd', null, count(item.blocked_attempts, 'time', 'times') + ' in the period'),
    el('dt', null, 'Asked for a review'), el('dd', null, count(timesAsked(item.requests), 'time', 'times')),
    el('dt', null, 'Laptops'), el('dd', null, item.laptops.length ? item.laptops.join(', ') : 'Not known'),
    el('dt', null, 'Profiles'), el('dd', null, item.profiles.length ? item.profiles.join(', ') : 'Not known'),
    item.decided_at ? [el('dt', null, 'Last decided'), el('dd', null, whenCell(item.decided_at))] : null);
  const words = item.requests.filter((request) => request.message);
  return el('article', { className: 'card review-item', 'aria-labelledby': id + '-title' },
    el('h3', { id: id + '-title' }, el('span', { className: 'domain' }, item.domain)),
    facts,
    words.length ? el('div', null, el('h4', null, 'What they wrote'),
      el('ul', { className: 'review-words' }, words.map((request) => el('li', null,
        el('q', null, request.message), ' ', el('span', { className: 'cell-detail' },
          '— ' + (request.member || 'someone not signed in') + ' on ' + request.laptop + ', ', whenCell(request.time),
          request.count > 1 ? ' (the last of ' + request.count + ' sent close together; only these words are kept)' : null))))) : null,
    decisionForm(item, id, context));
}

function select(id, options) {
  const input = el('select', { id, name: id, className: 'input' },
    options.map(([value, words]) => el('option', { value }, words)));
  return input;
}

function decisionForm(item, id, context) {
  const verdict = select(id + '-decision', [['allow', 'Allow it'], ['keep_blocked', 'Keep it blocked']]);
  const profile = select(id + '-profile', [['all', 'Every profile']].concat(
    context.profiles.map((p) => [p.id, p.name + ' only'])));
  const duration = select(id + '-duration', DURATIONS);
  const reason = reasonField(id + '-reason');
  const profileGroup = fieldGroup(profile.id, 'For whom', null, profile);
  const durationGroup = fieldGroup(duration.id, 'For how long', 'When the time is up the collector blocks it again by itself.', duration);
  const submit = el('button', { type: 'submit', className: 'button' }, 'Save decision');
  const showAllowFields = () => {
    const allow = verdict.value === 'allow';
    profileGroup.hidden = !allow;
    durationGroup.hidden = !allow;
  };
  verdict.addEventListener('change', showAllowFields);
  const form = el('form', { className: 'form', novalidate: true, 'aria-label': 'Decision on ' + item.domain },
    fieldGroup(verdict.id, 'Decision', null, verdict), profileGroup, durationGroup, reason.group,
    el('div', { className: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setFieldError(reason.input, '');
    const allow = verdict.value === 'allow';
    const payload = {
      domain: item.domain, category: item.categories[0] || '', decision: verdict.value,
      reason: reason.input.value.trim(),
    };
    if (allow) {
      payload.profile = profile.value;
      payload.minutes = duration.value ? Number(duration.value) : null;
    }
    if (!payload.reason) {
      setFieldError(reason.input, SAY_WHY);
      showMessage('The decision was not saved: say why, then save it again.', 'error');
      reason.input.focus();
      return;
    }
    setBusy(submit, true, 'Saving…');
    try {
      const saved = await api('POST', 'review/decisions', payload);
      if (!isCurrent(context.seq)) return;
      redraw(allow
        ? item.domain + ' is allowed. The laptops get it within a couple of minutes' +
          (saved.policy_version ? ' (policy version ' + numberFormat.format(saved.policy_version) + ').' : '.')
        : item.domain + ' stays blocked. Your decision is saved.', 'success');
    } catch (error) {
      setBusy(submit, false);
      if (error.status === 400) {
        // The server's words say what to change: the reason, or the decision itself.
        const target = /^Say why|reason/i.test(error.message) ? reason.input : verdict;
        setFieldError(target, error.message);
        showMessage('The decision on ' + item.domain + ' was not saved: ' + error.message, 'error');
        target.focus();
        return;
      }
      handleError(error, context.seq);
    }
  });
  return el('div', { className: 'review-decision' }, el('h4', null, 'Your decision'), form);
}

function decisionWords(decision) {
  if (decision.decision !== 'allow') return 'Kept blocked';
  const whom = decision.profile === 'all' ? 'every profile' : decision.profile;
  if (!decision.until) return 'Allowed for ' + whom + ', for good';
  return 'Allowed for ' + whom + ' until ';
}

function drawDecisions(body, decisions, context) {
  clear(body);
  if (!decisions.length) {
    body.appendChild(el('p', { className: 'empty' }, 'No decision has been made yet.'));
    return;
  }
  body.appendChild(table({
    id: 'decisions-table', caption: 'Past review decisions, newest first',
    headings: ['Site', 'Decision', 'Reason', 'Decided'],
    rows: decisions.map((decision) => el('tr', null,
      el('th', { scope: 'row', 'data-label': 'Site' }, el('span', { className: 'domain' }, decision.domain),
        decision.category ? el('span', { className: 'cell-detail' }, context.nameOf(decision.category).name) : null),
      el('td', { 'data-label': 'Decision' }, decisionWords(decision),
        decision.until ? whenCell(decision.until) : null,
        decision.ended_at ? el('span', { className: 'cell-detail' }, 'Blocked again by the collector when the time was up.') : null),
      el('td', { 'data-label': 'Reason' }, decision.reason),
      el('td', { 'data-label': 'Decided' }, whenCell(decision.decided_at),
        el('span', { className: 'cell-detail' }, 'by ' + decision.decided_by)))),
  }));
}
