/* Maps that follow the filters of their page, and marks that open their places' lists.

   A map's marks and the entries of its list carry their events' ids (data-events).
   When the filters (filters.js) hide or show cards, a mark or an entry whose events
   are all hidden is hidden too (data-out), and a mark's count and name follow.
   Selecting a mark goes to its first place's entry (a plain link, so it works without
   JavaScript) and opens the lists of all the places it stands for. */
(() => {
  "use strict";
  const maps = Array.from(document.querySelectorAll("[data-map-events]"));
  if (!maps.length) return;

  /* Open the lists of the mark's places and move the focus to the first, as the link would. */
  function openPlaces(mark) {
    const entries = mark.dataset.places.split(" ").map((id) => document.getElementById(id)).filter(Boolean);
    if (!entries.length) return false;
    for (const entry of entries) {
      const details = entry.querySelector("details");
      if (details) details.open = true;
    }
    const first = entries[0].querySelector("summary") || entries[0].querySelector("a");
    entries[0].scrollIntoView({ block: "nearest" });
    first.focus();
    try {
      history.replaceState(null, "", `#${entries[0].id}`);
    } catch (error) {
      // A file opened from disk may refuse: the list is open and focused all the same.
    }
    return true;
  }

  for (const map of maps) {
    map.addEventListener("click", (event) => {
      const mark = event.target.closest(".map-mark");
      if (mark && openPlaces(mark)) event.preventDefault();
    });
  }

  const list = document.querySelector("[data-filter-list]");
  if (!list) return;
  const cards = Array.from(list.querySelectorAll(".card"), (card) => {
    const link = card.querySelector(".card-title a");
    const found = link && /events\/([^/]+)\//.exec(link.getAttribute("href"));
    return { card, id: found ? decodeURIComponent(found[1]) : "" };
  });
  const tracked = maps.flatMap((map) => Array.from(map.parentElement.querySelectorAll("[data-events]"), (element) => ({
    element,
    events: element.dataset.events ? element.dataset.events.split(" ") : [],
    text: element.querySelector("text"),
  })));

  function update() {
    const shown = new Set(cards.filter((entry) => !entry.card.hidden).map((entry) => entry.id));
    for (const item of tracked) {
      const count = item.events.filter((id) => shown.has(id)).length;
      item.element.toggleAttribute("data-out", item.events.length > 0 && count === 0);
      if (item.element.classList.contains("map-mark") && item.events.length) {
        if (item.text) item.text.textContent = String(count);
        item.element.setAttribute("aria-label", `${item.element.dataset.name}: ${count} event${count === 1 ? "" : "s"}`);
      }
    }
  }

  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      update();
    });
  }).observe(list, { subtree: true, attributes: true, attributeFilter: ["hidden"] });
  update();
})();
