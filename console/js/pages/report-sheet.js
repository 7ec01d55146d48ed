// The audit report drawn from the collector's JSON (GET report), as one sheet that prints
// cleanly (style.css, @media print). Every name and reason is text, never HTML.
import { el, table } from '../lib/dom.js';
import { numberFormat } from '../lib/format.js';

// Times and days in the club's own time zone, as the PDF shows them.
function clubFormats(timeZone) {
  const zone = (() => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone });
      return timeZone;
    } catch (_) {
      return 'UTC';
    }
  })();
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
  return {
    zone,
    day: (text) => day.format(new Date(text)),
    time: (text) => (text ? time.format(new Date(text)) : 'never'),
  };
}

const figure = (n) => el('td', { className: 'numeric' }, numberFormat.format(n));

function section(id, title, ...children) {
  return el('section', { className: 'report-section', 'aria-labelledby': id }, el('h3', { id }, title), children);
}

const none = (text) => el('p', { className: 'muted' }, text);

function coverage(report, when) {
  if (!report.coverage.length) return none('No laptops are enrolled.');
  return table({
    caption: 'Laptops and reporting', headings: ['Laptop', 'Last contact', 'Hours reporting', 'Events'],
    rows: report.coverage.map((row) => el('tr', null,
      el('th', { scope: 'row' }, row.revoked ? row.laptop + ' (revoked)' : row.laptop),
      el('td', null, when.time(row.last_contact)), figure(row.hours_reporting), figure(row.events))),
  });
}

function selfTests(report) {
  if (!report.self_tests.length) return none('No self-test ran in this period.');
  return table({
    caption: 'Self-tests per laptop', headings: ['Laptop', 'Passed', 'Failed', 'Pass rate'],
    rows: report.self_tests.map((row) => el('tr', null, el('th', { scope: 'row' }, row.laptop),
      figure(row.passed), figure(row.failed),
      el('td', { className: 'numeric' }, row.pass_rate === null ? 'none ran' : row.pass_rate + '%'))),
  });
}

function blocks(report) {
  if (!report.blocks.length) return none('Nothing was blocked in this period.');
  return table({
    caption: 'Blocked attempts by category', headings: ['Category', 'List id', 'Attempts'],
    rows: report.blocks.map((row) => el('tr', null, el('th', { scope: 'row' }, row.name),
      el('td', null, row.category), figure(row.attempts))),
  });
}

function overrides(report, when) {
  if (!report.overrides.length) return none('No site or category was unlocked.');
  return table({
    caption: 'Sites unlocked by youth workers', headings: ['When', 'Laptop', 'Worker', 'Unlocked', 'For', 'Why'],
    rows: report.overrides.map((row) => el('tr', null, el('td', null, when.time(row.time)),
      el('td', null, row.laptop), el('td', null, row.worker),
      el('td', { className: 'wrap-anywhere' }, row.target + ' (' + row.scope + ')'),
      el('td', null, row.minutes + ' min'), el('td', null, row.reason))),
  });
}

function decisions(report, when) {
  if (!report.review_decisions.length) return none('No review decision in this period.');
  return table({
    caption: 'Filtering review decisions', headings: ['Decided', 'By', 'Site', 'Decision', 'Profiles', 'Why'],
    rows: report.review_decisions.map((row) => el('tr', null, el('td', null, when.time(row.decided_at)),
      el('td', null, row.decided_by), el('td', { className: 'wrap-anywhere' }, row.domain),
      el('td', null, (row.verdict === 'allow' ? 'Allowed' : 'Kept blocked') + (row.until ? ' until ' + when.time(row.until) : '')),
      el('td', null, row.scope === '*' ? 'all' : row.scope), el('td', null, row.reason))),
  });
}

function newApps(report, when) {
  if (!report.new_apps.length) return none('No app was used for the first time.');
  return table({
    caption: 'New apps seen', headings: ['App', 'First used', 'Minutes in use'],
    rows: report.new_apps.map((row) => el('tr', null, el('th', { scope: 'row', className: 'wrap-anywhere' }, row.app),
      el('td', null, when.time(row.first_seen)), figure(row.minutes))),
  });
}

