// Entry grid, progressive: Enter and arrow keys move between cells, each column shows its
// live total, and leaving with unsaved changes asks first. The form works without it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-grid]");
  if (!form) { return; }
  var inputs = form.querySelectorAll("input[name^='c']");
  var cells = {};  // "row_col" -> input
  var rows = 0;
  inputs.forEach(function (input) {
    var m = /^c(\d+)_(\d+)$/.exec(input.name);
    if (!m) { return; }
    var r = +m[1];
    var c = +m[2];
    input.dataset.r = r;
    input.dataset.c = c;
    cells[r + "_" + c] = input;
    rows = Math.max(rows, r + 1);
  });

  function focusCell(r, c) {
    var target = cells[r + "_" + c];
    if (target) { target.focus(); target.select(); return true; }
    return false;
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.dataset || input.dataset.r === undefined) { return; }
    var r = +input.dataset.r;
    var c = +input.dataset.c;
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    var moved = false;
    if (event.key === "Enter" || event.key === "ArrowDown") {
      // Enter moves down like a spreadsheet; it never submits the whole grid by accident.
      moved = focusCell(event.shiftKey && event.key === "Enter" ? r - 1 : r + 1, c);
      if (event.key === "Enter") { event.preventDefault(); }
    } else if (event.key === "ArrowUp") {
      moved = focusCell(r - 1, c);
    } else if (event.key === "ArrowLeft" && atStart) {
      moved = focusCell(r, c - 1);
    } else if (event.key === "ArrowRight" && atEnd) {
      moved = focusCell(r, c + 1);
    }
    if (moved) { event.preventDefault(); }
  });

  // Indonesian number: dots group thousands, the comma is the decimal mark.
  var pattern = /^-?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$/;
  function parse(text) {
    var raw = text.replace(/[\s\u00a0]/g, "");
    if (raw === "") { return 0; }
    if (!pattern.test(raw)) { return NaN; }
    return parseFloat(raw.replace(/\./g, "").replace(",", "."));
  }
  function format(value) {
    var rounded = Math.round(value * 1e6) / 1e6;
    return rounded.toLocaleString("id-ID", { maximumFractionDigits: 6 });
  }
  var totals = {};
  form.querySelectorAll("[data-total]").forEach(function (cell) {
    totals[cell.dataset.total] = cell;
  });
  function updateTotal(c) {
    var cell = totals[c];
    if (!cell) { return; }
    var sum = 0;
    var bad = false;
    for (var r = 0; r < rows; r++) {
      var input = cells[r + "_" + c];
      if (!input) { continue; }
      var value = parse(input.value);
      if (isNaN(value)) { bad = true; } else { sum += value; }
    }
    // A cell that is no number leaves the total unknown rather than silently wrong.
    cell.textContent = bad ? "?" : format(sum);
  }

  // A page shown again after a refused save holds typed values that are not saved yet.
  var dirty = form.hasAttribute("data-unsaved");
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (input.dataset && input.dataset.c !== undefined) {
      updateTotal(input.dataset.c);
      input.classList.toggle("changed", input.value !== input.defaultValue);
    }
    dirty = true;
  });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
})();
