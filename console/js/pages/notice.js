// Laptop notice: the words young people read when a session starts, with a live preview, and
// (on the same page) the workers' PINs.
import { api, problemText } from '../lib/api.js';
import { $, append, clear, el, showNote } from '../lib/dom.js';
import { field, reasonField, SAY_WHY, setBusy, setFieldError, textAreaField } from '../lib/forms.js';
import { numberFormat } from '../lib/format.js';
import { setHeading, showMessage } from '../lib/frame.js';
import { handleError, isCurrent, redraw } from '../lib/router.js';
import { workersSection } from './workers.js';

// The limits of docs/POLICY.md, in bytes of UTF-8 as the server counts them.
const NOTICE = { clubName: 100, paragraphs: 20, paragraph: 600, policyUrl: 300 };
const utf8Bytes = (text) => new TextEncoder().encode(text).length;

// Paragraphs are separated by an empty line; single line breaks inside one become spaces.
function noticeParagraphs(text) {
  return text.split(/\n[ \t]*\n/)
    .map((block) => block.split('\n').map((line) => line.trim()).filter(Boolean).join(' '))
    .filter(Boolean);
}

export function renderNotice(content, seq) {
  setHeading('Laptop notice');
  content.append(
    el('p', { className: 'lead' },
      'Every time someone starts using a club laptop, it first shows this notice. It tells young people ' +
      'that the laptop is monitored, what is recorded and why. They press “I understand” before they carry on.'),
    el('section', { className: 'filtering-section', 'aria-labelledby': 'notice-title' },
      el('h2', { id: 'notice-title' }, 'What the notice says'),
      el('div', { id: 'notice-body' }, el('p', { className: 'muted' }, 'Loading…'))),
    workersSection(seq));
  loadNotice(seq);
}

async function loadNotice(seq) {
  const body = $('notice-body');
  try {
    const data = await api('GET', 'notice');
    if (!isCurrent(seq)) return;
    clear(body);
    body.appendChild(noticeEditor(data.notice || { club_name: '', paragraphs: [], policy_url: '' }, data.policy_version, seq));
  } catch (error) {
    if (!isCurrent(seq)) return;
    showNote(body, 'The notice could not be loaded.');
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

function noticeFields(notice) {
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
  return { clubName, words, policyUrl, reason: reasonField('notice-reason') };
}

// What is wrong with the notice about to be sent, as [field, text] pairs, first problem first.
function noticeProblems(payload, fields) {
  const problems = [];
  const { paragraphs } = payload;
  if (!payload.club_name) problems.push([fields.clubName, 'Give the club’s name.']);
  else if (utf8Bytes(payload.club_name) > NOTICE.clubName) problems.push([fields.clubName, 'Use at most ' + NOTICE.clubName + ' characters.']);
  if (!paragraphs.length) {
    problems.push([fields.words, 'Write the notice: at least one paragraph.']);
  } else if (paragraphs.length > NOTICE.paragraphs) {
    problems.push([fields.words, 'Use at most ' + NOTICE.paragraphs + ' paragraphs. It has ' + paragraphs.length + '.']);
  } else {
    const long = paragraphs.findIndex((text) => utf8Bytes(text) > NOTICE.paragraph);
    if (long >= 0) problems.push([fields.words, 'Paragraph ' + (long + 1) + ' is too long: use at most ' + NOTICE.paragraph + ' characters, or split it with an empty line.']);
  }
  if (payload.policy_url && !/^https?:\/\/[^\s/?#]/.test(payload.policy_url)) {
    problems.push([fields.policyUrl, 'Give a web address starting with https://, or leave this empty.']);
  }
  if (!payload.reason) problems.push([fields.reason, SAY_WHY]);
  return problems;
}

// The server names the field it refused ("notice.paragraphs[2]: …"): shows it there too.
// Returns false for any other error.
function showRefusedField(error, fields) {
  const match = error.status === 400 ? /^notice\.(club_name|paragraphs|policy_url)(?:\[(\d+)\])?/.exec(error.message) : null;
  if (!match) return false;
  const target = { club_name: fields.clubName, paragraphs: fields.words, policy_url: fields.policyUrl }[match[1]];
  const problem = problemText(error);
  setFieldError(target.input, match[2] !== undefined ? 'Paragraph ' + (Number(match[2]) + 1) + ': ' + problem : problem);
  showMessage('The notice was not saved: ' + error.message, 'error');
  target.input.focus();
  return true;
}

function noticeEditor(notice, policyVersion, seq) {
  const fields = noticeFields(notice);
  const { clubName, words, policyUrl, reason } = fields;
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
    const payload = {
      club_name: clubName.input.value.trim(),
      paragraphs: noticeParagraphs(words.input.value),
      policy_url: policyUrl.input.value.trim(),
      reason: reason.input.value.trim(),
    };
    const problems = noticeProblems(payload, fields);
    if (problems.length) {
      for (const [f, text] of problems) setFieldError(f.input, text);
      showMessage('The notice was not saved: check the highlighted fields.', 'error');
      problems[0][0].input.focus();
      return;
    }
    setBusy(save, true, 'Saving…');
    try {
      const data = await api('POST', 'notice', payload);
      if (!isCurrent(seq)) return;
      redraw('The notice is saved (policy version ' + numberFormat.format(data.policy_version) +
        '). Laptops show it from their next session.', 'success');
    } catch (error) {
      setBusy(save, false);
      if (!showRefusedField(error, fields)) handleError(error, seq);
    }
  });

  return el('div', { className: 'notice-editor' }, form, preview);
}
