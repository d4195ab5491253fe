// On a phone the filters sit under the results: close them there, unless some are ticked.
(function () {
  var box = document.getElementById("search-filters");
  if (box && !box.hasAttribute("data-filtered") && window.matchMedia("(max-width: 48rem)").matches) {
    box.open = false;
  }
})();
