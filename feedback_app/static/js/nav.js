// The dashboard's top menu on one line, in any language and at any width from 601 px: a menu too
// long for the space beside the brand takes a row of its own, and the sections that still do not
// fit move, last first, into "More" at its end (the current one marks "More"). Phones keep the
// wrapped menu, where every section stays in sight. Without this script the menu wraps.
// Loaded at the end of the header (not deferred), so the first paint already has the arranged menu.
(function () {
  "use strict";
  const nav = document.querySelector("nav.staff-nav");
  if (!nav) return;
  const header = nav.closest(".site-header");
  const list = nav.querySelector(":scope > ul");
  const more = list.querySelector(":scope > li.nav-more");
  const moreList = more.querySelector("ul");
  const sections = Array.from(list.children).filter((li) => li !== more);
  const wide = window.matchMedia("(min-width: 601px)");

  const overflows = () => list.scrollWidth > list.clientWidth + 1;

  function arrange() {
    // Start from the whole menu in one row, in its first order.
    sections.forEach((li) => list.insertBefore(li, more));
    more.hidden = true;
    more.classList.remove("holds-current");
    header.classList.remove("menu-own-row");
    nav.classList.toggle("one-line", wide.matches);
    if (!wide.matches || !overflows()) return;
    header.classList.add("menu-own-row");
    if (!overflows()) return;
    more.hidden = false;
    const shown = sections.filter((li) => getComputedStyle(li).display !== "none");
    while (overflows() && shown.length > 1) {
      moreList.insertBefore(shown.pop(), moreList.firstChild);
    }
    more.classList.toggle("holds-current", moreList.querySelector("[aria-current]") !== null);
  }

  arrange();
  // Again whenever the window's width changes.
  let width = window.innerWidth;
  let queued = false;
  window.addEventListener("resize", () => {
    if (queued || window.innerWidth === width) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; width = window.innerWidth; arrange(); });
  });
  document.fonts && document.fonts.ready.then(arrange);
  // "More" closes on a click elsewhere and on Escape, as a menu does.
  const details = more.querySelector("details");
  document.addEventListener("click", (event) => {
    if (details.open && !details.contains(event.target)) details.open = false;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && details.open) {
      details.open = false;
      details.querySelector("summary").focus();
    }
  });
})();
