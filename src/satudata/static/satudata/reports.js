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
        if (status.active) { setTimeout(poll, 1500); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
