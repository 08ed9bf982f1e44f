// Sorting and filtering for tables; every page reads fully without this script.
(function () {
  "use strict";
  function cellValue(row, index, kind) {
    var cell = row.cells[index];
    var text = cell ? cell.textContent.trim() : "";
    if (kind === "number") {
      var n = parseFloat(text);
      return isNaN(n) ? Infinity : n;
    }
    return text;
  }
  function sortBy(table, th, index) {
    var kind = th.getAttribute("data-sort");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
      var order = kind === "number" ? x - y : String(x).localeCompare(String(y), document.documentElement.lang);
      return ascending ? order : -order;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }
  // A sortable heading's text goes into a button, which the keyboard reaches and a screen
  // reader announces; the heading itself says the order (aria-sort).
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      if (!th.hasAttribute("data-sort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, th, index); });
    });
  });
  // A chart's bar or row opens its town's page on a click; the tables beside the charts carry
  // the same links for the keyboard and screen readers.
  Array.prototype.forEach.call(document.querySelectorAll("svg.chart [data-href]"), function (g) {
    g.addEventListener("click", function () { window.location.href = g.getAttribute("data-href"); });
  });
  var filter = document.querySelector("input.filter");
  var ranking = document.getElementById("ranking");
  if (filter && ranking) {
    filter.hidden = false;
    filter.addEventListener("input", function () {
      var q = filter.value.trim();
      Array.prototype.forEach.call(ranking.tBodies[0].rows, function (row) {
        row.hidden = q !== "" && row.textContent.indexOf(q) < 0;
      });
    });
  }
  var print = document.querySelector("button.print");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
