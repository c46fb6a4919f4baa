"""Works with a weak signal (issue 15, point 6): the web app manifest and the service worker.

Both are served from the project's own static files; the service worker is answered at the site root (``/sw.js``)
because a worker only controls pages under the path it is served from. The offline outbox itself lives in
``static/js/outbox.js``.
"""
