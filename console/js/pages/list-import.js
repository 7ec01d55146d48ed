// Filtering: importing a category list from a file chosen in the browser.
import { api, ApiError } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { field, fieldGroup, reasonField, SAY_WHY, setBusy, setFieldError } from '../lib/forms.js';
import { count, numberFormat } from '../lib/format.js';
import { showMessage } from '../lib/frame.js';
import { handleError, isCurrent, redraw } from '../lib/router.js';

const MAX_LIST_BYTES = 64 * 1024 * 1024;

// The text of a chosen file; .gz files are decompressed here, as the server takes text.
async function fileText(file) {
  if (!/\.gz$/i.test(file.name)) return file.text();
  const stream = file.stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

// "Imported gambling from ut1/gambling: 3 sites, 1 line skipped (not a domain name: 1)"
function importedWords(list) {
  let words = 'Imported ' + list.category + ' from ' + list.source + ': ' + count(list.names, 'site', 'sites');
  if (list.bad_lines) {
    words += ', ' + count(list.bad_lines, 'line', 'lines') + ' skipped (' +
      Object.entries(list.bad_reasons || {}).map(([why, n]) => why + ': ' + numberFormat.format(n)).join('; ') + ')';
  }
  return words;
}

export function importListForm(seq) {
  const category = field({
    id: 'list-category', label: 'Category', required: true, maxLength: 40,
    hint: 'Lower-case letters, digits, “-” and “_”, such as gambling. Profiles block categories by this name.',
  });
  const source = field({
    id: 'list-source', label: 'Where the list comes from', required: true, maxLength: 100,
    hint: 'Such as ut1/gambling or club-extra. Importing the same category and source again replaces that list.',
  });
  const format = el('select', { id: 'list-format', name: 'list-format', className: 'input' },
    [['plain', 'One site a line'], ['hosts', 'Hosts file (0.0.0.0 site)'],
      ['adblock', 'AdBlock rules (||site^)'], ['ut1', 'UT1 domains file']]
      .map(([value, text]) => el('option', { value }, text)));
  const file = el('input', { id: 'list-file', name: 'list-file', type: 'file', className: 'input', 'aria-describedby': 'list-file-hint' });
  const reason = reasonField('list-reason');
  const submit = el('button', { type: 'submit', className: 'button' }, 'Import list');
  const form = el('form', { className: 'form', novalidate: true },
    category.group, source.group,
    el('div', { className: 'field' }, el('label', { className: 'field__label', for: 'list-format' }, 'Format'), format),
    fieldGroup('list-file', 'List file', 'A text file, or the same compressed with gzip (.gz). At most 64 MB.', file),
    reason.group,
    el('div', { className: 'button-row' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const input of [category.input, source.input, file, reason.input]) setFieldError(input, '');
    const chosen = file.files && file.files[0];
    const problems = [];
    if (!/^[a-z0-9_-]{1,40}$/.test(category.input.value.trim())) {
      problems.push([category.input, 'Use 1 to 40 lower-case letters, digits, “-” and “_”.']);
    }
    if (!source.input.value.trim()) problems.push([source.input, 'Say where the list comes from.']);
    if (!chosen) problems.push([file, 'Choose the list file.']);
    else if (chosen.size > MAX_LIST_BYTES) problems.push([file, 'This file is larger than 64 MB: split it into several lists.']);
    if (!reason.input.value.trim()) problems.push([reason.input, SAY_WHY]);
    if (problems.length) {
      for (const [input, text] of problems) setFieldError(input, text);
      showMessage('Check the highlighted fields.', 'error');
      problems[0][0].focus();
      return;
    }
    setBusy(submit, true, 'Importing…');
    try {
      const text = await fileText(chosen);
      const data = await api('POST', 'filtering/lists', {
        category: category.input.value.trim(),
        source: source.input.value.trim(),
        format: format.value,
        text,
        reason: reason.input.value.trim(),
      });
      if (!isCurrent(seq)) return;
      redraw(importedWords(data.list) + '. Laptops pick it up within a couple of minutes.', 'success');
    } catch (error) {
      setBusy(submit, false);
      if (error instanceof ApiError) handleError(error, seq);
      else showMessage('The file could not be read. If it is compressed, check it is a .gz file.', 'error');
    }
  });

  return el('section', { id: 'import-list', className: 'card filtering-editor', 'aria-labelledby': 'import-title' },
    el('h2', { id: 'import-title' }, 'Import a list'),
    el('p', null, 'Add the sites of a list to a category. Lists such as UT1’s come one file per category.'),
    form);
}
