// Yigang's only script of its own. The Content-Security-Policy forbids inline JavaScript, so behaviour that
// used to sit in onclick/onsubmit attributes is declared with data attributes and wired here:
//   <form data-confirm="确定…？">  asks before submitting;   <button data-print>  prints the page.
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
})();
