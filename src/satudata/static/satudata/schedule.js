// Release schedule pages: the Print button prints the page (no inline script, for the CSP).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
