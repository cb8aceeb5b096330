// Parking: free bays per car park and level (numbers and bars), each car park's guidance and overflow
// state, and one level's bays on a plan (free, occupied, reserved, out of service: each with its own
// shape and mark, never colour alone, and counted in words beside the plan), and finding a car by its
// plate (POST /parking/find-car: the server pseudonymises the plate; no plate token is ever shown). Car parks and bays are
// read over REST when shown and on reconnecting; car-park and parking-bay deltas then keep them live.
import { ApiError } from "../api.js";
import { h, s, clear } from "../dom.js";
import { localName, number, t, translate } from "../i18n.js";

/** Bays per row of the plan (the model gives each bay's distances, not a position: the plan is schematic, nearest the entrance first). */
const PER_ROW = 25;
const BAY_W = 16;
const BAY_H = 26;
const GAP = 3;
const AISLE = 14;
const STATUSES = ["FREE", "OCCUPIED", "RESERVED", "OUT_OF_SERVICE"];
const RENDER_EVERY_MS = 250;

export function create(context) {
  const carParks = context.model.carParks || [];
  const levels = carParks.flatMap((cp) => cp.levels.map((level) => ({ carPark: cp, level })));
  const states = new Map(); // car park id -> state
  const bays = new Map(); // bay id -> state (of the level shown)
  const bayShapes = new Map(); // bay id -> <g> on the plan
  let shown = levels[0] ? levels[0].level.id : null;
  const status = h("p", { class: "error", role: "alert", id: "parking-error" });
  const summary = h("div", { class: "parking-summary", id: "parking-summary" });
  const picker = h("div", { class: "floor-picker", role: "group", "aria-labelledby": "parking-pick" });
  const plan = h("div", { class: "parking-plan", id: "parking-plan" });
  const counts = h("ul", { class: "parking-counts", id: "parking-counts" });
  const plate = h("input", { id: "find-plate", name: "plate", required: true, maxlength: 16, autocomplete: "off", spellcheck: "false",
    "aria-describedby": "find-help" });
  const found = h("p", { id: "find-result", role: "status" });
  const finder = h("form", { class: "find-car", id: "find-car", "aria-labelledby": "find-title" },
    h("h2", { id: "find-title", "data-i18n": "parking.find.title" }),
    h("label", { for: "find-plate", "data-i18n": "parking.find.plate" }), plate,
    h("button", { type: "submit", class: "primary", "data-i18n": "parking.find.submit" }),
    h("p", { id: "find-help", class: "help", "data-i18n": "parking.find.help" }),
    found);
  let located = null; // the bay the last search found
  finder.addEventListener("submit", (event) => {
    event.preventDefault();
    findCar(plate.value.trim());
  });
  const element = h("section", { class: "view parking", "aria-labelledby": "parking-title" },
    h("h1", { id: "parking-title", "data-i18n": "parking.title" }),
    status,
    finder,
    h("h2", { "data-i18n": "parking.carParks" }),
    summary,
    h("h2", { id: "parking-pick", "data-i18n": "parking.pickLevel" }),
    picker,
    h("div", { class: "parking-level" }, plan, h("div", {}, h("h3", { id: "parking-counts-title" }), counts, legend())));

  const carParkName = (cp) => localName(cp.name, cp.id);
  const levelOf = (id) => levels.find((l) => l.level.id === id);

  function legend() {
    return h("ul", { class: "legend parking-legend", "aria-label": t("parking.legend") },
      STATUSES.map((st) => h("li", {}, bayIcon(st), h("span", { "data-i18n": `parking.status.${st.toLowerCase()}` }))));
  }

  function bayIcon(st) {
    return s("svg", { width: BAY_W, height: BAY_H, viewBox: `0 0 ${BAY_W} ${BAY_H}`, "aria-hidden": "true", class: "bay-icon" },
      bayMark(st, 0, 0));
  }

  /** A bay's shape: free is an empty outline; occupied is filled with a cross; reserved carries an R; out of service is dashed with a bar. */
  function bayMark(st, x, y) {
    const cls = `bay bay-${st.toLowerCase()}`;
    const g = s("g", { class: cls }, s("rect", { x: x + 1, y: y + 1, width: BAY_W - 2, height: BAY_H - 2, rx: 2 }));
    if (st === "OCCUPIED") {
      g.append(s("path", { d: `M${x + 3} ${y + 4} L${x + BAY_W - 3} ${y + BAY_H - 4} M${x + BAY_W - 3} ${y + 4} L${x + 3} ${y + BAY_H - 4}`, class: "mark" }));
    } else if (st === "RESERVED") {
      g.append(s("text", { x: x + BAY_W / 2, y: y + BAY_H / 2 + 4, "text-anchor": "middle", class: "mark-text" }, t("parking.mark.reserved")));
    } else if (st === "OUT_OF_SERVICE") {
      g.append(s("path", { d: `M${x + 3} ${y + BAY_H / 2} L${x + BAY_W - 3} ${y + BAY_H / 2}`, class: "mark" }));
    }
    return g;
  }

  function bar(free, capacity, label) {
    const share = capacity > 0 ? free / capacity : 0;
    return h("div", { class: "share-bar", role: "img", "aria-label": label },
      h("span", { class: `share-fill share-${Math.round(share * 10)}` }));
  }

  function guidanceText(state) {
    if (!state) return t("parking.noState");
    if (state.overflowing) return t("parking.overflowing", { fill: number(state.fillLevel * 100), limit: number(state.overflowFill * 100) });
    return t("parking.guiding", { fill: number(state.fillLevel * 100), limit: number(state.overflowFill * 100) });
  }

  function renderSummary() {
    clear(summary);
    for (const cp of carParks) {
      const state = states.get(cp.id);
      const rows = cp.levels.map((level) => {
        const lv = state?.levels?.find((l) => l.level === level.id);
        const free = lv ? lv.free : null;
        const capacity = lv ? lv.capacity : level.bays.length;
        const text = free === null ? t("parking.noState") : t("parking.freeOf", { free: number(free), capacity: number(capacity) });
        return h("tr", { dataset: { level: level.id } },
          h("th", { scope: "row" }, t("parking.levelFloor", { level: level.id, floor: level.floor })),
          h("td", { class: "num free" }, free === null ? "—" : number(free)),
          h("td", { class: "num" }, number(capacity)),
          h("td", {}, lv ? bar(free, capacity, text) : null, h("span", { class: "bar-text" }, text)),
          h("td", { class: "num" }, lv ? number(lv.occupied) : "—"),
          h("td", { class: "num" }, lv ? number(lv.reserved) : "—"),
          h("td", { class: "num" }, lv ? number(lv.outOfService) : "—"));
      });
      summary.append(h("article", { class: "car-park", dataset: { carPark: cp.id, overflowing: String(!!state?.overflowing) } },
        h("h3", {}, carParkName(cp)),
        h("p", { class: `guidance ${state?.overflowing ? "guidance-full" : "guidance-open"}` },
          h("span", { class: "icon", "aria-hidden": "true" }, t(state?.overflowing ? "parking.icon.full" : "parking.icon.open")),
          h("span", { class: "guidance-text" }, guidanceText(state))),
        h("p", { class: "total" }, state ? t("parking.totalFree", { free: number(state.free), capacity: number(state.capacity),
          stays: number(state.openStays) }) : ""),
        h("table", { class: "parking-levels" },
          h("caption", {}, t("parking.levelsCaption", { carPark: carParkName(cp) })),
          h("thead", {}, h("tr", {}, ["parking.level", "parking.free", "parking.capacity", "parking.share", "parking.occupied",
            "parking.reserved", "parking.outOfService"].map((key) => h("th", { scope: "col" }, t(key))))),
          h("tbody", {}, rows))));
    }
  }

  function renderPicker() {
    clear(picker);
    for (const { carPark, level } of levels) {
      picker.append(h("button", { type: "button", "aria-pressed": String(level.id === shown), dataset: { level: level.id },
        onclick: () => selectLevel(level.id) }, t("parking.levelButton", { carPark: carParkName(carPark), level: level.id })));
    }
  }

  function renderPlan() {
    clear(plan);
    bayShapes.clear();
    const chosen = levelOf(shown);
    if (!chosen) return;
    const list = [...chosen.level.bays].sort((a, b) => a.toEntrance - b.toEntrance);
    const rows = Math.ceil(list.length / PER_ROW);
    const width = PER_ROW * (BAY_W + GAP) + GAP;
    const height = rows * (BAY_H + GAP) + Math.floor(rows / 2) * AISLE + GAP;
    const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "bays", role: "img", id: "parking-bays",
      "aria-label": t("parking.planLabel", { carPark: carParkName(chosen.carPark), level: chosen.level.id }) });
    list.forEach((bay, i) => {
      const row = Math.floor(i / PER_ROW);
      const x = GAP + (i % PER_ROW) * (BAY_W + GAP);
      const y = GAP + row * (BAY_H + GAP) + Math.floor(row / 2) * AISLE;
      const g = bayMark(bays.get(bay.id)?.status || "UNKNOWN", x, y);
      g.dataset.bay = bay.id;
      g.dataset.x = x;
      g.dataset.y = y;
      bayShapes.set(bay.id, g);
      svg.append(g);
    });
    plan.append(svg);
    markLocated();
    renderCounts();
  }

  /** Redraws one bay (its shape depends on its status). */
  function redrawBay(id) {
    const old = bayShapes.get(id);
    if (!old) return;
    const g = bayMark(bays.get(id)?.status || "UNKNOWN", Number(old.dataset.x), Number(old.dataset.y));
    Object.assign(g.dataset, old.dataset);
    old.replaceWith(g);
    bayShapes.set(id, g);
    g.classList.toggle("bay-located", id === located);
  }

  function renderCounts() {
    const chosen = levelOf(shown);
    if (!chosen) return;
    element.querySelector("#parking-counts-title").textContent = t("parking.countsTitle",
      { carPark: carParkName(chosen.carPark), level: chosen.level.id });
    const tally = Object.fromEntries(STATUSES.map((st) => [st, 0]));
    let known = 0;
    for (const bay of chosen.level.bays) {
      const st = bays.get(bay.id)?.status;
      if (st in tally) {
        tally[st]++;
        known++;
      }
    }
    clear(counts);
    STATUSES.forEach((st) => counts.append(h("li", { dataset: { status: st } }, bayIcon(st),
      t(`parking.count.${st.toLowerCase()}`, { count: number(tally[st]) }))));
    if (known < chosen.level.bays.length) counts.append(h("li", {}, t("parking.unread", { count: number(chosen.level.bays.length - known) })));
  }

  async function loadCarParks() {
    const items = await page(`kind=car-park&limit=50`);
    items.forEach((item) => states.set(item.id, item.state));
    renderSummary();
  }

  async function loadBays() {
    const chosen = levelOf(shown);
    if (!chosen) return;
    const items = await page(`kind=parking-bay&zone=${encodeURIComponent(chosen.level.zone)}&limit=500`);
    items.forEach((item) => { if (item.state) bays.set(item.id, item.state); });
    if (levelOf(shown) === chosen) chosen.level.bays.forEach((b) => redrawBay(b.id));
    renderCounts();
  }

  /** Every page of an asset listing. */
  async function page(query) {
    const out = [];
    let cursor = null;
    do {
      const answer = await context.api.get(`/api/v1/sites/${encodeURIComponent(context.site)}/assets?${query}${cursor ? `&cursor=${cursor}` : ""}`);
      out.push(...answer.items);
      cursor = answer.next;
    } while (cursor);
    return out;
  }

  async function load() {
    status.textContent = "";
    try {
      await Promise.all([loadCarParks(), loadBays()]);
    } catch (e) {
      status.textContent = t("parking.loadFailed", { detail: e instanceof ApiError ? e.message : String(e) });
    }
  }

  async function findCar(text) {
    if (!text) return;
    found.textContent = t("parking.find.searching");
    try {
      const answer = await context.api.post(`/api/v1/sites/${encodeURIComponent(context.site)}/parking/find-car`, { plate: text });
      if (!answer.found) {
        located = null;
        found.textContent = t("parking.find.none");
        return;
      }
      const cp = carParks.find((c) => c.id === answer.carPark);
      located = answer.bay;
      found.textContent = t("parking.find.found", { carPark: cp ? carParkName(cp) : answer.carPark, level: answer.level,
        floor: answer.floor, bay: answer.bay, route: answer.route.join(t("parking.find.arrow")), metres: number(answer.routeMetres) });
      if (answer.level !== shown) selectLevel(answer.level);
      else markLocated();
    } catch (e) {
      located = null;
      found.textContent = t("parking.find.failed", { detail: e instanceof ApiError ? e.message : String(e) });
    }
  }

  /** Rings the bay found on the plan (a thick outline and a pin, besides the words above). */
  function markLocated() {
    bayShapes.forEach((g, id) => g.classList.toggle("bay-located", id === located));
  }

  function selectLevel(id) {
    shown = id;
    bays.clear();
    renderPicker();
    renderPlan();
    loadBays().catch((e) => { status.textContent = t("parking.loadFailed", { detail: e.message }); });
  }

  let pending = null;
  function schedule() {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      renderSummary();
      renderCounts();
    }, RENDER_EVERY_MS);
  }

  function render() {
    translate(element);
    renderSummary();
    renderPicker();
    renderPlan();
  }

  return {
    element,
    show() {
      render();
      load();
    },
    update(kind, id) {
      const state = context.states?.[kind]?.get(id);
      if (!state) return;
      if (kind === "car-park") {
        states.set(id, state);
        schedule();
      } else if (kind === "parking-bay" && bayShapes.has(id)) {
        bays.set(id, state);
        redrawBay(id);
        schedule();
      }
    },
    refresh: render,
    reload: load,
  };
}

