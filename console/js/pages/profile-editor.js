// Filtering: the form that edits one profile, opened from the profiles table.
import { api, problemText } from '../lib/api.js';
import { blocksNothing, categoryNamer } from '../lib/categories.js';
import { $, clear, el, focusByKey } from '../lib/dom.js';
import { field, reasonField, SAY_WHY, setBusy, setFieldError, textAreaField } from '../lib/forms.js';
import { count, numberFormat } from '../lib/format.js';
import { showMessage } from '../lib/frame.js';
import { handleError, isCurrent, redraw } from '../lib/router.js';

const SAFE_SEARCH = [
  { value: 'strict', text: 'Strict', hint: 'Search engines and YouTube hide adult results.' },
  { value: 'moderate', text: 'Moderate', hint: 'YouTube hides fewer videos; search engines stay strict.' },
  { value: 'off', text: 'Off', hint: 'Search engines answer as they are.' },
];

export const safeSearchText = (value) => (SAFE_SEARCH.find((level) => level.value === value) || { text: value }).text;

// One site a line: lower case, no spaces, no trailing dot, each once.
function siteLines(text) {
  const seen = new Set();
  for (const line of text.split('\n')) {
    const site = line.trim().toLowerCase().replace(/\.$/, '');
    if (site) seen.add(site);
  }
  return [...seen];
}

function safeSearchChoices(profile) {
  return el('fieldset', { className: 'field choices' },
    el('legend', { className: 'field__label' }, 'Safe search'),
    SAFE_SEARCH.map((level) => {
      const id = 'safe-search-' + level.value;
      const radio = el('input', { type: 'radio', name: 'safe-search', id, value: level.value, className: 'choice__input' });
      radio.checked = profile.safe_search === level.value;
      return el('div', { className: 'choice' }, radio,
        el('label', { for: id, className: 'choice__label' }, level.text,
          el('span', { className: 'choice__hint' }, level.hint)));
    }));
}

// A box for every category with a list, and for every category the profile blocks without one.
function categoryChoices(profile, categories) {
  const nameOf = categoryNamer(categories.catalogue);
  const names = new Map((categories.categories || []).map((c) => [c.category, c.names]));
  const all = [...new Set([...names.keys(), ...(profile.blocked_categories || [])])]
    .sort((a, b) => nameOf(a).name.localeCompare(nameOf(b).name));
  const blocked = new Set(profile.blocked_categories || []);
  return el('fieldset', { className: 'field choices choices--columns' },
    el('legend', { className: 'field__label' }, 'Blocked categories'),
    all.length ? null : el('p', { className: 'field__hint' }, 'No category lists are imported yet.'),
    all.map((category) => {
      const id = 'category-' + category;
      const box = el('input', { type: 'checkbox', id, value: category, className: 'choice__input' });
      box.checked = blocked.has(category);
      const { name, description } = nameOf(category);
      return el('div', { className: 'choice' }, box,
        el('label', { for: id, className: 'choice__label' }, name,
          el('span', { className: 'choice__hint' },
            names.has(category) ? count(names.get(category), 'site', 'sites') : blocksNothing,
            el('span', { className: 'mono' }, ' · ' + category)),
          description ? el('span', { className: 'choice__hint' }, description) : null));
    }));
}

export function openProfileEditor(profile, categories, seq) {
  const editor = $('profile-editor');
  clear(editor);
  const name = field({ id: 'profile-name', label: 'Name shown to people', required: true, value: profile.name, maxLength: 100 });
  const safeSearch = safeSearchChoices(profile);
  const categoryBoxes = categoryChoices(profile, categories);
  const allow = textAreaField({
    id: 'profile-allow', label: 'Always allow these sites',
    hint: 'One site a line, such as bbc.co.uk. Its subdomains are allowed too. Illegal content stays blocked.',
    value: (profile.allow || []).join('\n'),
  });
  const block = textAreaField({
    id: 'profile-block', label: 'Always block these sites',
    hint: 'One site a line. Its subdomains are blocked too.',
    value: (profile.block || []).join('\n'),
  });
  const reason = reasonField('profile-reason');
  const save = el('button', { type: 'submit', className: 'button' }, 'Save profile');
  const cancel = el('button', { type: 'button', className: 'button button--secondary' }, 'Cancel');
  const form = el('form', { className: 'form', novalidate: true },
    name.group, safeSearch, categoryBoxes, allow.group, block.group, reason.group,
    el('div', { className: 'button-row' }, save, cancel));
  const title = el('h2', { id: 'profile-editor-title', tabIndex: -1 }, 'Edit “' + profile.name + '”');
  editor.append(title, form);
  editor.hidden = false;
  title.focus();

  cancel.addEventListener('click', () => {
    editor.hidden = true;
    clear(editor);
    focusByKey('edit:' + profile.id);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of [name, allow, block, reason]) setFieldError(f.input, '');
    const why = reason.input.value.trim();
    const shownName = name.input.value.trim();
    if (!shownName) setFieldError(name.input, 'Give the profile a name.');
    if (!why) setFieldError(reason.input, SAY_WHY);
    if (!shownName || !why) {
      showMessage('Check the highlighted fields.', 'error');
      (!shownName ? name.input : reason.input).focus();
      return;
    }
    const chosen = form.querySelector('input[name="safe-search"]:checked');
    const changed = {
      ...profile,
      name: shownName,
      safe_search: chosen ? chosen.value : profile.safe_search,
      blocked_categories: [...categoryBoxes.querySelectorAll('input:checked')].map((box) => box.value),
      allow: siteLines(allow.input.value),
      block: siteLines(block.input.value),
    };
    setBusy(save, true, 'Saving…');
    try {
      const data = await api('POST', 'filtering/profiles/' + encodeURIComponent(profile.id),
        { profile: changed, reason: why });
      if (!isCurrent(seq)) return;
      redraw('“' + shownName + '” is saved (policy version ' + numberFormat.format(data.policy_version) +
        '). Laptops pick it up within a couple of minutes.', 'success');
    } catch (error) {
      setBusy(save, false);
      // The server names the field it refused ("profile.allow[2]: …"): show it there too.
      const fields = { name: name.input, allow: allow.input, block: block.input };
      const match = error.status === 400 ? /^profile\.(name|allow|block)\b/.exec(error.message) : null;
      if (match) {
        setFieldError(fields[match[1]], problemText(error));
        showMessage('The profile was not saved: ' + error.message, 'error');
        fields[match[1]].focus();
        return;
      }
      handleError(error, seq);
    }
  });
}
