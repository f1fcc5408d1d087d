// A fold (the console's menu, a list's filters) is closed on a phone, where it would fill the first screen, and
// open on a laptop, where it fits; it follows the window when that is turned or resized. A fold marked
// data-stays-open (filters naming a mistake in them) stays open on a phone too. Plain ES5, no framework.
(function () {
  var wide = window.matchMedia("(min-width: 761px)");
  function lay() {
    var folds = document.querySelectorAll("details.fold");
    for (var i = 0; i < folds.length; i++) folds[i].open = wide.matches || folds[i].hasAttribute("data-stays-open");
  }
  lay();
  if (wide.addEventListener) wide.addEventListener("change", lay);
})();
