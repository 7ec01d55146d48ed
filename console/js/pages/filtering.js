// Filtering: profiles by age group and the category lists they block.
import { api } from '../lib/api.js';
import { $, clear, el, showNote, table } from '../lib/dom.js';
import { categoryNamer, countBlockingNothing } from '../lib/categories.js';
import { changeWithReason } from '../lib/change.js';
import { count, numberFormat, timeElement } from '../lib/format.js';
import { setHeading } from '../lib/frame.js';
import { handleError, isCurrent } from '../lib/router.js';
import { importListForm } from './list-import.js';
import { openProfileEditor, safeSearchText } from './profile-editor.js';
import { subscriptionsSection } from './subscriptions.js';

export function renderFiltering(content, seq) {
  setHeading('Filtering');
  content.append(
    el('p', { className: 'lead' },
      'Choose what each age group can reach. Laptops pick up a change within a couple of minutes, ' +
      'in the club or away from it. Illegal content is always blocked, whatever a profile says.'),
    el('section', { className: 'filtering-section', 'aria-labelledby': 'profiles-title' },
      el('h2', { id: 'profiles-title' }, 'Profiles'),
      el('div', { id: 'profiles-body' }, el('p', { className: 'muted' }, 'Loading…'))),
    el('section', { id: 'profile-editor', className: 'card filtering-editor', hidden: true, 'aria-labelledby': 'profile-editor-title' }),
    el('section', { className: 'filtering-section', 'aria-labelledby': 'lists-title' },
      el('h2', { id: 'lists-title' }, 'Category lists'),
      el('div', { id: 'lists-body' }, el('p', { className: 'muted' }, 'Loading…'))),
    importListForm(seq),
    subscriptionsSection(seq));
  loadFiltering(seq);
}

async function loadFiltering(seq) {
  try {
    const [profiles, categories] = await Promise.all([
      api('GET', 'filtering/profiles'),
      api('GET', 'filtering/categories'),
    ]);
    if (!isCurrent(seq)) return;
    drawProfiles(profiles, categories, seq);
    drawCategories(categories);
  } catch (error) {
    if (!isCurrent(seq)) return;
    for (const id of ['profiles-body', 'lists-body']) showNote($(id), 'This could not be loaded.');
    handleError(error, seq);
  }
}

function profileButtons(profile, defaultProfile, categories, seq) {
  const edit = el('button', {
    type: 'button', className: 'button button--secondary button--small',
    'aria-label': 'Edit ' + profile.name,
    dataset: { focusKey: 'edit:' + profile.id },
  }, 'Edit');
  edit.addEventListener('click', () => openProfileEditor(profile, categories, seq));
  if (profile.id === defaultProfile) return [edit];
  const makeDefault = el('button', {
    type: 'button', className: 'button button--secondary button--small',
    'aria-label': 'Make ' + profile.name + ' the default',
    dataset: { focusKey: 'default:' + profile.id },
  }, 'Make default');
  makeDefault.addEventListener('click', () => changeWithReason({
    title: 'Make “' + profile.name + '” the default profile?',
    body: ['Laptops will use this profile whenever nobody has signed in.'],
    confirmText: 'Make default', danger: false,
    path: 'filtering/default-profile', payload: { profile: profile.id },
    done: '“' + profile.name + '” is now the default profile',
  }));
  return [edit, makeDefault];
}

// The blocked categories in English, those no list fills apart: they block nothing.
function blockedCategoryNames(profile, withoutLists, nameOf) {
  const empty = new Set(withoutLists || []);
  const names = (ids) => ids.map((id, index) => [
    index ? ', ' : '', el('span', { dataset: { category: id } }, nameOf(id).name)]);
  const blocked = profile.blocked_categories || [];
  const filled = blocked.filter((id) => !empty.has(id));
  const unfilled = blocked.filter((id) => empty.has(id));
  return [
    filled.length ? el('span', { className: 'cell-detail categories-filled' }, names(filled)) : null,
    unfilled.length ? el('span', { className: 'cell-detail categories-empty' },
      el('span', { className: 'badge badge--waiting' }, countBlockingNothing(unfilled.length)),
      ' ', names(unfilled)) : null,
  ];
}

