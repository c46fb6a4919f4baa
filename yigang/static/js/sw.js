// Yigang's service worker (issue 15, point 6), served at /sw.js from the project's own static files.
// - static files: cache first (they are versioned by deploys; a miss goes to the network and is kept);
// - the two offline-capable forms (上报隐患, 录入履职记录): network first, the last copy when there is no network,
//   so a village secretary can open the form in a dead spot; js/outbox.js then keeps the report on the phone;
// - everything else goes to the network untouched (no stale registers or lists).
"use strict";
var CACHE = "yigang-v1";
var FORMS = ["/hazards/new/", "/duties/records/new/"];
var SHELL = ["/static/vendor/pico.min.css", "/static/css/yigang.css", "/static/css/phones.css",
  "/static/css/hazards.css", "/static/css/duties.css", "/static/vendor/htmx.min.js", "/static/js/yigang.js",
  "/static/js/phones.js", "/static/js/outbox.js", "/static/js/hazards.js", "/static/img/icon-192.png"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) { return cache.add(url).catch(function () { return null; }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) { var copy = response.clone(); caches.open(CACHE).then(function (c) { c.put(request, copy); }); }
        return response;
      });
    }));
    return;
  }
  if (request.mode === "navigate" && FORMS.indexOf(url.pathname) !== -1) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (c) { c.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (hit) { return hit || Response.error(); });
    }));
  }
});
