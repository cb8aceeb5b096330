// Floor plans: one floor at a time, its zones drawn from the site model's outlines (a square of the
// zone's area around its centre where the model has no outline), shaded by crowd density, each with
// its headcount written on it; a table beside it says the same in words. Click (or Enter) a zone for
// its state. Live: zone deltas from the stream redraw the zone.
import { h, s, clear } from "../dom.js";
import { localName, number, t, translate, dateTime } from "../i18n.js";
import { fieldFor, historyChart } from "./asset-history.js";

/** The assets drawn on the plan from the site model: each with its own shape (and its word in the legend). */
export const ASSET_KINDS = ["exit", "kiosk", "camera"];

/** Density bands (persons/m²): lower bounds, lightest first. */
export const BANDS = [0, 0.2, 0.5, 1.0, 1.5, 2.5];

export function band(density) {
  let b = 0;
  BANDS.forEach((lower, i) => { if (density >= lower) b = i; });
  return b;
}

export function create(context) {
  const { model } = context;
  const floorsWithZones = model.floors.filter((f) => model.zones.some((z) => z.floor === f.id));
  const retail = floorsWithZones.find((f) => f.level >= 0) || floorsWithZones[0];
  let floorId = retail?.id;
  let selected = null;
  let selectedAsset = null;
  let chart = null;
  let loadSeq = 0;

  const heading = h("h1", { id: "floors-title", "data-i18n": "floors.title" });
  const picker = h("div", { class: "floor-picker", role: "group", "aria-labelledby": "floor-picker-label" });
  const map = h("div", { class: "plan" });
  const legend = h("div", { class: "legend" });
  const detail = h("section", { class: "zone-detail", "aria-live": "polite", "aria-labelledby": "zone-detail-title" });
  const tableBody = h("tbody");
  const table = h("table", { class: "zones" },
    h("caption", { id: "zones-caption" }),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col", "data-i18n": "zone.name" }),
      h("th", { scope: "col", class: "num", "data-i18n": "zone.occupancy" }),
      h("th", { scope: "col", class: "num", "data-i18n": "zone.density" }),
      h("th", { scope: "col", "data-i18n": "zone.crowding" }))),
    tableBody);
  const element = h("section", { class: "view floors", "aria-labelledby": "floors-title" },
    heading,
    h("div", { class: "floor-bar" }, h("span", { id: "floor-picker-label", "data-i18n": "floors.pick" }), picker),
    h("div", { class: "floor-layout" },
      h("div", { class: "plan-column" }, map, legend),
      h("div", { class: "side-column" }, detail, table)));

  function zonesOfFloor() {
    return model.zones.filter((z) => z.floor === floorId);
  }

  function zoneName(zone) {
    return localName(zone.name, zone.id);
  }

  function crowdingText(state) {
    return t(`crowding.${(state?.crowding || "NORMAL").toLowerCase()}`);
  }

  function zoneLabel(zone) {
    const state = context.zones.get(zone.id);
    if (!state) return t("zone.label.unknown", { name: zoneName(zone) });
    return t("zone.label", {
      name: zoneName(zone), people: number(state.occupancy), density: number(state.density, 2), crowding: crowdingText(state),
    });
  }

  /** The zone's polygon in plan metres. */
  function outline(zone) {
    if (zone.outline && zone.outline.length >= 3) return zone.outline;
    const c = zone.centre || { x: 0, y: 0 };
    const r = Math.sqrt(zone.area) / 2;
    return [{ x: c.x - r, y: c.y - r }, { x: c.x + r, y: c.y - r }, { x: c.x + r, y: c.y + r }, { x: c.x - r, y: c.y + r }];
  }

  function centre(points) {
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    return { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2,
      w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) };
  }

  function renderPicker() {
    clear(picker);
    for (const f of floorsWithZones) {
      picker.append(h("button", { type: "button", "aria-pressed": String(f.id === floorId), dataset: { floor: f.id },
        onclick: () => selectFloor(f.id) }, localName(f.name, f.id)));
    }
  }

  function renderMap() {
    const zones = zonesOfFloor();
    const all = zones.flatMap(outline);
    const minX = Math.min(...all.map((p) => p.x)) - 2;
    const minY = Math.min(...all.map((p) => p.y)) - 2;
    const width = Math.max(...all.map((p) => p.x)) - minX + 2;
    const height = Math.max(...all.map((p) => p.y)) - minY + 2;
    const floor = model.floors.find((f) => f.id === floorId);
    const svg = s("svg", { viewBox: `${minX} ${minY} ${width} ${height}`, role: "group", class: "plan-svg",
      "aria-label": t("floors.planLabel", { floor: localName(floor?.name, floorId) }) });
    const fontSize = Math.max(2, Math.min(width, height) / 30);
    for (const zone of zones) {
      const points = outline(zone);
      const box = centre(points);
      const g = s("g", { class: "zone", tabindex: "0", role: "button", dataset: { zone: zone.id } },
        s("polygon", { points: points.map((p) => `${p.x},${p.y}`).join(" ") }),
        s("text", { x: box.x, y: box.y, "font-size": Math.min(fontSize, box.h * 0.8, box.w / 2.5), "dominant-baseline": "central",
          "text-anchor": "middle", "aria-hidden": "true" }));
      g.addEventListener("click", () => select(zone.id));
      g.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          select(zone.id);
        }
      });
      svg.append(g);
    }
    drawAssets(svg, zones, fontSize);
    clear(map).append(svg);
    zones.forEach((z) => drawZone(z.id));
  }

  /** The model's exits, kiosks and cameras of a zone, in that order. */
  function assetsOf(zone) {
    const devices = model.devices || {};
    return [
      ...(model.exits || []).filter((e) => e.zone === zone.id).map((e) => ({ kind: "exit", id: e.id, model: e })),
      ...(devices.kiosks || []).filter((k) => k.zone === zone.id).map((k) => ({ kind: "kiosk", id: k.id, model: k })),
      ...(devices.cameras || []).filter((c) => c.zone === zone.id).map((c) => ({ kind: "camera", id: c.id, model: c })),
    ];
  }

  function assetName(asset) {
    return asset.kind === "exit" ? localName(asset.model.name, asset.id) : asset.id;
  }

  function assetLabel(asset, zone) {
    return t("floorAsset.label", { kind: t(`floorAsset.kind.${asset.kind}`), name: assetName(asset), zone: zoneName(zone) });
  }

  /** A symbol per kind: exit a triangle, kiosk a square, camera a circle; each a button with its label. */
  function symbol(kind, x, y, r) {
    if (kind === "exit") return s("polygon", { points: `${x},${y - r} ${x + r},${y + r} ${x - r},${y + r}` });
    if (kind === "kiosk") return s("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r });
    return s("circle", { cx: x, cy: y, r });
  }

  function drawAssets(svg, zones, fontSize) {
    const r = Math.max(0.8, fontSize * 0.35);
    for (const zone of zones) {
      const box = centre(outline(zone));
      const perRow = Math.max(1, Math.floor((box.w - r) / (2.6 * r)));
      assetsOf(zone).forEach((asset, i) => {
        const x = box.x - box.w / 2 + 1.6 * r + (i % perRow) * 2.6 * r;
        const y = box.y + box.h / 2 - 1.6 * r - Math.floor(i / perRow) * 2.6 * r;
        const label = assetLabel(asset, zone);
        const g = s("g", { class: `asset asset-${asset.kind}`, tabindex: "0", role: "button", "aria-label": label,
          "aria-pressed": "false", dataset: { asset: `${asset.kind}/${asset.id}` } }, s("title", {}, label), symbol(asset.kind, x, y, r));
        g.addEventListener("click", () => selectAsset(asset));
        g.addEventListener("keydown", (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            selectAsset(asset);
          }
        });
        svg.append(g);
      });
    }
  }

  function selectAsset(asset) {
    selectedAsset = asset;
    const before = selected;
    selected = null;
    if (before) drawZone(before);
    map.querySelectorAll("g.asset").forEach((g) => {
      const on = g.dataset.asset === `${asset.kind}/${asset.id}`;
      g.classList.toggle("selected", on);
      g.setAttribute("aria-pressed", String(on));
    });
    renderDetail();
  }

  function drawZone(id) {
    const zone = model.zones.find((z) => z.id === id);
    if (!zone || zone.floor !== floorId) return;
    const state = context.zones.get(id);
    const g = map.querySelector(`g[data-zone="${CSS.escape(id)}"]`);
    if (g) {
      g.setAttribute("class", `zone band-${state ? band(state.density) : "none"} crowding-${(state?.crowding || "NORMAL").toLowerCase()}`
        + (selected === id ? " selected" : ""));
      g.setAttribute("aria-label", zoneLabel(zone));
      g.setAttribute("aria-pressed", String(selected === id));
      g.querySelector("text").textContent = state ? number(state.occupancy) : "–";
    }
    const row = tableBody.querySelector(`tr[data-zone="${CSS.escape(id)}"]`);
    if (row) {
      const cells = row.children;
      cells[1].textContent = state ? number(state.occupancy) : "–";
      cells[2].textContent = state ? number(state.density, 2) : "–";
      cells[3].textContent = state ? crowdingText(state) : "–";
      row.dataset.crowding = (state?.crowding || "NORMAL").toLowerCase();
    }
    if (selected === id) renderDetail();
  }

  function renderTable() {
    clear(tableBody);
    const floor = model.floors.find((f) => f.id === floorId);
    element.querySelector("#zones-caption").textContent = t("floors.tableCaption", { floor: localName(floor?.name, floorId) });
    for (const zone of zonesOfFloor()) {
      const button = h("button", { type: "button", class: "link", onclick: () => select(zone.id) }, zoneName(zone));
      tableBody.append(h("tr", { dataset: { zone: zone.id } },
        h("th", { scope: "row" }, button), h("td", { class: "num" }), h("td", { class: "num" }), h("td")));
    }
  }

  function renderLegend() {
    const items = BANDS.map((lower, i) => {
      const upper = BANDS[i + 1];
      const text = upper === undefined ? t("legend.over", { from: number(lower, 1) })
        : t("legend.range", { from: number(lower, 1), to: number(upper, 1) });
      return h("li", {}, h("span", { class: `swatch band-${i}`, "aria-hidden": "true" }), text);
    });
    clear(legend).append(
      h("p", { class: "legend-title", id: "legend-title" }, t("legend.title")),
      h("ul", { "aria-labelledby": "legend-title" }, items,
        h("li", {}, h("span", { class: "swatch crowding-sample-warning", "aria-hidden": "true" }), t("legend.warning")),
        h("li", {}, h("span", { class: "swatch crowding-sample-critical", "aria-hidden": "true" }), t("legend.critical")),
        ASSET_KINDS.map((kind) => h("li", {}, s("svg", { class: `asset-swatch asset-${kind}`, viewBox: "-2 -2 4 4", "aria-hidden": "true" },
          symbol(kind, 0, 0, 1.5)), t(`floorAsset.kind.${kind}`)))),
      h("p", { class: "help" }, t("legend.numbers")));
  }

  /** The history chart of what is selected; kept while zone deltas redraw the details, read again when the selection changes. */
  function chartOf(kind, id, field) {
    const key = `${kind}/${id}/${field}`;
    if (!chart || chart.key !== key) chart = { key, element: historyChart(context, kind, id, field) };
    return chart.element;
  }

  function renderAssetDetail(asset) {
    const zone = model.zones.find((z) => z.id === asset.model.zone);
    const rows = [["floorAsset.kind", t(`floorAsset.kind.${asset.kind}`)], ["floorAsset.id", asset.id], ["floorAsset.zone", zone ? zoneName(zone) : "–"]];
    if (asset.kind === "exit") rows.push(["floorAsset.width", t("floorAsset.metres", { value: number(asset.model.width, 1) })]);
    if (asset.kind === "camera") rows.push(["floorAsset.mode", t(`floorAsset.cameraMode.${asset.model.mode}`)]);
    const stateList = h("dl", { class: "asset-state" });
    detail.append(h("h2", { id: "zone-detail-title" }, assetName(asset)),
      h("dl", {}, rows.flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value)])));
    if (asset.kind === "exit") {
      detail.append(h("p", { class: "help" }, t("floorAsset.exitNoState")));
      return;
    }
    detail.append(h("h3", {}, t("floorAsset.state")), stateList);
    const path = `/api/v1/sites/${encodeURIComponent(context.site)}/assets/${asset.kind}/${encodeURIComponent(asset.id)}`;
    context.api.get(path).then((state) => {
      if (selectedAsset !== asset) return;
      const facts = assetFacts(asset.kind, state || {});
      stateList.append(...facts.flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value)]));
      stateList.dataset.loaded = "true";
    }).catch((e) => stateList.append(h("dd", {}, t("assetHistory.failed", { detail: e.message }))));
    const field = fieldFor(asset.kind, asset.model);
    if (field) detail.append(chartOf(asset.kind, asset.id, field));
  }

  /** What the state of a kiosk or camera says, in words. */
  function assetFacts(kind, state) {
    if (kind === "kiosk") {
      const faults = state.faults || [];
      return [["devices.kiosks.connectivity", t(`devices.connectivity.${(state.connectivity || "UNKNOWN").toLowerCase()}`)],
        ["devices.kiosks.faults", faults.length ? faults.map((f) => t(`devices.kioskFault.${String(f.component).toLowerCase()}`)).join(t("list.separator")) : t("devices.kiosks.noFault")],
        ["devices.kiosks.mode", state.contentMode ? t(`devices.kioskMode.${state.contentMode.toLowerCase().replace(/_/g, "-")}`) : "–"],
        ["devices.kiosks.lastSeen", dateTime(state.lastSeenAt) || "–"]];
    }
    const health = state.offline ? t("floorAsset.camera.offline") : state.fault ? t("floorAsset.camera.fault", { fault: state.fault })
      : state.implausible ? t("floorAsset.camera.implausible") : t("floorAsset.camera.ok");
    return [["floorAsset.camera.health", health],
      ["floorAsset.camera.lastReport", dateTime(state.lastReportAt) || "–"],
      ["floorAsset.camera.countedIn", state.countedIn == null ? "–" : number(state.countedIn)],
      ["floorAsset.camera.countedOut", state.countedOut == null ? "–" : number(state.countedOut)],
      ["floorAsset.camera.lastCount", state.lastCount == null ? "–" : number(state.lastCount)],
      ["floorAsset.camera.reports", number(state.reports || 0)]];
  }

  function renderDetail() {
    clear(detail);
    if (!selected && selectedAsset) {
      renderAssetDetail(selectedAsset);
      return;
    }
    if (!selected) {
      detail.append(h("h2", { id: "zone-detail-title" }, t("zone.detailTitle")), h("p", { class: "help" }, t("zone.pick")));
      return;
    }
    const zone = model.zones.find((z) => z.id === selected);
    const state = context.zones.get(selected);
    const rows = [["zone.id", zone.id], ["zone.kind", t(`zoneKind.${zone.kind}`)], ["zone.area", t("unit.squareMetres", { value: number(zone.area) })]];
    if (state) {
      rows.push(["zone.occupancy", number(state.occupancy)], ["zone.density", t("unit.perSquareMetre", { value: number(state.density, 2) })],
        ["zone.crowding", crowdingText(state)], ["zone.crowdingSince", dateTime(state.crowdingSince) || "–"],
        ["zone.entries", t("unit.perHour", { value: number(state.entriesPerHour) })],
        ["zone.exits", t("unit.perHour", { value: number(state.exitsPerHour) })],
        ["zone.dwell", state.dwellMinutes == null ? "–" : t("unit.minutes", { value: number(state.dwellMinutes, 1) })],
        ["zone.lastCount", dateTime(state.lastCountAt) || "–"]);
    }
    detail.append(h("h2", { id: "zone-detail-title" }, zoneName(zone)),
      h("dl", {}, rows.flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value)])));
    if (!state) detail.append(h("p", { class: "help" }, t("zone.noState")));
    detail.append(chartOf("zone", zone.id, "occupancy"));
  }

  function select(id) {
    const before = selected;
    selected = id;
    selectedAsset = null;
    map.querySelectorAll("g.asset.selected").forEach((g) => {
      g.classList.remove("selected");
      g.setAttribute("aria-pressed", "false");
    });
    if (before) drawZone(before);
    drawZone(id);
    renderDetail();
  }

  async function load() {
    const seq = ++loadSeq;
    const floor = floorId;
    let cursor = null;
    do {
      const query = `kind=zone&floor=${encodeURIComponent(floor)}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await context.api.get(`/api/v1/sites/${encodeURIComponent(context.site)}/assets?${query}`);
      if (seq !== loadSeq) return;
      for (const item of page.items) if (item.state) context.zones.set(item.id, item.state);
      cursor = page.next;
    } while (cursor);
    zonesOfFloor().forEach((z) => drawZone(z.id));
    element.dataset.loaded = floor;
  }

  function selectFloor(id) {
    floorId = id;
    selected = null;
    selectedAsset = null;
    delete element.dataset.loaded;
    render();
    load().catch((e) => console.error(e));
  }

  function render() {
    chart = null;
    translate(element);
    renderPicker();
    renderMap();
    renderTable();
    renderLegend();
    renderDetail();
    zonesOfFloor().forEach((z) => drawZone(z.id));
  }

  return {
    element,
    show() {
      render();
      load().catch((e) => console.error(e));
    },
    update(kind, id) {
      if (kind === "zone") drawZone(id);
    },
    refresh: render,
    reload() {
      load().catch((e) => console.error(e));
    },
  };
}
