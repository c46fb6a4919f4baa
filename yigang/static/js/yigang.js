// Yigang's only script of its own. The Content-Security-Policy forbids inline JavaScript, so behaviour that
// used to sit in onclick/onsubmit attributes is declared with data attributes and wired here:
//   <form data-confirm="确定…？">  asks before submitting;   <button data-print>  prints the page;
// and an htmx request that is refused shows the refusal in place.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm !== undefined) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
  // htmx leaves a page as it was on an error answer, so a refusal would show nothing: a 403 (无权查看/无权操作)
  // or a 404 (无权查看或不存在) comes as the note alone (middleware.py) and is shown where the answer was going.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403 || status === 404) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
