// Step 1 page: the Print button prints the page (no inline script, so a strict CSP holds).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
