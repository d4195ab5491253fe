/* Dataset page charts: render the Vega-Lite specs the server embedded (json_script) with the
   locally vendored vega-embed. Without JavaScript the table below the charts holds the same
   values, so the page loses nothing but the picture. */
(function () {
  "use strict";
  // Numbers the Indonesian way (1.234,5) on axes and tooltips, whatever the browser's locale.
  var ID_FORMAT = { decimal: ",", thousands: ".", grouping: [3], currency: ["Rp", ""] };
  function draw() {
    if (typeof window.vegaEmbed !== "function") return;
    var boxes = document.querySelectorAll("[data-spec]");
    Array.prototype.forEach.call(boxes, function (box) {
      var source = document.getElementById(box.getAttribute("data-spec"));
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      // actions: false keeps the "open in the online editor" link (another host) off the page.
      // ast: true evaluates Vega's expressions with vega-embed's interpreter: the CSP forbids eval.
      window.vegaEmbed(box, spec, { actions: false, ast: true, renderer: "svg", formatLocale: ID_FORMAT })
        .then(function () { box.classList.add("drawn"); })
        .catch(function (error) { box.setAttribute("data-error", String(error)); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
