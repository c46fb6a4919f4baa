// Phones first (issue 15, point 3): every table with a one-row <thead> gets each cell labelled with its column
// heading (data-label) and the class "cards"; phones.css then lays it out as one card per row on a small screen.
// A heading with data-key marks a column that comes first on the card (状态, 在任人员…). Tables whose headings span
// columns keep their grid and scroll inside .table-wrap. Static file: the CSP forbids inline scripts.
(function () {
  "use strict";
  function label(root) {
    var tables = (root || document).querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.classList.contains("cards") || table.classList.contains("no-cards")) { return; }
      var head = table.tHead;
      if (!head || head.rows.length !== 1) { return; }
      var cells = head.rows[0].cells;
      var names = [], keys = [];
      for (var i = 0; i < cells.length; i++) {
        if (cells[i].colSpan > 1) { return; }
        names.push(cells[i].textContent.replace(/\s+/g, " ").trim());
        keys.push(cells[i].hasAttribute("data-key"));
      }
      for (var b = 0; b < table.tBodies.length; b++) {
        var rows = table.tBodies[b].rows;
        for (var r = 0; r < rows.length; r++) {
          var row = rows[r].cells;
          if (row.length !== names.length) { continue; }
          for (var c = 0; c < row.length; c++) {
            row[c].setAttribute("data-label", names[c]);
            if (keys[c]) { row[c].classList.add("key"); }
          }
        }
      }
      table.classList.add("cards");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { label(document); });
  } else {
    label(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { label(event.target); });
})();
