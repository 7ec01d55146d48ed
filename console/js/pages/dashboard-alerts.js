// The dashboard's notices: the managers' alerts (a laptop gone silent, a failed filtering
// check, tampering, lost records) to acknowledge, and whether alert e-mails are going out.
import { api } from '../lib/api.js';
import { clear, el, table } from '../lib/dom.js';
import { count, whenCell } from '../lib/format.js';
import { showMessage } from '../lib/frame.js';

const WHAT_HAPPENED = {
  laptop_silent: 'Stopped reporting while the club was open. It may be off or off the network, or clubsafe may have been stopped on it.',
  self_test_failed: 'Its filtering check failed: filtering may not be working on it.',
  tamper: 'Its protection was changed or switched off (tampering).',
  outbox_gap: 'It had to drop records it could not send, because its store was full.',
};

function alertRow(alert, section, alerts) {
  const button = el('button', { type: 'button', className: 'button button--secondary' }, 'Acknowledge');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api('POST', 'manager-alerts/' + alert.id + '/acknowledge');
      fillManagerAlerts(section, alerts.filter((other) => other.id !== alert.id));
      showMessage('Acknowledged. It stays in the record.', 'success');
    } catch (error) {
      button.disabled = false;
      showMessage(error.message, 'error');
    }
  });
  return el('tr', null,
    el('th', { scope: 'row' }, el('a', { href: '#/devices' }, alert.laptop)),
    el('td', null, WHAT_HAPPENED[alert.kind] || alert.kind),
    el('td', null, whenCell(alert.happened_at)),
    el('td', null, button));
}

function fillManagerAlerts(section, alerts) {
  clear(section);
  section.append(el('h2', { id: 'manager-alerts-heading' }, 'Laptops that need looking at'));
  if (!alerts.length) {
    section.append(el('p', null, 'No laptop has a problem waiting.'));
    return;
  }
  section.append(
    el('p', null, count(alerts.length, 'problem is', 'problems are') + ' waiting. Look at each laptop, then acknowledge it here.'),
    table({ caption: 'Laptop problems waiting', headings: ['Laptop', 'What happened', 'When', 'Done?'],
      rows: alerts.map((alert) => alertRow(alert, section, alerts)) }));
}

// The managers' alerts not yet acknowledged, each with a button to acknowledge it.
export function managerAlertsSection(answer) {
  const section = el('section', { className: 'section', id: 'manager-alerts', 'aria-labelledby': 'manager-alerts-heading' });
  fillManagerAlerts(section, answer.alerts);
  return section;
}

// Said only when something is wrong: e-mails failing, or none set up for the safeguarding lead.
export function mailCallout(status) {
  if (status.failing > 0) {
    return el('div', { className: 'summary summary--warning', id: 'mail-failing' },
      el('p', null, count(status.failing, 'alert e-mail', 'alert e-mails') + ' could not be sent. The mail server said: ' + status.last_error),
      el('p', null, 'clubsafe keeps trying. Until then, check the alerts here in the console, and ask whoever looks after the server to check the mail settings.'));
  }
  if (!status.mails_dsls) {
    return el('p', { className: 'muted', id: 'mail-off' },
      'Alert e-mails are not set up, so the safeguarding lead hears of alerts only here in the console. Whoever looks after the server can set them up (README, "E-mail").');
  }
  return null;
}
