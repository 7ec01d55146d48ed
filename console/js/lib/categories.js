// Filter categories in words a UK manager reads. Ids stay as the lists name them (UT1's are
// partly French, such as "agressif"), so each is shown beside its English name.
import { count } from './format.js';

// A function giving {category, name, description} for an id, from the collector's catalogue;
// a club's own category is named by its id.
export function categoryNamer(catalogue) {
  const known = new Map((catalogue || []).map((entry) => [entry.category, entry]));
  return (id) => known.get(id) || { category: id, name: id, description: '' };
}

// Said of one category blocked with no list, in the profile editor.
export const blocksNothing = 'no list imported, so it blocks nothing';

// Said of a profile's categories blocked with no list: "3 categories block nothing".
export function countBlockingNothing(number) {
  return count(number, 'category blocks', 'categories block') + ' nothing: no list imported';
}