function counts(report) {
  const rows = [
    ['Safeguarding alerts', report.incidents.alerts],
    ['Worries reported by young people', report.incidents.worries],
    ['Tamper evidence', report.incidents.tamper],
    ['Unlocks by youth workers', report.incidents.overrides],
    ['Requests to review a block', report.incidents.review_requests],
    ['Monitoring notices acknowledged', report.notices.acknowledged],
    ['Monitoring notices closed without acknowledging', report.notices.not_acknowledged],
  ];
  return table({
    caption: 'Alerts, incidents and notices (counts only)', headings: ['What', 'Count'],
    rows: rows.map(([what, n]) => el('tr', null, el('th', { scope: 'row' }, what), figure(n))),
  });
}

function changes(report, when) {
  if (!report.policy_changes.length) return none('Nothing was changed in this period.');
  return table({
    caption: 'Policy changes', headings: ['When', 'By', 'Change', 'What', 'Why'],
    rows: report.policy_changes.map((row) => el('tr', null, el('td', null, when.time(row.time)),
      el('td', null, row.actor), el('td', null, row.action),
      el('td', { className: 'wrap-anywhere' }, [row.target, row.detail].filter(Boolean).join(': ')),
      el('td', null, row.reason))),
  });
}

function checks(report, when) {
  if (!report.checks.length) return none('No check was recorded in this period.');
  return table({
    caption: 'Record of checks', headings: ['When', 'Who', 'What was checked', 'Resulting actions'],
    rows: report.checks.map((row) => el('tr', null, el('td', null, when.time(row.checked_at)),
      el('td', null, row.checked_by), el('td', null, row.what), el('td', null, row.actions || 'none'))),
  });
}

function signOff(report, when) {
  const signed = report.sign_off;
  if (!signed) {
    return el('div', { className: 'report-signature' },
      el('p', null, 'Not signed off in the console. Name, role, date and signature:'),
      el('div', { className: 'report-signature__line', 'aria-hidden': 'true' }));
  }
  return el('dl', { className: 'report-signed' },
    el('dt', null, 'Name'), el('dd', null, signed.name),
    el('dt', null, 'Role'), el('dd', null, signed.role),
    el('dt', null, 'Signed off'), el('dd', null, when.time(signed.signed_at)),
    el('dt', null, 'Notes'), el('dd', null, signed.notes || 'none'));
}

// The sheet for `report`: the same sections, in the same order, as the PDF.
export function reportSheet(report) {
  const when = clubFormats(report.time_zone);
  const last = new Date(new Date(report.to).getTime() - 1).toISOString();
  return el('article', { className: 'report-sheet', 'aria-labelledby': 'report-title' },
    el('h2', { id: 'report-title' }, 'Online safety audit: ' + report.club_name),
    el('p', null, 'Period: ' + when.day(report.from) + ' to ' + when.day(last) + ' (times in ' + when.zone + ')'),
    el('p', { className: 'muted' }, 'Report made ' + when.time(report.generated_at) + ' by clubsafe.'),
    section('report-coverage', 'Laptops and reporting', coverage(report, when)),
    section('report-selftests', 'Filtering working: self-tests',
      el('p', null, 'Each laptop checks by itself that sites in every blocked category are really blocked and that safe search is enforced.'),
      selfTests(report)),
    section('report-blocks', 'Blocked attempts by category', blocks(report)),
    section('report-overrides', 'Sites unlocked by youth workers', overrides(report, when)),
    section('report-decisions', 'Filtering review decisions', decisions(report, when)),
    section('report-apps', 'New apps seen', newApps(report, when)),
    section('report-counts', 'Alerts, incidents and notices (counts only)',
      el('p', null, 'The detail of safeguarding alerts and worries is for the designated safeguarding lead.'),
      counts(report)),
    section('report-changes', 'Policy changes', changes(report, when)),
    section('report-checks', 'Record of checks', checks(report, when)),
    section('report-sign-off', 'Sign-off', signOff(report, when)));
}
