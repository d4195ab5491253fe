// Portal workspace (SOP step 3): "select all open filled" and a live count of the selection.
// The page works without it: the server-side link `?select=ready` ticks the same rows.
(function () {
  var form = document.getElementById("ws-publish");
  if (!form) { return; }
  var boxes = form.querySelectorAll('input[type=checkbox][name=items]');
  var counter = form.querySelector("[data-selected-count]");
  var label = counter ? " " + counter.getAttribute("data-label") : "";

  function refresh() {
    var n = 0;
    boxes.forEach(function (box) {
      box.closest("tr").classList.toggle("is-selected", box.checked);
      if (box.checked) { n += 1; }
    });
    if (counter) { counter.textContent = n ? n + label : ""; }
  }

  var button = form.querySelector("[data-select-ready]");
  var link = form.querySelector("[data-select-ready-link]");
  if (button) {
    button.hidden = false;
    if (link) { link.hidden = true; }
    button.addEventListener("click", function () {
      form.querySelectorAll("input[data-ready]").forEach(function (box) { box.checked = true; });
      refresh();
    });
  }
  form.addEventListener("change", refresh);
  refresh();
})();
