/* Walidata's dashboard: draw the Vega-Lite specs the server embedded (json_script) with the
   locally vendored vega-embed. The tables beside the charts hold the same numbers, so without
   JavaScript (or if a chart fails) the page loses only the pictures. */
(function () {
  "use strict";
  // Numbers the Indonesian way (1.234,5), whatever the browser's locale; the page's language
  // decides, so the English interface keeps 1,234.5.
  var ID_FORMAT = { decimal: ",", thousands: ".", grouping: [3], currency: ["Rp", ""] };
  function locale() {
    var lang = (document.documentElement.getAttribute("lang") || "id").toLowerCase();
    return lang.indexOf("id") === 0 ? ID_FORMAT : undefined;
  }
  function draw() {
    if (typeof window.vegaEmbed !== "function") return;
    // ast: true evaluates Vega's expressions with vega-embed's interpreter: the CSP forbids eval.
    var options = { actions: false, ast: true, renderer: "svg" };
    var format = locale();
    if (format) options.formatLocale = format;
    var boxes = document.querySelectorAll(".dash-chart [data-spec]");
    Array.prototype.forEach.call(boxes, function (box) {
      var source = document.getElementById(box.getAttribute("data-spec"));
      if (!source) return;
      var spec;
      try { spec = JSON.parse(source.textContent); } catch (error) { return; }
      // actions: false keeps the "open in the online editor" link (another host) off the page.
      window.vegaEmbed(box, spec, options)
        .then(function () { box.classList.add("drawn"); })
        .catch(function (error) { box.setAttribute("data-error", String(error)); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
