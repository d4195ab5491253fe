/* The operator's draft editor (SOP step 4): a small formatting toolbar over an editable area
   mirrored into the form's `body` textarea, a live caption counter, and autosave.

   Autosave sends the fields with the revision the page last saw, 2 s after typing stops and
   when the page is left (fetch with keepalive). A refused save (409: the
   draft changed in another tab; 400) shows the service's message in the status region and
   never touches the fields: what was typed stays. Without JavaScript the form posts as is. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-draft-editor]");
  if (!form) return;

  // Texts from the form's data-* attributes. Not `form.dataset`: a form's named control
  // (here the field "dataset") shadows that property.
  var t = {};
  ["autosave-url", "saving", "failed", "link-prompt", "count", "left", "over", "unsaved"].forEach(
    function (name) {
      t[name.replace(/-(\w)/g, function (all, c) { return c.toUpperCase(); })] =
        form.getAttribute("data-" + name) || "";
    }
  );
  var url = t.autosaveUrl;
  var DELAY = 2000;
  var FIELDS = ["title", "body", "caption", "hashtags", "dataset", "blocks"];
  var statusBox = form.querySelector("[data-save-status]");
  var revision = form.elements.revision;
  var textarea = form.elements.body;
  var area = form.querySelector("[data-rich-area]");
  var toolbar = form.querySelector("[data-rich-toolbar]");

  var timer = null;
  var inflight = null;
  var again = false; // a change came while a save was on its way
  var conflict = false; // a 409: saving again would overwrite the other tab's text
  var leaving = false; // the form itself is being posted

  function csrf() {
    var field = form.querySelector("[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function show(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "pub-save-status" + (kind ? " is-" + kind : "");
  }

  /* ---- Formatted text ---- */
  var savedRange = null;

  function html() {
    // An emptied area still holds a <br>: that is no text, and submitting must say so.
    return area.textContent.trim() || area.querySelector("hr, table") ? area.innerHTML : "";
  }

  function mirror() {
    if (area) textarea.value = html();
  }

  function insideArea(node) {
    return area && node && (node === area || area.contains(node));
  }

  function refreshToolbar() {
    toolbar.querySelectorAll("button[data-cmd=bold], button[data-cmd=italic]").forEach(function (b) {
      var on = false;
      try { on = document.queryCommandState(b.getAttribute("data-cmd")); } catch (e) { on = false; }
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function run(button) {
    var cmd = button.getAttribute("data-cmd");
    var arg = button.getAttribute("data-arg");
    area.focus();
    if (savedRange) {
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(savedRange);
    }
    if (cmd === "createLink") {
      arg = window.prompt(t.linkPrompt, "https://");
      // Only addresses the server keeps: other schemes would be removed on save anyway.
      if (!arg || !/^(https?:\/\/\S+|mailto:\S+)$/i.test(arg.trim())) return;
      arg = arg.trim();
    }
    if (cmd === "formatBlock") {
      // A second press turns a heading or quote back into a paragraph.
      var current = String(document.queryCommandValue("formatBlock") || "").toLowerCase();
      if (current === arg) arg = "p";
      arg = "<" + arg + ">";
    }
    document.execCommand(cmd, false, arg);
    mirror();
    refreshToolbar();
    schedule();
  }

  if (area && toolbar && textarea) {
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* old */ }
    area.hidden = false;
    toolbar.hidden = false;
    textarea.hidden = true; // still posted with the form: the area is mirrored into it
    var help = form.querySelector("[data-rich-help-nojs]");
    if (help) help.hidden = true;
    area.addEventListener("input", function () { mirror(); });
    // Keep the selection in the text when a toolbar button is pressed with the mouse.
    toolbar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) event.preventDefault();
    });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-cmd]");
      if (button) run(button);
    });
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (selection.rangeCount && insideArea(selection.anchorNode)) {
        savedRange = selection.getRangeAt(0).cloneRange();
        refreshToolbar();
      }
    });
  }

  /* ---- Caption counter ---- */
  var caption = form.elements.caption;
  var hashtags = form.elements.hashtags;
  var counter = form.querySelector("[data-caption-counter]");
  var limits = [];
  try { limits = JSON.parse(counter.getAttribute("data-limits") || "[]"); } catch (e) { limits = []; }

  function length(text) {
    return Array.from(text).length; // an emoji is one character to the reader
  }

  function count() {
    if (!counter || !caption) return;
    var tags = hashtags ? hashtags.value.trim() : "";
    var text = caption.value.trim();
    var n = length(text) + (tags ? length(tags) + (text ? 1 : 0) : 0);
    var parts = [format(t.count, { n: n })];
    var over = false;
    limits.forEach(function (limit) {
      var left = limit.max - n;
      if (left < 0) over = true;
      parts.push(format(left < 0 ? t.over : t.left, { name: limit.label, n: Math.abs(left) }));
    });
    counter.textContent = parts.join(" · ");
    counter.classList.toggle("is-over", over);
  }

  if (caption) caption.setAttribute("aria-describedby", "pub-caption-counter");
  count();

  /* ---- Autosave ---- */
  function payload() {
    var data = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) return;
      var value = field.value;
      if (name === "body" && area) value = html();
      if (name === "blocks") {
        // Compared as data, not as text: the blocks editor re-serialises the same list.
        try { value = JSON.parse(value || "[]"); } catch (e) { /* sent as typed: refused */ }
      }
      data[name] = value;
    });
    return data;
  }

  var lastSaved = JSON.stringify(payload());

  function dirty() {
    return JSON.stringify(payload()) !== lastSaved;
  }

  function save(options) {
    options = options || {};
    clearTimeout(timer);
    if (conflict) return Promise.resolve();
    if (inflight) {
      again = true;
      return inflight;
    }
    var data = payload();
    var text = JSON.stringify(data);
    if (text === lastSaved) return Promise.resolve();
    data.revision = Number(revision.value);
    show(t.saving, "saving");
    inflight = fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!options.keepalive,
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrf(),
      },
      body: JSON.stringify(data),
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            revision.value = answer.revision;
            lastSaved = text;
            show(answer.message, "saved");
          } else {
            if (response.status === 409) conflict = true;
            show(answer.error || t.failed, "error");
          }
        });
      }, function () {
        show(t.failed, "error");
      })
      .then(function () {
        inflight = null;
        if (again) {
          again = false;
          schedule();
        }
      });
    return inflight;
  }

  function schedule() {
    count();
    if (conflict || leaving) return;
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    mirror();
    if (inflight) {
      // Post the form once the save on its way has answered, with the revision it returned.
      event.preventDefault();
      var submitter = event.submitter;
      inflight.then(function () {
        if (form.requestSubmit) form.requestSubmit(submitter || undefined);
        else form.submit();
      });
      return;
    }
    leaving = true;
  });

  function flush() {
    // keepalive lets the request outlive the page (it is what navigator.sendBeacon does,
    // with the CSRF header a beacon cannot carry).
    if (!leaving && !conflict && dirty()) save({ keepalive: true });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);
  window.addEventListener("beforeunload", function (event) {
    // Only when the text cannot be saved on the way out (a conflict or a failed save).
    if (!leaving && dirty() && (conflict || /is-error/.test(statusBox.className))) {
      event.preventDefault();
      event.returnValue = t.unsaved;
    }
  });
})();
