/* Maps that follow the filters and the time view of their page, and marks that list their events.

   A map's marks and the entries of its list of places carry their events' ids
   (data-events); the page's cards are those events (id "e-<event id>"). Without
   JavaScript an entry gives its place's count of events and a link to the place's page.
   Here each entry's count becomes a disclosure that lists its events, made from the
   cards (their date and title link) when it is opened, so the page does not carry every
   event twice. When the filters (filters.js) hide cards, or the time view narrows the
   list to its range (class is-outside-view), a mark or an entry whose events are all
   out is hidden too (data-out), and the counts and names follow.
   Selecting a mark goes to its first place's entry (a plain link, so it works without
   JavaScript) and opens the lists of all the places it stands for. */
(() => {
  "use strict";
  const maps = Array.from(document.querySelectorAll("[data-map-events]"));
  if (!maps.length) return;

  const cardOf = (id) => document.getElementById(`e-${id}`);
  const isOut = (card) => !card || card.hidden || card.classList.contains("is-outside-view");
  const eventsWord = (count) => `${count} event${count === 1 ? "" : "s"}`;
  const idsOf = (element) => (element.dataset.events ? element.dataset.events.split(" ") : []);

  /* An entry's events, listed from their cards: the date as the card shows it, and its title link. */
  function fillList(entry) {
    const list = entry.list;
    list.replaceChildren();
    for (const id of entry.events) {
      const card = cardOf(id);
      if (isOut(card)) continue;
      const item = document.createElement("li");
      const date = card.querySelector(".card-date time");
      if (date) item.append(date.cloneNode(true), ": ");
      item.append(card.querySelector(".card-title a").cloneNode(true));
      list.append(item);
    }
  }

  /* The count of an entry of the list, made a disclosure of its events. */
  function disclosure(element) {
    const count = element.querySelector(".map-count");
    if (!count) return null;
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    const list = document.createElement("ul");
    list.className = "event-list";
    summary.textContent = count.textContent;
    details.append(summary, list);
    count.replaceWith(details);
    const entry = { element, events: idsOf(element), details, summary, list };
    details.addEventListener("toggle", () => {
      if (details.open) fillList(entry);
    });
    return entry;
  }

  const entries = new Map();
  for (const map of maps) {
    for (const element of map.parentElement.querySelectorAll(".map-places li[data-events]")) {
      const entry = disclosure(element);
      if (entry) entries.set(element.id, entry);
    }
  }

  /* Open the lists of the mark's places and move the focus to the first, as the link would. */
  function openPlaces(mark) {
    const found = mark.dataset.places.split(" ").map((id) => entries.get(id)).filter(Boolean);
    if (!found.length) return false;
    for (const entry of found) entry.details.open = true;
    found[0].element.scrollIntoView({ block: "nearest" });
    found[0].summary.focus();
    try {
      history.replaceState(null, "", `#${found[0].element.id}`);
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

  const marks = maps.flatMap((map) => Array.from(map.querySelectorAll(".map-mark"), (element) => ({
    element,
    events: idsOf(element),
    text: element.querySelector("text"),
  })));

  function update() {
    const shownCount = (ids) => ids.filter((id) => !isOut(cardOf(id))).length;
    for (const mark of marks) {
      if (!mark.events.length) continue;
      const count = shownCount(mark.events);
      mark.element.toggleAttribute("data-out", count === 0);
      if (mark.text) mark.text.textContent = String(count);
      mark.element.setAttribute("aria-label", `${mark.element.dataset.name}: ${eventsWord(count)}`);
    }
    for (const entry of entries.values()) {
      const count = shownCount(entry.events);
      entry.element.toggleAttribute("data-out", count === 0);
      entry.summary.textContent = eventsWord(count);
      if (entry.details.open) fillList(entry);
    }
  }

  const list = document.querySelector("[data-filter-list]") || document.querySelector(".chronology");
  if (!list) return;
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      update();
    });
  }).observe(list, { subtree: true, attributes: true, attributeFilter: ["hidden", "class"] });
  update();
})();
