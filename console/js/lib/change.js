// A policy change made from a button: asks for a reason, sends it, and draws the page again.
import { api } from './api.js';
import { confirmDialog } from './forms.js';
import { numberFormat } from './format.js';
import { currentSeq, handleError, isCurrent, redraw } from './router.js';

// `done` is the message shown afterwards, followed by the policy version the change made.
export async function changeWithReason({ title, body, confirmText, danger, path, payload, done }) {
  const reason = await confirmDialog({ title, body, confirmText, danger, askReason: true });
  if (!reason) return;
  const seq = currentSeq();
  try {
    const data = await api('POST', path, { ...payload, reason });
    if (!isCurrent(seq)) return;
    redraw(done + ' (policy version ' + numberFormat.format(data.policy_version) + ').', 'success');
  } catch (error) {
    handleError(error, seq);
  }
}
