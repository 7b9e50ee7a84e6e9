// Starts Pagefind's search interface on the search page. Kept in a file of its
// own (not inline) so the site works under a Content-Security-Policy without
// 'unsafe-inline'. Pagefind picks the index of the page's <html lang>.
window.addEventListener('DOMContentLoaded', () => {
  const box = document.getElementById('search');
  if (!box || typeof window.PagefindUI !== 'function') return;
  // eslint-disable-next-line no-new
  new window.PagefindUI({
    element: '#search',
    bundlePath: box.dataset.bundle,
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    translations: box.dataset.placeholder ? { placeholder: box.dataset.placeholder } : undefined,
  });
  const query = new URLSearchParams(location.search).get('q');
  if (query) {
    const input = box.querySelector('input');
    if (input) {
      input.value = query;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
});
