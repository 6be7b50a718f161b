/* Filters of a chronological list (home and year pages): by actors (any of those
   checked), tag and date range, applied in the page.

   The cards carry their event's own actor ids and tag slugs (data-actors, data-tags,
   space-separated) and first and last days (data-start, data-end, ISO): an event is
   shown when its days meet the range. The filters live in the query string
   (?actor=a&actor=b&tag=t&from=2017-01-01&to=2017-12-31), so a filtered view can be
   shared; each change is a history entry, and Back restores the view before it.
   A polite live region says how many events are shown. Year and month sections left
   with no visible event are hidden by the stylesheet. Other parameters of the address
   (the time view's) are kept. Without JavaScript the controls stay hidden and every
   event is shown. */
(() => {
  "use strict";
  const bar = document.querySelector("[data-filters]");
  const list = document.querySelector("[data-filter-list]");
  if (!bar || !list) return;
  const form = bar.querySelector("form");
  const details = bar.querySelector("details");
  const status = bar.querySelector("[role=status]");
  const cards = Array.from(list.querySelectorAll(".card"), (card) => ({
    card,
    actors: new Set(card.dataset.actors.split(" ")),
    tags: new Set(card.dataset.tags.split(" ")),
    start: card.dataset.start,
    end: card.dataset.end,
  }));
  const FIELDS = ["actor", "tag", "from", "to"];

  bar.hidden = false;

  /* The filters as query parameters: what the form holds, or what the URL says. */
  function fromForm() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (value) params.append(name, value);
    }
    return params;
  }

  function fromLocation() {
    const params = new URLSearchParams();
    for (const [name, value] of new URLSearchParams(location.search)) {
      if (FIELDS.includes(name) && value) params.append(name, name === "from" || name === "to" ? fullDay(value, name === "to") : value);
    }
    return params;
  }

  /* A shared address may give a month ("2017-05") or a year ("2017"): the date inputs
     need a day, the first of the range for "from" and its last for "to". */
  function fullDay(value, last) {
    const match = /^(\d{4})(?:-(\d{2}))?$/.exec(value);
    if (!match) return value;
    const year = Number(match[1]);
    const month = match[2] ? Number(match[2]) : (last ? 12 : 1);
    const day = last ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 1;
    return `${match[1]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  }

  function toForm(params) {
    const actors = new Set(params.getAll("actor"));
    for (const box of form.querySelectorAll("input[name=actor]")) box.checked = actors.has(box.value);
    for (const name of ["tag", "from", "to"]) {
      const field = form.elements.namedItem(name);
      if (field) field.value = params.get(name) || "";
    }
  }

  function matches(entry, params) {
    const actors = params.getAll("actor");
    const tag = params.get("tag");
    const from = params.get("from");
    const to = params.get("to");
    return (!actors.length || actors.some((actor) => entry.actors.has(actor)))
      && (!tag || entry.tags.has(tag))
      && (!from || entry.end >= from)
      && (!to || entry.start <= to);
  }

  function apply(params, announce) {
    let shown = 0;
    for (const entry of cards) {
      const visible = matches(entry, params);
      entry.card.hidden = !visible;
      if (visible) shown += 1;
    }
    const filtered = [...params.keys()].length > 0;
    if (filtered) details.open = true;
    if (announce || filtered) {
      say(filtered ? `${shown} of ${cards.length} events shown.` : `All ${cards.length} events shown.`);
    }
  }

  function say(text) {
    status.textContent = text;
  }

  function change() {
    const params = fromForm();
    if (params.toString() !== fromLocation().toString()) {
      const address = new URLSearchParams(location.search);
      for (const name of FIELDS) address.delete(name);
      for (const [name, value] of params) address.append(name, value);
      const query = address.toString();
      try {
        history.pushState(null, "", query ? `?${query}` : location.pathname);
      } catch (error) {
        // Some browsers refuse to change the address of a file opened from disk: filter all the same.
      }
    }
    apply(params, true);
  }

  form.addEventListener("change", change);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    change();
  });
  bar.querySelector("[data-filter-clear]").addEventListener("click", () => {
    toForm(new URLSearchParams());
    change();
  });
  window.addEventListener("popstate", () => {
    const params = fromLocation();
    toForm(params);
    apply(params, true);
  });

  const initial = fromLocation();
  toForm(initial);
  apply(initial, false);
})();