function profileRow(profile, defaultProfile, withoutLists, categories, seq) {
  const blocked = profile.blocked_categories || [];
  return el('tr', { dataset: { profileId: profile.id } },
    el('th', { scope: 'row', 'data-label': 'Profile' },
      el('span', { className: 'profile-name' }, profile.name),
      profile.id === defaultProfile
        ? el('span', { className: 'badge badge--ok profile-default' }, 'Default') : null,
      el('span', { className: 'cell-detail mono' }, profile.id)),
    el('td', { 'data-label': 'Age bands' },
      (profile.age_bands || []).length ? profile.age_bands.join(', ') : el('span', { className: 'muted' }, 'None')),
    el('td', { 'data-label': 'Safe search' }, safeSearchText(profile.safe_search)),
    el('td', { 'data-label': 'Blocked categories' },
      count(blocked.length, 'category', 'categories'),
      blockedCategoryNames(profile, withoutLists, categoryNamer(categories.catalogue))),
    el('td', { 'data-label': 'Own sites' },
      count((profile.allow || []).length, 'allowed', 'allowed'), ', ',
      count((profile.block || []).length, 'blocked', 'blocked')),
    el('td', { 'data-label': 'Action' },
      el('div', { className: 'button-row button-row--tight' }, profileButtons(profile, defaultProfile, categories, seq))));
}

function drawProfiles(data, categories, seq) {
  const body = $('profiles-body');
  clear(body);
  body.append(
    table({
      id: 'profiles-table', caption: 'Filtering profiles',
      headings: ['Profile', 'Age bands', 'Safe search', 'Blocked categories', 'Own sites', 'Action'],
      rows: (data.profiles || []).map((profile) => profileRow(profile, data.default_profile,
        (data.categories_without_lists || {})[profile.id], categories, seq)),
    }),
    el('p', { className: 'form__help' },
      'The default profile applies when nobody has signed in on a laptop. ' +
      'Policy version ' + numberFormat.format(data.policy_version || 0) + '.'));
}

function removeListButton(list) {
  const name = list.category + ' from ' + list.source;
  const button = el('button', {
    type: 'button', className: 'button button--danger-quiet button--small list-remove',
    'aria-label': 'Remove the list ' + name,
    dataset: { focusKey: 'remove-list:' + list.id },
  }, 'Remove');
  button.addEventListener('click', () => changeWithReason({
    title: 'Remove the list ' + name + '?',
    body: ['Laptops stop blocking its ' + count(list.names, 'site', 'sites') + ' (unless another list has them) ' +
      'within a couple of minutes.'],
    confirmText: 'Remove list',
    path: 'filtering/lists/' + encodeURIComponent(list.id) + '/delete', payload: {},
    done: 'The list ' + name + ' has been removed',
  }));
  return button;
}

function categoryRow(category) {
  return el('tr', null,
    el('th', { scope: 'row', 'data-label': 'Category' }, category.name,
      el('span', { className: 'cell-detail mono' }, category.category),
      category.description ? el('span', { className: 'cell-detail' }, category.description) : null),
    el('td', { 'data-label': 'Sites' }, numberFormat.format(category.names)),
    el('td', { 'data-label': 'Lists' }, (category.lists || []).map((list) => el('span', { className: 'list-source' },
      el('span', { className: 'mono' }, list.source), ' (' + list.format + '): ',
      count(list.names, 'site', 'sites'),
      list.bad_lines ? ', ' + count(list.bad_lines, 'line', 'lines') + ' skipped' : '',
      el('span', { className: 'cell-detail' }, 'imported by ' + list.imported_by + ', ',
        timeElement(list.imported_at)),
      removeListButton(list)))));
}

function drawCategories(data) {
  const body = $('lists-body');
  clear(body);
  const categories = data.categories || [];
  if (!categories.length) {
    body.appendChild(el('p', { className: 'empty' },
      'No category lists are imported yet, so laptops block only illegal content and the profiles’ own block lists. ' +
      'Import lists below, or on the server with “clubsafe-collector import-list”.'));
    return;
  }
  body.appendChild(table({
    id: 'categories-table', caption: 'Category lists',
    headings: ['Category', 'Sites', 'Lists'],
    rows: categories.map(categoryRow),
  }));
}
