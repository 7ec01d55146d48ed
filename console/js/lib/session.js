// Who is signed in, as the collector last said.
export const session = {
  user: null,            // {username, roles: ['manager', …]} when signed in
  csrf: '',              // the session's CSRF token, sent with every POST but sign-in
  mustChange: false,     // signed in with a one-time password that must be replaced first
  twoStepOn: false,      // two-step sign-in is set up
  mustSetUpTwoStep: false, // the club requires two-step sign-in of this user, who has not set it up
};

// Takes the collector's answer to GET session or POST login.
export function setSession(data) {
  session.user = data && data.user ? data.user : null;
  session.csrf = data && typeof data.csrf_token === 'string' ? data.csrf_token : '';
  session.mustChange = Boolean(data && data.must_change_password);
  session.twoStepOn = Boolean(data && data.two_step_on);
  session.mustSetUpTwoStep = Boolean(data && data.must_set_up_two_step);
}

export function forgetSession() {
  setSession(null);
}

// Whether the signed-in user holds any of `roles` (the collector checks again on every call).
export function hasAnyRole(roles) {
  const held = session.user && Array.isArray(session.user.roles) ? session.user.roles : [];
  return roles.some((role) => held.includes(role));
}
