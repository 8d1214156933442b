/* Wide tables on the public data pages: show the "scroll sideways" hint above a table only while
   the table is wider than its container, so that a phone reader knows columns are out of sight
   and a desktop reader is not told to scroll a table that fits. Without JavaScript the hint stays
   hidden and the table still scrolls. */
(function () {
  "use strict";

  function update(container, hint) {
    // One pixel of slack: browsers round widths, and a table that fits must not get a hint.
    hint.hidden = container.scrollWidth <= container.clientWidth + 1;
  }

  function watch(container) {
    var hint = container.previousElementSibling;
    if (!hint || !hint.hasAttribute("data-scroll-hint")) {
      return;
    }
    update(container, hint);
    if ("ResizeObserver" in window) {
      new ResizeObserver(function () {
        update(container, hint);
      }).observe(container);
    } else {
      window.addEventListener("resize", function () {
        update(container, hint);
      });
    }
  }

  function start() {
    document.querySelectorAll(".br-scroll").forEach(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
