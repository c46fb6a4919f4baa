// Works with a weak signal (issue 15, point 6). A form marked data-offline (the hazard report) that is submitted
// while the phone has no network is kept on the phone (IndexedDB, photos included) and shown as "待发送"; when
// the network returns — or the next time any Yigang page opens with a network — it is sent to the same form,
// with its client key (data-offline-key names that field), so a report sent twice is still one report
// (yigang.hazards.actions.report_hazard). A stale CSRF token is replaced from a fresh copy of the form before
// sending. Also registers the service worker (/sw.js) that lets the form itself open offline.
(function () {
  "use strict";
  var DB = "yigang-outbox", STORE = "reports";
  var T = function (s) { return (window.gettext ? window.gettext(s) : s); };

  function open() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no indexedDB")); return; }
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  var all = function () { return tx("readonly", function (s) { return s.getAll(); }); };
  var put = function (item) { return tx("readwrite", function (s) { s.put(item); }); };
  var drop = function (key) { return tx("readwrite", function (s) { s.delete(key); }); };

  function show(items) {
    var box = document.getElementById("outbox");
    if (!items.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("section");
      box.id = "outbox";
      box.className = "outbox";
      box.setAttribute("role", "status");
      var main = document.querySelector("main");
      if (!main) { return; }
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = "";
    var head = document.createElement("strong");
    head.textContent = T("本机有未发送的报告，恢复网络后自动发送：");
    box.appendChild(head);
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var badge = document.createElement("span");
      badge.className = "pending";
      badge.textContent = item.problem ? T("待处理") : T("待发送");
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" " + item.title + " · " + new Date(item.saved).toLocaleString()));
      if (item.problem) {
        var small = document.createElement("small");
        small.textContent = " " + item.problem;
        li.appendChild(small);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
  }
  function refresh() { return all().then(show).catch(function () { return null; }); }

  function keep(form) {
    var keyName = form.dataset.offlineKey || "client_key";
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File && !value.size && !value.name) { return; }
      fields.push([name, value]);
    });
    var key = (form.elements[keyName] && form.elements[keyName].value) || String(Date.now());
    var titleField = form.elements[form.dataset.offlineTitle || "description"];
    var title = (titleField && titleField.value ? titleField.value : document.title).slice(0, 40);
    return put({ key: key, url: form.getAttribute("action") || location.pathname, fields: fields, title: title,
      saved: Date.now(), problem: "" });
  }

  var sending = false;
  function send() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    return all().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function () { return sendOne(item); });
      }, Promise.resolve());
    }).catch(function () { return null; }).then(function () { sending = false; return refresh(); });
  }
  function sendOne(item) {
    return fetch(item.url, { credentials: "same-origin" }).then(function (page) {
      if (!page.ok || page.redirected) { var e = new Error(T("请先登录，登录后自动发送。")); e.ours = true; throw e; }
      return page.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrfmiddlewaretoken]");
      var body = new FormData();
      item.fields.forEach(function (pair) {
        body.append(pair[0], pair[0] === "csrfmiddlewaretoken" && fresh ? fresh.value : pair[1]);
      });
      return fetch(item.url, { method: "POST", body: body, credentials: "same-origin" });
    }).then(function (response) {
      if (response.ok && response.redirected) { return drop(item.key); } // created (or already there): sent once
      return response.text().then(function () {
        item.problem = T("服务器未接受，请打开表单重新填写。");
        return put(item);
      });
    }, function (error) {
      if (error && error.ours) { item.problem = error.message; return put(item); }
      return null; // no network after all: stays 待发送 and goes with the next try
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.offline === undefined || navigator.onLine) { return; }
    event.preventDefault();
    keep(form).then(function () {
      form.reset();
      var key = form.elements[form.dataset.offlineKey || "client_key"];
      if (key) { key.value = newKey(); }
      window.scrollTo(0, 0);
      return refresh();
    }, function () {
      window.alert(T("无法在本机保存，请恢复网络后再提交。"));
    });
  });
  function newKey() { return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random(); }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-offline]"), function (form) {
    var key = form.elements[form.dataset.offlineKey || "client_key"];
    if (key && !key.value) { key.value = newKey(); } // one key per report: a resend is the same report
  });
  window.addEventListener("online", send);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { return null; });
  }
  refresh().then(send);
})();
