// The report page: poll the build's status while it runs, then reload to show the files.
// Without JavaScript the page reloads itself (a <noscript> refresh) while a build runs.
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box || box.dataset.active !== "1") return;
  var url = box.dataset.statusUrl;
  var bar = box.querySelector(".progress");
  var fill = bar ? bar.querySelector("span") : null;
  var percent = box.querySelector(".job-percent");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { setTimeout(poll, 5000); return; }
        if (fill) fill.style.width = status.percent + "%";
        if (bar) bar.setAttribute("aria-valuenow", status.percent);
        if (percent) percent.textContent = status.percent + "%";
        if (status.active) { setTimeout(poll, 1500); } else { reloadWhenFree(); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  // Never reload under someone's hands: the narrative being typed would be lost, and a
  // keyboard user's place with it. Saving it reloads the page anyway.
  function editing() {
    var active = document.activeElement;
    if (active && active.matches("input, textarea, select")) return true;
    var fields = document.querySelectorAll("textarea, input[type=text]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== fields[i].defaultValue) return true;
    }
    return false;
  }
  function reloadWhenFree() {
    if (editing()) { setTimeout(reloadWhenFree, 1500); } else { window.location.reload(); }
  }
  setTimeout(poll, 1000);
})();
