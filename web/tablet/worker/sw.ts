/**
 * Issue 8: the tablet app's service worker. It keeps the app itself (its HTML, script, style, manifest and
 * icons) so the app opens with no network, and nothing else: API requests and answers never pass through
 * a cache. A new build changes APP_VERSION, which installs a fresh cache and removes the old one.
 */
declare const self: ServiceWorkerGlobalScope;
declare const APP_VERSION: string;
declare const APP_FILES: string[];

const CACHE = `tablet-app-${APP_VERSION}`;
const appUrls = () => APP_FILES.map((file) => new URL(file, self.registration.scope).href);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(appUrls().map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
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
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin) return;
  // Opening the app at its scope, with any query, is the app's page; the fragment never reaches here.
  const appPage = request.mode === 'navigate' && url.pathname === scope.pathname;
  const target = appPage ? scope.href : `${url.origin}${url.pathname}`;
  if (!appPage && !appUrls().includes(target)) return;
  event.respondWith(
    (async () => {
      const cached = await caches.match(target, { cacheName: CACHE });
      return cached ?? fetch(request);
    })(),
  );
});
