// clubsafe console: one page with hash routes, one module per page (pages/) over a small
// library (lib/). No framework, no build step, nothing loaded from elsewhere: the collector's
// Content-Security-Policy is default-src 'self', and index.html loads this file as a module.
import { api } from './lib/api.js';
import { $ } from './lib/dom.js';
import { showMessage } from './lib/frame.js';
import { forgetRouteAfterLogin, navigate, registerRoutes, startRouter } from './lib/router.js';
import { forgetSession, setSession } from './lib/session.js';
import { renderAccessLog } from './pages/access-log.js';
import { renderAlerts } from './pages/alerts.js';
import { renderDashboard } from './pages/dashboard.js';
import { renderDevices } from './pages/devices.js';
import { renderEnrol } from './pages/enrol.js';
import { renderExplorer } from './pages/explorer.js';
import { renderFiltering } from './pages/filtering.js';
import { renderIncidents } from './pages/incidents.js';
import { renderInUseNow } from './pages/in-use-now.js';
import { renderLogin } from './pages/login.js';
import { renderMembers } from './pages/members.js';
import { renderNotice } from './pages/notice.js';
import { renderPassword } from './pages/password.js';
import { renderReport } from './pages/report.js';
import { renderReview } from './pages/review.js';
import { renderTwoStep } from './pages/two-step.js';
import { renderUsers } from './pages/users.js';

// Each page names the roles it is for, as the collector's routes behind it do (collector/http/
// console/*_routes.cpp); the navigation shows only the pages the user's roles reach.
const MANAGER = ['manager'];
const DSL = ['dsl'];
registerRoutes({
  login: { render: renderLogin, public: true },
  password: { render: renderPassword },
  'two-step': { render: renderTwoStep },
  dashboard: { render: renderDashboard, roles: ['manager', 'dsl', 'trustee'] },
  alerts: { render: renderAlerts, roles: DSL },
  'access-log': { render: renderAccessLog, roles: DSL },
  devices: { render: renderDevices, roles: MANAGER },
  enrol: { render: renderEnrol, roles: MANAGER },
  explorer: { render: renderExplorer, roles: MANAGER },
  filtering: { render: renderFiltering, roles: MANAGER },
  incidents: { render: renderIncidents, roles: DSL },
  'in-use-now': { render: renderInUseNow, roles: ['manager', 'worker'] },
  members: { render: renderMembers, roles: ['manager', 'worker'] },
  notice: { render: renderNotice, roles: MANAGER },
  report: { render: renderReport, roles: ['manager', 'trustee'] },
  review: { render: renderReview, roles: MANAGER },
  users: { render: renderUsers, roles: MANAGER },
});

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
  forgetRouteAfterLogin();
  navigate('login', 'You have signed out.', 'success');
}

$('sign-out').addEventListener('click', signOut);
$('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  $('page-heading').focus();
});

// A module runs once the document is parsed, so the page's elements are there.
let startMessage = '';
try {
  setSession(await api('GET', 'session'));
} catch (error) {
  if (error.status !== 401) startMessage = error.message;
}
startRouter(startMessage, 'error');
