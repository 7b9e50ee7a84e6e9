// Starts Pagefind's search interface on the search page. Kept in a file of its
// own (not inline) so the site works under a Content-Security-Policy without
// 'unsafe-inline'. The edition's index comes in one bundle per content folder:
// the first is loaded, the others merged into its results.
//
// A reader may type in either Chinese script whichever edition they read: the
// page's fold table (data-fold) turns each character of the query into the
// script of this edition's index before Pagefind sees it.
window.addEventListener('DOMContentLoaded', async () => {
  const box = document.getElementById('search');
  if (!box || typeof window.PagefindUI !== 'function') return;
  const [first, ...others] = (box.dataset.bundles || '').split(' ').filter(Boolean);
  if (!first) return;
  const fold = await loadFold(box.dataset.fold);
  let strings;
  try {
    strings = JSON.parse(box.dataset.strings || '{}');
  } catch {
    strings = box.dataset.placeholder ? { placeholder: box.dataset.placeholder } : undefined;
  }
  // eslint-disable-next-line no-new
  new window.PagefindUI({
    element: '#search',
    bundlePath: first,
    // Pagefind would take the folder above a bundle for the site's root; the bundles sit deeper.
    baseUrl: box.dataset.base || '/',
    mergeIndex: others.map((bundlePath) => ({ bundlePath, baseUrl: box.dataset.base || '/' })),
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    translations: strings,
    processTerm: fold ? (term) => Array.from(term, (character) => fold.get(character) || character).join('') : undefined,
  });
  // The interface draws its input a moment later; give it an accessible name, and fill in ?q=.
  const query = new URLSearchParams(location.search).get('q');
  const whenReady = () => {
    const input = box.querySelector('input');
    if (!input) {
      requestAnimationFrame(whenReady);
      return;
    }
    input.setAttribute('aria-label', box.dataset.placeholder || 'Search');
    if (query) {
      input.value = query;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  };
  whenReady();
});

/** The fold table as a map of characters, or null when the page has none or it cannot be read (the query is then searched as typed). */
async function loadFold(url) {
  if (!url) return null;
  try {
    const response = await fetch(url);
    if (!response.ok) return null;
    const { from, to } = await response.json();
    const sources = Array.from(from);
    const targets = Array.from(to);
    return new Map(sources.map((character, index) => [character, targets[index]]));
  } catch {
    return null;
  }
}
