/* The time view's controls: zoom, pan and keyboard moves, kept in step with the list.

   The SVG drawn at build time (generator/timeview.py) is complete without this script.
   Each mark carries its first and last instant in days since 1970 (data-s, data-e) and
   the drawing its whole range (data-from, data-to); zooming and panning redraw the
   marks and the axis from those. The range shown is kept in the address
   (?view=2017-01-01..2017-12-31), and so are the lanes picked in the view by actor
   (?lanes=france.russia), so a reload or a shared link shows the same view.

   Keyboard: in the drawing, Left and Right move between events (one mark is in the tab
   order at a time), Enter goes to the event's card, + and - zoom, Page Up and Page
   Down move in time, Home and End go to the first and last event, 0 shows everything.
   The card of the focused mark is marked in the list; scrolling the list marks the
   event at the top of the screen in the drawing. */
(() => {
  "use strict";
  const section = document.querySelector("[data-timeview]");
  if (!section) return;
  const drawings = Array.from(section.querySelectorAll("svg.tv-svg"));
  if (!drawings.length) return;
  const main = drawings[0];
  const FULL = [Number(main.dataset.from), Number(main.dataset.to)];
  const MIN_SPAN = 10; // days: the closest zoom
  const MIN_WIDTH = 0.8; // percent, as timeview.py draws windows and bars
  const ZOOM = 2;
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const DAY = 86400000;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const range = section.querySelector(".tv-range");
  const narrow = section.querySelector("[data-tv=narrow]");
  const lanesBox = section.querySelector("[data-tv-lanes]");
  const picker = section.querySelector("[data-tv-lane-picker]");
  const cards = new Map(Array.from(document.querySelectorAll(".card[id^='e-']"), (card) => [card.id.slice(2), card]));
  let view = FULL.slice();

  section.querySelector("[data-tv-controls]").hidden = false;
  section.querySelector("[data-tv-help]").hidden = false;
  if (picker) picker.hidden = false;

  /* ---- days and dates ---- */

  const iso = (day) => new Date(Math.round(day) * DAY).toISOString().slice(0, 10);
  const dayOf = (text) => Date.parse(`${text}T00:00:00Z`) / DAY;
  const monthText = (day) => {
    const date = new Date(day * DAY);
    return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  };

  /* ---- the address ---- */

  function readAddress() {
    const params = new URLSearchParams(location.search);
    const match = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(params.get("view") || "");
    if (match) setView(dayOf(match[1]), dayOf(match[2]) + 1);
    const lanes = params.get("lanes");
    if (lanesBox && lanes !== null) {
      lanesBox.open = true;
      const chosen = new Set(lanes.split("."));
      for (const box of picker.querySelectorAll("input")) box.checked = lanes === "" || chosen.has(box.value);
    }
  }

  function writeAddress() {
    const params = new URLSearchParams(location.search);
    if (view[0] === FULL[0] && view[1] === FULL[1]) params.delete("view");
    else params.set("view", `${iso(view[0])}..${iso(view[1] - 1)}`);
    if (lanesBox && lanesBox.open) {
      const boxes = Array.from(picker.querySelectorAll("input"));
      params.set("lanes", boxes.every((box) => box.checked) ? "" : boxes.filter((box) => box.checked).map((box) => box.value).join("."));
    } else {
      params.delete("lanes");
    }
    const query = params.toString();
    try {
      history.replaceState(history.state, "", `${query ? `?${query}` : location.pathname}${location.hash}`);
    } catch (error) {
      // Some browsers refuse to change the address of a file opened from disk: the view works all the same.
    }
  }

  /* ---- drawing ---- */

  function setView(from, to) {
    let span = Math.min(FULL[1] - FULL[0], Math.max(MIN_SPAN, to - from));
    from = Math.max(FULL[0], Math.min(from, FULL[1] - span));
    view = [from, from + span];
  }

  const percent = (day) => ((day - view[0]) / (view[1] - view[0])) * 100;
  const pc = (value) => `${value.toFixed(3)}%`;

  function redraw() {
    for (const svg of drawings) {
      for (const item of svg.querySelectorAll("[data-s]")) place(item);
      drawAxis(svg);
    }
    const whole = view[0] === FULL[0] && view[1] === FULL[1];
    range.textContent = whole ? "" : `Showing ${monthText(view[0])} – ${monthText(view[1] - 1)}`;
    narrowList();
    writeAddress();
  }

  function place(item) {
    const start = Number(item.dataset.s);
    const end = Number(item.dataset.e);
    const outside = end < view[0] || start > view[1];
    if (item.tagName === "a") item.style.display = outside ? "none" : "";
    const circle = item.querySelector("circle");
    if (circle) {
      circle.setAttribute("cx", pc(percent((start + end) / 2)));
      return;
    }
    const left = percent(start);
    const width = Math.max(item.classList.contains("tv-bin") ? 0.1 : MIN_WIDTH, percent(end) - left);
    const rect = item.querySelector("rect");
    rect.setAttribute("x", pc(left));
    rect.setAttribute("width", pc(width));
    const label = item.querySelector("svg");  // a period's name, clipped to its band
    if (label) {
      label.setAttribute("x", pc(left));
      label.setAttribute("width", pc(width));
    }
  }

  /* Years on a long range, months on a shorter one, days on a few weeks (as timeview.py does). */
  function ticks(from, to) {
    const span = to - from;
    const first = new Date(from * DAY);
    const result = [];
    if (span > 3 * 366) {
      const years = span / 365.25;
      const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000].find((each) => years / each <= 15) || 5000;
      for (let year = Math.ceil((first.getUTCFullYear() + 1) / step) * step; Date.UTC(year, 0, 1) / DAY <= to; year += step) {
        result.push({ day: Date.UTC(year, 0, 1) / DAY, label: String(year), major: true });
      }
    } else if (span > 62) {
      const every = span < 400 ? 1 : 3;
      for (let month = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)); month / DAY <= to; month.setUTCMonth(month.getUTCMonth() + 1)) {
        const index = month.getUTCMonth();
        if (month / DAY < from) continue;
        const label = index === 0 ? String(month.getUTCFullYear()) : (index % every === 0 ? MONTHS[index] : "");
        result.push({ day: month / DAY, label, major: index === 0 });
      }
    } else {
      const step = span <= 14 ? 1 : 7;
      for (let day = Math.floor(from) + 1; day <= to; day += step) {
        const date = new Date(day * DAY);
        result.push({ day, label: `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`, major: date.getUTCDate() === 1 });
      }
    }
    return result;
  }

  function drawAxis(svg) {
    const axis = svg.querySelector(".tv-axis");
    const height = Number(svg.getAttribute("height")) - 22;
    axis.replaceChildren();
    for (const tick of ticks(view[0], view[1])) {
      const x = pc(percent(tick.day));
      const line = document.createElementNS(SVG_NS, "line");
      line.setAttribute("class", tick.major ? "major" : "minor");
      for (const [name, value] of [["x1", x], ["x2", x], ["y1", 0], ["y2", height + 4]]) line.setAttribute(name, value);
      axis.append(line);
      if (tick.label) {
        const text = document.createElementNS(SVG_NS, "text");
        text.setAttribute("x", x);
        text.setAttribute("y", height + 17);
        text.textContent = tick.label;
        axis.append(text);
      }
    }
  }

  function zoom(factor, centre) {
    const middle = centre ?? (view[0] + view[1]) / 2;
    setView(middle - (middle - view[0]) * factor, middle + (view[1] - middle) * factor);
    redraw();
  }

  function pan(share) {
    const shift = (view[1] - view[0]) * share;
    setView(view[0] + shift, view[1] + shift);
    redraw();
  }

  /* ---- the list in step ---- */

  function narrowList() {
    if (!narrow) return;
    const from = iso(view[0]);
    const to = iso(view[1] - 1);
    for (const card of cards.values()) {
      card.classList.toggle("is-outside-view", narrow.checked && (card.dataset.end < from || card.dataset.start > to));
    }
  }

  function markCurrent(id) {
    for (const svg of drawings) {
      for (const old of svg.querySelectorAll(".is-current")) old.classList.remove("is-current");
      for (const mark of svg.querySelectorAll(`[data-id="${CSS.escape(id)}"]`)) mark.classList.add("is-current");
    }
    for (const card of document.querySelectorAll(".card.is-current")) card.classList.remove("is-current");
    const card = cards.get(id);
    if (card) card.classList.add("is-current");
  }

  function goToCard(id) {
    const card = cards.get(id);
    if (!card) return false;
    if (card.classList.contains("is-outside-view") || card.hidden) {
      card.classList.remove("is-outside-view");
      card.hidden = false;
    }
    card.scrollIntoView({ block: "start" });
    card.querySelector(".card-title a").focus({ preventScroll: true });
    markCurrent(id);
    return true;
  }

  /* The event at the top of the screen is marked in the drawing. */
  if ("IntersectionObserver" in window && cards.size) {
    const seen = new Map();
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) seen.set(entry.target, entry.isIntersecting);
      const first = Array.from(cards.values()).find((card) => seen.get(card));
      if (first && !section.contains(document.activeElement)) markCurrent(first.id.slice(2));
    }, { rootMargin: "-10% 0px -60% 0px" });
    for (const card of cards.values()) observer.observe(card);
  }

  /* ---- keyboard: one mark of each drawing in the tab order ---- */

  function visibleMarks(svg) {
    return Array.from(svg.querySelectorAll("a[data-s]")).filter((mark) => mark.style.display !== "none" && !mark.closest(".is-hidden"));
  }

  function rove(svg, mark) {
    for (const other of svg.querySelectorAll("a[data-s]")) other.setAttribute("tabindex", other === mark ? "0" : "-1");
  }

  function focusMark(svg, mark) {
    rove(svg, mark);
    mark.focus();
    if (mark.dataset.id) markCurrent(mark.dataset.id);
  }

  function resetRoving(svg) {
    const marks = visibleMarks(svg);
    const current = svg.querySelector("a[tabindex='0']");
    if (!current || !marks.includes(current)) rove(svg, marks[0] || null);
  }

  function onKey(event) {
    const svg = event.currentTarget;
    const mark = event.target.closest("a[data-s]");
    const marks = visibleMarks(svg);
    const index = mark ? marks.indexOf(mark) : -1;
    const centre = mark ? (Number(mark.dataset.s) + Number(mark.dataset.e)) / 2 : undefined;
    let next = null;
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": next = marks[Math.min(marks.length - 1, index + 1)] || null; break;
      case "ArrowLeft": case "ArrowUp": next = marks[Math.max(0, index - 1)] || null; break;
      case "Home": next = marks[0] || null; break;
      case "End": next = marks[marks.length - 1] || null; break;
      case "+": case "=": zoom(1 / ZOOM, centre); break;
      case "-": case "_": zoom(ZOOM, centre); break;
      case "PageUp": pan(-0.5); break;
      case "PageDown": pan(0.5); break;
      case "0": setView(FULL[0], FULL[1]); redraw(); break;
      default: return;
    }
    event.preventDefault();
    if (next) focusMark(svg, next);
    else if (mark && mark.style.display === "none") {
      const still = visibleMarks(svg);
      if (still.length) focusMark(svg, still[0]);
    } else if (mark) mark.focus();
    for (const drawing of drawings) resetRoving(drawing);
  }

  for (const svg of drawings) {
    svg.addEventListener("keydown", onKey);
    svg.addEventListener("focusin", (event) => {
      const mark = event.target.closest("a[data-s]");
      if (mark) {
        rove(svg, mark);
        if (mark.dataset.id) markCurrent(mark.dataset.id);
      }
    });
    svg.addEventListener("click", (event) => {
      const mark = event.target.closest("a[data-id]");
      if (mark && cards.has(mark.dataset.id)) {
        event.preventDefault();
        goToCard(mark.dataset.id);
        try {
          history.replaceState(history.state, "", `#e-${mark.dataset.id}`);
        } catch (error) {
          // file:// in some browsers: the card is shown all the same.
        }
      }
    });
    enableDrag(svg);
    resetRoving(svg);
  }

  /* ---- pointer: drag to pan, Ctrl + wheel to zoom, a sideways wheel to pan ---- */

  function enableDrag(svg) {
    let start = null;
    svg.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || event.target.closest("a")) return;
      start = { x: event.clientX, view: view.slice(), width: svg.getBoundingClientRect().width };
      svg.setPointerCapture(event.pointerId);
      svg.classList.add("is-dragging");
    });
    svg.addEventListener("pointermove", (event) => {
      if (!start) return;
      const shift = ((start.x - event.clientX) / start.width) * (start.view[1] - start.view[0]);
      setView(start.view[0] + shift, start.view[1] + shift);
      redraw();
    });
    const stop = () => {
      start = null;
      svg.classList.remove("is-dragging");
    };
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    svg.addEventListener("wheel", (event) => {
      const box = svg.getBoundingClientRect();
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        const at = view[0] + ((event.clientX - box.left) / box.width) * (view[1] - view[0]);
        zoom(event.deltaY > 0 ? ZOOM : 1 / ZOOM, at);
      } else if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        event.preventDefault();
        pan(event.deltaX / box.width);
      }
    }, { passive: false });
  }

  /* ---- buttons, lanes ---- */

  section.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-tv]");
    if (!button) return;
    const action = button.dataset.tv;
    if (action === "in") zoom(1 / ZOOM);
    else if (action === "out") zoom(ZOOM);
    else if (action === "earlier") pan(-0.5);
    else if (action === "later") pan(0.5);
    else if (action === "all") {
      setView(FULL[0], FULL[1]);
      redraw();
    }
    for (const drawing of drawings) resetRoving(drawing);
  });
  if (narrow) narrow.addEventListener("change", narrowList);

  function layoutLanes() {
    if (!picker) return;
    const chosen = new Set(Array.from(picker.querySelectorAll("input:checked"), (box) => box.value));
    for (const svg of drawings.slice(1)) {
      let top = 0;
      for (const lane of svg.querySelectorAll(".tv-lane")) {
        const shown = chosen.has(lane.dataset.lane);
        lane.classList.toggle("is-hidden", !shown);
        lane.setAttribute("transform", `translate(0,${top})`);
        if (shown) top += Number(lane.dataset.height);
      }
      svg.setAttribute("height", String(top + 22));
      drawAxis(svg);
      resetRoving(svg);
    }
  }

  if (picker) {
    picker.addEventListener("change", () => {
      layoutLanes();
      writeAddress();
    });
    lanesBox.addEventListener("toggle", writeAddress);
  }

  readAddress();
  layoutLanes();
  redraw();
})();
