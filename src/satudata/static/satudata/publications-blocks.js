/* Tables and charts of a publication: draws the charts of _block.html with the locally vendored
   vega-embed (loaded once, on the first chart), and runs the draft form's blocks editor
   (_blocks_editor.html). _block.html includes this file once per chart: only the first copy
   runs. Without JavaScript, tables are plain HTML, each chart lists its values, and the
   editor's hidden field keeps the stored blocks. */
(function () {
  "use strict";
  if (window.satudataBlocks) return;
  // Numbers the Indonesian way (1.234,5) on axes, whatever the browser's locale.
  var ID_FORMAT = { decimal: ",", thousands: ".", grouping: [3], currency: ["Rp", ""] };
  var script = document.currentScript;
  var vendor = (script && script.getAttribute("data-vendor")) || "/static/satudata/vendor/";
  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function vegaReady() {
    if (typeof window.vegaEmbed === "function") return Promise.resolve();
    if (!loading) {
      loading = loadScript(vendor + "vega.min.js")
        .then(function () { return loadScript(vendor + "vega-lite.min.js"); })
        .then(function () { return loadScript(vendor + "vega-embed.min.js"); });
    }
    return loading;
  }

  function draw(root) {
    var boxes = (root || document).querySelectorAll("[data-pub-chart]:not(.drawn)");
    if (!boxes.length) return;
    vegaReady().then(function () {
      Array.prototype.forEach.call(boxes, function (box) {
        var source = box.nextElementSibling;
        if (!source || source.type !== "application/json") return;
        var spec = JSON.parse(source.textContent);
        // actions: false keeps the "open in the online editor" link (another host) off the page.
        // ast: true evaluates Vega's expressions with vega-embed's interpreter: the CSP forbids eval.
        window.vegaEmbed(box, spec, { actions: false, ast: true, renderer: "svg", formatLocale: ID_FORMAT })
          .then(function () { box.classList.add("drawn"); })
          .catch(function (error) { box.setAttribute("data-error", String(error)); });
      });
    }).catch(function () { /* the values stay listed under each chart */ });
  }

  /* ---- The blocks editor inside the draft form ---- */
  function Editor(root) {
    var input = root.querySelector("input[name=blocks]");
    var list = root.querySelector("[data-pub-list]");
    var preview = root.querySelector("[data-pub-preview]");
    var error = root.querySelector("[data-pub-error]");
    var picker = root.querySelector("[data-pub-picker]");
    var f = {
      item: root.querySelector("[data-pub-field=item]"),
      kind: root.querySelector("[data-pub-field=kind]"),
      chart: root.querySelector("[data-pub-field=chart]"),
      period: root.querySelector("[data-pub-field=period]"),
      breakdown: root.querySelector("[data-pub-field=breakdown]"),
      title: root.querySelector("[data-pub-field=title]"),
    };
    var t = root.dataset;
    var items = {};
    var blocks = [];
    try { blocks = JSON.parse(input.value || "[]") || []; } catch (e) { blocks = []; }

    function csrf() {
      var form = root.closest("form");
      var field = (form || document).querySelector("[name=csrfmiddlewaretoken]");
      if (field) return field.value;
      var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
      return match ? decodeURIComponent(match[1]) : "";
    }

    function option(select, value, label) {
      var o = document.createElement("option");
      o.value = value;
      o.textContent = label;
      select.appendChild(o);
    }

    function fillItem() {
      var item = items[f.item.value];
      f.period.innerHTML = "";
      f.breakdown.innerHTML = "";
      f.chart.innerHTML = "";
      if (!item) return;
      option(f.period, "", t.latest);
      item.periods.forEach(function (p) { option(f.period, p.key, p.label); });
      if (!item.breakdowns.length) option(f.breakdown, "", "–");
      item.breakdowns.forEach(function (b) { option(f.breakdown, b.key, b.label); });
      item.charts.forEach(function (c) { option(f.chart, c.key, c.label); });
      f.chart.disabled = f.kind.value !== "chart";
    }

    function label(block) {
      var item = items[block.item];
      var name = item ? item.name : t.unknownItem.replace("%s", block.item);
      var kind = block.kind === "chart" ? t.chart : t.table;
      var period = block.period || t.latest;
      return (block.title ? block.title + " · " : "") + kind + ": " + name + " · " + period;
    }

    function button(text, title, handler, disabled) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", title);
      b.title = title;
      b.disabled = !!disabled;
      b.addEventListener("click", handler);
      return b;
    }

    function renderList() {
      list.innerHTML = "";
      if (!blocks.length) {
        var empty = document.createElement("li");
        empty.textContent = t.empty;
        list.appendChild(empty);
      }
      blocks.forEach(function (block, i) {
        var li = document.createElement("li");
        var span = document.createElement("span");
        span.textContent = (i + 1) + ". " + label(block);
        var actions = document.createElement("span");
        actions.className = "pub-actions";
        var name = label(block);
        actions.appendChild(button("↑", t.up + ": " + name, function () { move(i, -1); }, i === 0));
        actions.appendChild(button("↓", t.down + ": " + name, function () { move(i, 1); }, i === blocks.length - 1));
        actions.appendChild(button(t.remove, t.remove + ": " + name, function () { remove(i); }));
        li.appendChild(span);
        li.appendChild(actions);
        list.appendChild(li);
      });
    }

    function store() {
      input.value = JSON.stringify(blocks);
      // The draft form's autosave listens for changes of its fields.
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // Only the newest check's answer is shown: the first preview, asked when the page opens,
    // must not bring back a block the user removed while it was on its way.
    var latest = 0;

    function check(candidate) {
      var mine = ++latest;
      error.textContent = "";
      return fetch(root.getAttribute("data-check-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ blocks: candidate }),
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || t.failed);
          return data;
        });
      }).then(function (data) {
        if (mine !== latest) return data;
        blocks = data.blocks;
        preview.innerHTML = data.html;
        draw(preview);
        renderList();
        return data;
      }).catch(function (e) {
        error.textContent = e.message || t.failed;
        throw e;
      });
    }

    function apply(candidate) {
      return check(candidate).then(store, function () {});
    }

    function move(i, step) {
      var copy = blocks.slice();
      var moved = copy.splice(i, 1)[0];
      copy.splice(i + step, 0, moved);
      apply(copy);
    }

    function remove(i) {
      var copy = blocks.slice();
      copy.splice(i, 1);
      apply(copy);
    }

    root.querySelector("[data-pub-add]").addEventListener("click", function () {
      if (!f.item.value) { error.textContent = t.chooseItem; f.item.focus(); return; }
      var block = {
        kind: f.kind.value,
        item: parseInt(f.item.value, 10),
        period: f.period.value,
        breakdown: f.breakdown.value,
        chart: f.kind.value === "chart" ? f.chart.value : "",
        title: f.title.value,
      };
      apply(blocks.concat([block])).then(function () { f.title.value = ""; });
    });
    f.item.addEventListener("change", fillItem);
    f.kind.addEventListener("change", function () { f.chart.disabled = f.kind.value !== "chart"; });

    fetch(root.getAttribute("data-options-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.items.forEach(function (item) {
          items[item.id] = item;
          option(f.item, item.id, item.name + (item.unit ? " (" + item.unit + ")" : "") + " · " + item.level);
        });
        if (!data.items.length) error.textContent = t.noItems;
        fillItem();
        picker.hidden = false;
        renderList();
        if (blocks.length) check(blocks).catch(function () {});
      })
      .catch(function () { error.textContent = t.failed; });
  }

  window.satudataBlocks = { draw: draw, Editor: Editor };

  function start() {
    draw(document);
    Array.prototype.forEach.call(document.querySelectorAll("[data-pub-editor]"), function (root) {
      new Editor(root);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
