/* Small behaviours every page may use, bound here because the Content-Security-Policy lets no
   inline code run (no onclick=/onchange= attributes, no javascript: links):
   - <select data-autosubmit> sends its form when changed (the language switch);
   - <form data-confirm="question"> asks before it is sent;
   - <a data-action="back"> goes back in the history (its href is the no-JavaScript fallback);
   - <button data-action="print"> prints the page;
   - <button data-action="copy" data-copy="id" hidden> copies that element's text (a citation)
     and says so in the <span role="status"> beside it; shown only where this script runs;
   - a .table-wrap box that scrolls sideways (a wide table on a phone) can be reached and
     scrolled with the keyboard (WCAG 2.1.1: tabindex, and a region named by its table). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-action]");
    if (!el) return;
    var action = el.getAttribute("data-action");
    if (action === "back" && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    } else if (action === "print") {
      event.preventDefault();
      window.print();
    } else if (action === "copy") {
      event.preventDefault();
      copyText(el);
    }
  });
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }
  function copyText(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector("[role=status]");
    if (!source) return;
    // Where the browser refuses both ways, selectText has left the text selected for Ctrl+C.
    function said(copied) {
      if (status) status.textContent = button.getAttribute(copied ? "data-copied" : "data-failed");
    }
    var text = source.textContent.replace(/\s+/g, " ").trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { said(true); }, function () { said(selectText(source)); });
    } else {
      said(selectText(source));
    }
  }
  function keyboardScroll() {
    var boxes = document.querySelectorAll(".table-wrap:not([tabindex])");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth <= box.clientWidth) continue;
      box.setAttribute("tabindex", "0");
      var caption = box.querySelector("caption");
      var label = caption ? caption.textContent.trim() : "";
      if (label && !box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label);
      }
    }
  }
  function showCopyButtons() {
    var buttons = document.querySelectorAll("button[data-action=copy][hidden]");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }
  function ready() {
    keyboardScroll();
    showCopyButtons();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
