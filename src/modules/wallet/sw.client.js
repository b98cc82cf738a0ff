// The web wallet's service worker (served at /wallet/sw.js, scope /wallet): the wallet opens
// offline. Requests for the wallet's page, its script and the site's static files go to the network
// first and fall back to the copy kept here; documents themselves are in IndexedDB, not here.
const CACHE = 'hanaro-wallet-v1';
const PAGE = '/wallet';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const page = await fetch(PAGE, { credentials: 'same-origin' });
      if (!page.ok) return;
      const html = await page.clone().text();
      // the stylesheet, icon and script the page names (hashed names: fetched once)
      const assets = [...html.matchAll(/(?:href|src)="(\/(?:static|wallet)\/[^"]+)"/g)].map((m) => m[1]);
      await cache.put(PAGE, page);
      await cache.addAll([...new Set(assets)]);
    })().catch(() => undefined),
  );
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const isPage = url.pathname === PAGE;
  if (!isPage && !url.pathname.startsWith('/wallet/') && !url.pathname.startsWith('/static/')) return;
  const key = isPage ? PAGE : event.request;
  event.respondWith(
    fetch(event.request)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(key, copy));
        }
        return res;
      })
      .catch(async () => (await caches.match(key, { ignoreSearch: isPage })) || Response.error()),
  );
});
