/**
 * The live-reload script the dev server adds to the pages it serves (never
 * to the built files). It listens for rebuild events, reloads the page when
 * its own file changed, swaps stylesheets in place when only CSS changed,
 * and shows build errors over the page until they are fixed. It names the
 * rebuild its page was served at, so an edit that landed before it connected
 * still reaches it (see reload-log.ts); after a server restart it reloads.
 */
export const RELOAD_CLIENT = `(() => {
  const overlayId = '__broadsheet_overlay';
  const here = () => decodeURIComponent(location.pathname).replace(/index\\.html$/, '');
  const since = document.currentScript?.dataset.since;
  const source = new EventSource('/__broadsheet/events' + (since ? '?since=' + encodeURIComponent(since) : ''));
  source.addEventListener('reload', (event) => {
    const change = JSON.parse(event.data);
    removeOverlay();
    if (change.pages.includes(here())) { location.reload(); return; }
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      if (change.assets.includes(url.pathname)) { url.searchParams.set('v', String(Date.now())); link.href = url.href; }
    }
  });
  source.addEventListener('stale', () => location.reload());
  source.addEventListener('failed', (event) => showOverlay(JSON.parse(event.data).errors));
  function removeOverlay() { document.getElementById(overlayId)?.remove(); }
  function showOverlay(errors) {
    removeOverlay();
    const overlay = document.createElement('div');
    overlay.id = overlayId;
    overlay.setAttribute('role', 'alertdialog');
    overlay.setAttribute('aria-label', 'broadsheet build error');
    Object.assign(overlay.style, { position: 'fixed', inset: '0', zIndex: '2147483647', overflow: 'auto', background: 'rgba(20,20,20,0.94)', color: '#f5f5f5', font: '14px/1.5 ui-monospace, monospace', padding: '2rem' });
    const title = document.createElement('h1');
    title.textContent = 'broadsheet: the last build failed — the page shows the last good version';
    Object.assign(title.style, { font: 'bold 16px/1.4 system-ui, sans-serif', color: '#ff8a80', margin: '0 0 1rem' });
    overlay.append(title);
    for (const error of errors) {
      const item = document.createElement('pre');
      item.textContent = error.text;
      Object.assign(item.style, { whiteSpace: 'pre-wrap', margin: '0 0 1.25rem', borderLeft: '3px solid #ff8a80', paddingLeft: '0.75rem' });
      overlay.append(item);
    }
    document.body.append(overlay);
  }
})();
`;
