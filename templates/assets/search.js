// Starts Pagefind's search interface on the search page. Kept in a file of its
// own (not inline) so the site works under a Content-Security-Policy without
// 'unsafe-inline'. The edition's index comes in one bundle per content folder:
// the first is loaded, the others merged into its results.
window.addEventListener('DOMContentLoaded', () => {
  const box = document.getElementById('search');
  if (!box || typeof window.PagefindUI !== 'function') return;
  const [first, ...others] = (box.dataset.bundles || '').split(' ').filter(Boolean);
  if (!first) return;
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
    translations: box.dataset.placeholder ? { placeholder: box.dataset.placeholder } : undefined,
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
