/* Full-text search of the events, on every page, on Pagefind's JavaScript API.

   The form in the site's header is hidden without JavaScript. The index (pagefind/
   at the site's root) is loaded at the first use of the box, not with the page. It
   is in shards (pagefind/shards.json lists them, with the facets' counts over all
   of them): Pagefind's script is loaded from the first, the others are merged into
   it (mergeIndex), so a search and its ranking cover them all. Listed by date, each shard gives its own
   events in date order (a search filtered on its "shard" filter) and the lists are
   merged by the date each event carries ("order"), reading only the events shown.
   Pagefind fetches its files, which browsers refuse from file://: there the box
   says that search needs the site to be served. Results link with relative URLs,
   so the site works under any sub-path. Facets: actor, tag and year; results by
   relevance or by date. Each result shows the start of its event's summary, and
   Pagefind's excerpt when the words were found elsewhere (a quote, a source). "/"
   focuses the box, Escape empties it. */
(() => {
  "use strict";
  const script = document.currentScript;
  const form = document.querySelector("[data-search]");
  if (!script || !form) return;
  const src = script.getAttribute("src");
  const root = src.slice(0, src.lastIndexOf("assets/"));  // "../../", or "/" on the 404 page
  const input = form.querySelector("input[type=search]");
  const status = form.querySelector(".search-status");
  const panel = form.querySelector(".search-panel");
  const facets = form.querySelector(".search-facets");
  const list = form.querySelector(".search-results");
  const more = form.querySelector(".search-more");
  const FACETS = [["actor", "Actor", "Any actor"], ["tag", "Tag", "Any tag"], ["year", "Year", "Any year"]];
  const PAGE = 10;
  const SNIPPET_WORDS = 30;
  let pagefind = null;  // the module, once loaded
  let loading = null;  // the promise of it
  let shards = 1;
  let results = { total: 0, take: async () => [] };  // the events found, read a batch at a time
  let shown = 0;

  form.hidden = false;

  function say(text) {
    status.textContent = text;
  }

  function load() {
    if (!loading) loading = start();
    return loading;
  }

  async function start() {
    if (location.protocol === "file:") {
      say("Search needs the site to be served by a web server (for example “timeline serve”): browsers do not let it run from files opened on disk.");
      return null;
    }
    try {
      const base = new URL(root + "pagefind/", document.baseURI);
      const listing = await fetch(new URL("shards.json", base), { cache: "no-cache" });  // revalidated, as Pagefind does its entries
      if (!listing.ok) throw new Error(`pagefind/shards.json: ${listing.status}`);
      const { language, shards: folders, facets: counts } = await listing.json();
      const module = await import(new URL(folders[0] + "pagefind.js", base).href);
      await module.options({ excerptLength: 24 });
      await module.init();
      await Promise.all(folders.slice(1).map((folder) => module.mergeIndex(new URL(folder, base).href, { language })));
      shards = folders.length;
      addFacets(counts || (await module.filters()));  // counted at build time: no shard's filters fetched up front
      pagefind = module;
      return module;
    } catch (error) {
      say("Search is not available on this copy of the site.");
      return null;
    }
  }

  function addFacets(counts) {
    for (const [name, label, any] of FACETS) {
      const values = Object.entries(counts[name] || {});
      if (!values.length) continue;
      values.sort(([a], [b]) => (name === "year" ? Number(a) - Number(b) : a.localeCompare(b)));
      const id = "search-" + name;
      const wrapper = document.createElement("p");
      const labelElement = document.createElement("label");
      labelElement.htmlFor = id;
      labelElement.textContent = label;
      const select = document.createElement("select");
      select.id = id;
      select.dataset.facet = name;
      select.add(new Option(any, ""));
      for (const [value, count] of values) select.add(new Option(`${value} (${count})`, value));
      wrapper.append(labelElement, " ", select);
      facets.append(wrapper);
    }
    const wrapper = document.createElement("p");
    const label = document.createElement("label");
    label.htmlFor = "search-order";
    label.textContent = "Order";
    const order = document.createElement("select");
    order.id = "search-order";
    order.add(new Option("Best match first", ""));
    order.add(new Option("By date", "date"));
    wrapper.append(label, " ", order);
    facets.append(wrapper);
  }

  function chosenFilters() {
    const filters = {};
    for (const select of facets.querySelectorAll("select[data-facet]")) {
      if (select.value) filters[select.dataset.facet] = select.value;
    }
    return filters;
  }

  let latest = 0;  // the run whose results may be shown: an emptied box cancels a pending search

  async function run(debounce) {
    const mine = ++latest;
    if (!(await load())) return;
    const term = input.value.trim();
    const filters = chosenFilters();
    const filtered = Object.keys(filters).length > 0;
    updatePanel();
    if (!term && !filtered) {
      clear();
      return;
    }
    const byDate = (filtered && !term) || facets.querySelector("#search-order").value === "date";
    const found = byDate ? await byDateOrder(term || null, filters, debounce) : await byRelevance(term || null, filters, debounce);
    if (found === null || mine !== latest) return;  // a later search, or an emptied box, replaced this one
    results = found;
    shown = 0;
    list.replaceChildren();
    await showMore(false);
    const count = results.total === 1 ? "1 event found" : `${results.total} events found`;
    say(term ? `${count} for “${term}”.` : `${count}.`);
  }

  /* Best match first: Pagefind ranks the merged shards' results together. */
  async function byRelevance(term, filters, debounce) {
    const search = await pagefind.debouncedSearch(term, { filters }, debounce ? 250 : 0);
    if (search === null) return null;
    const found = search.results;
    return { total: found.length, take: (start, count) => Promise.all(found.slice(start, start + count).map((r) => r.data())) };
  }

  /* By date: each shard's events in its date order, merged by their "order" as they are read. */
  async function byDateOrder(term, filters, debounce) {
    const first = await pagefind.debouncedSearch(term, { filters: { ...filters, shard: "0" }, sort: { date: "asc" } }, debounce ? 250 : 0);
    if (first === null) return null;
    const rest = await Promise.all(Array.from({ length: shards - 1 }, (_, index) =>
      pagefind.search(term, { filters: { ...filters, shard: String(index + 1) }, sort: { date: "asc" } })));
    const lists = [first, ...rest].map((search) => ({ results: search.results, next: 0, head: null }));
    const merged = [];
    async function read(list) {
      list.head = list.next < list.results.length ? await list.results[list.next++].data() : null;
    }
    await Promise.all(lists.map(read));
    return {
      total: lists.reduce((sum, list) => sum + list.results.length, 0),
      async take(start, count) {
        while (merged.length < start + count) {
          let earliest = null;
          for (const list of lists) {
            if (list.head && (!earliest || list.head.meta.order < earliest.head.meta.order)) earliest = list;
          }
          if (!earliest) break;
          merged.push(earliest.head);
          await read(earliest);
        }
        return merged.slice(start, start + count);
      },
    };
  }

  function updatePanel() {
    // Open while the search is used: something asked, or the focus in the form.
    const used = input.value.trim() || Object.keys(chosenFilters()).length || form.contains(document.activeElement);
    panel.hidden = !pagefind || !used;
  }

  function clear() {
    results = { total: 0, take: async () => [] };
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
    say("");
  }

  async function showMore(focus) {
    more.disabled = true;  // one batch at a time: the date order is read as it is shown
    const batch = await results.take(shown, PAGE);
    more.disabled = false;
    const items = batch.map(resultItem);
    list.append(...items);
    shown += batch.length;
    more.hidden = shown >= results.total;
    if (focus && items.length) items[0].querySelector("a").focus();
  }

  function resultItem(data) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = root + (data.raw_url || data.url).replace(/^\//, "");
    link.textContent = data.meta.title || link.href;
    const date = document.createElement("span");
    date.className = "search-date";
    date.textContent = data.meta.date || "";
    const excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    const summary = snippet(data.meta.summary || "");
    const found = excerptNodes(data.excerpt || "").filter((node) => node.nodeName === "MARK").map((node) => node.textContent.toLowerCase());
    excerpt.append(...highlighted(summary, found));
    const seen = `${summary} ${data.meta.title || ""}`.toLowerCase();
    if (!summary || found.some((word) => !seen.includes(word))) {
      const elsewhere = document.createElement("span");
      elsewhere.className = "search-elsewhere";
      elsewhere.append(summary ? " … " : "", ...excerptNodes(data.excerpt || ""));
      excerpt.append(elsewhere);
    }
    item.append(date, " ", link, excerpt);
    return item;
  }

  /* The text with each of the words found marked, as Pagefind marks its excerpts. */
  function highlighted(text, words) {
    const wanted = words.filter(Boolean).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (!text || !wanted.length) return [text];
    return text.split(new RegExp(`(${wanted.join("|")})`, "i")).map((part, index) => {
      if (index % 2 === 0) return document.createTextNode(part);
      const mark = document.createElement("mark");
      mark.textContent = part;
      return mark;
    });
  }

  function snippet(text) {
    const words = text.trim().split(/\s+/).filter(Boolean);
    return words.length > SNIPPET_WORDS ? `${words.slice(0, SNIPPET_WORDS).join(" ")}…` : words.join(" ");
  }

  function excerptNodes(html) {
    // Pagefind's excerpt is escaped text with <mark>s: keep only those two things.
    const template = document.createElement("template");
    template.innerHTML = html;
    return Array.from(template.content.childNodes, (node) => {
      if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    });
  }

  function editable(element) {
    return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  }

  input.addEventListener("focus", () => load().then(updatePanel));
  form.addEventListener("focusout", () => setTimeout(updatePanel, 0));
  input.addEventListener("input", () => run(true));
  facets.addEventListener("change", () => run(false));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(false);
  });
  more.addEventListener("click", () => showMore(true));
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !input.value) return;
    input.value = "";
    input.focus();
    run(false);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || editable(event.target)) return;
    event.preventDefault();
    input.focus();
  });
})();
