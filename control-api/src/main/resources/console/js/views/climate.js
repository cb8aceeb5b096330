// Climate and energy: the HVAC zones of a floor (temperature against the setpoints, CO2, mode), the
// site's power against the demand limit, today's energy, the optimiser's state and its recent
// decisions with their reasons; engineers and administrators override a zone's setpoints or hand it
// back to the optimiser (the server's rule: PUT/DELETE /energy/zones/{zone} need the engineer role).
// Zones are read over REST when a floor is shown and follow the stream's hvac-zone deltas; the site
// roll-up, the optimiser's status and decisions are read again every REFRESH_EVERY_MS.
import { ApiError } from "../api.js";
import { h, s, clear } from "../dom.js";
import { dateTime, localName, number, t, translate } from "../i18n.js";

/** The roll-up, the optimiser and its decisions are read again this often (they change on its 1-minute tick). */
const REFRESH_EVERY_MS = 15000;
/** Decisions listed (newest first). */
const DECISIONS_SHOWN = 10;
/** The temperature gauge's scale, °C. */
const SCALE_FROM = 14;
const SCALE_TO = 32;
/** CO2 levels (ppm): up to 800 good, to 1200 elevated, above high. */
const CO2_GOOD = 800;
const CO2_HIGH = 1200;
const CO2_SCALE = 2000;
const TUNING_ROLES = ["engineer", "admin"];

/** Keeps an HVAC zone's state from the stream (app.js hands hvac-zone deltas here). */
export function receive(context, id, state) {
  context.hvacZones = context.hvacZones || new Map();
  context.hvacZones.set(id, state);
}

/** "below", "within" or "above" the setpoints' band; null when either is unknown. */
export function comfort(temperature, heating, cooling) {
  if (temperature === null || temperature === undefined || heating === undefined || cooling === undefined) return null;
  if (temperature < heating) return "below";
  if (temperature > cooling) return "above";
  return "within";
}

export function co2Level(ppm) {
  if (ppm === null || ppm === undefined) return null;
  if (ppm <= CO2_GOOD) return "good";
  if (ppm <= CO2_HIGH) return "elevated";
  return "high";
}

export function create(context) {
  context.hvacZones = context.hvacZones || new Map();
  const mayTune = TUNING_ROLES.includes(context.session.role);
  const floors = context.model.floors.filter((f) => context.model.devices.hvacZones.some((z) => z.floor === f.id));
  let floor = floors[0]?.id;
  let rollup = null;
  let energy = null;
  let decisions = null;
  let timer = null;
  const status = h("p", { class: "error", role: "alert", id: "climate-error" });
  const floorSelect = h("select", { id: "climate-floor" });
  floorSelect.addEventListener("change", () => { floor = floorSelect.value; renderZones(); loadZones(); });
  const summary = h("div", { class: "climate-summary", id: "climate-summary" });
  const zoneBody = h("tbody");
  const zoneHeaders = ["climate.zone", "climate.mode", "climate.temperature", "climate.co2", "climate.control"];
  const zoneTable = h("table", { class: "climate-zones", id: "climate-zones" },
    h("caption", { id: "climate-zones-caption" }),
    h("thead", {}, h("tr", {}, zoneHeaders.map((key) => h("th", { scope: "col", "data-i18n": key })),
      mayTune ? h("th", { scope: "col", "data-i18n": "climate.actions" }) : null)),
    zoneBody);
  const decisionList = h("ol", { class: "decisions", id: "climate-decisions" });
  const dialog = overrideDialog();
  const element = h("section", { class: "view climate", "aria-labelledby": "climate-title" },
    h("h1", { id: "climate-title", "data-i18n": "climate.title" }),
    mayTune ? null : h("p", { class: "note", "data-i18n": "climate.readOnly" }),
    status,
    h("h2", { "data-i18n": "climate.site" }),
    summary,
    h("div", { class: "filter" }, h("label", { for: "climate-floor", "data-i18n": "climate.floor" }), floorSelect),
    h("div", { class: "table-scroll" }, zoneTable),
    h("h2", { id: "climate-decisions-title", "data-i18n": "climate.decisions" }),
    h("p", { class: "help", "data-i18n": "climate.decisionsHelp" }),
    decisionList,
    dialog.element);

  function zonesOfFloor() {
    return context.model.devices.hvacZones.filter((z) => z.floor === floor);
  }

  function servedNames(hvac) {
    return (hvac.serves || []).map((id) => localName(context.model.zones.find((z) => z.id === id)?.name, id))
      .join(t("list.separator"));
  }

  function renderFloors() {
    clear(floorSelect);
    for (const f of floors) floorSelect.append(h("option", { value: f.id, selected: f.id === floor }, localName(f.name, f.id)));
  }

  /** A horizontal bar: the setpoints' band, the temperature's mark; the numbers are in the cell's text too. */
  function temperatureGauge(temperature, heating, cooling) {
    const x = (v) => Math.max(0, Math.min(100, ((v - SCALE_FROM) / (SCALE_TO - SCALE_FROM)) * 100));
    return s("svg", { class: "gauge", viewBox: "0 0 100 12", "aria-hidden": "true", focusable: "false" },
      s("rect", { class: "gauge-track", x: 0, y: 3, width: 100, height: 6 }),
      heating === undefined ? null : s("rect", { class: "gauge-band", x: x(heating), y: 1, width: Math.max(0.5, x(cooling) - x(heating)), height: 10 }),
      temperature === null || temperature === undefined ? null
        : s("path", { class: "gauge-mark", d: `M ${x(temperature)} 0 l 2.5 6 l -2.5 6 l -2.5 -6 z` }));
  }

  function co2Gauge(ppm) {
    const width = Math.max(0, Math.min(100, (ppm / CO2_SCALE) * 100));
    return s("svg", { class: "gauge", viewBox: "0 0 100 12", "aria-hidden": "true", focusable: "false" },
      s("rect", { class: "gauge-track", x: 0, y: 3, width: 100, height: 6 }),
      s("rect", { class: `gauge-fill co2-${co2Level(ppm)}`, x: 0, y: 3, width, height: 6 }),
      s("line", { class: "gauge-limit", x1: (CO2_HIGH / CO2_SCALE) * 100, x2: (CO2_HIGH / CO2_SCALE) * 100, y1: 0, y2: 12 }));
  }

  function controlText(id, state) {
    const held = energy?.zones?.find((z) => z.zone === id);
    if (held?.suspended && held.heating !== null && held.heating !== undefined) {
      return t("climate.control.overriddenSuspended", { heating: number(held.heating, 1), cooling: number(held.cooling, 1), by: held.by });
    }
    if (held?.suspended) return t("climate.control.suspended", { by: held.by });
    if (held) return t("climate.control.overridden", { heating: number(held.heating, 1), cooling: number(held.cooling, 1), by: held.by });
    if (energy?.held?.some((z) => z.zone === id)) return t("climate.control.relaxed");
    if (state?.setpoints?.by === "energy-optimiser") return t("climate.control.optimiser");
    return t("climate.control.own");
  }

  function zoneRow(hvac) {
    const state = context.hvacZones.get(hvac.id);
    const temperature = state?.temperature?.value ?? null;
    const co2 = state?.co2?.value ?? null;
    const heating = state?.setpoints?.heating;
    const cooling = state?.setpoints?.cooling;
    const where = comfort(temperature, heating, cooling);
    const level = co2Level(co2);
    const controlled = energy?.zones?.some((z) => z.zone === hvac.id);
    return h("tr", { "data-zone": hvac.id, "data-comfort": where || "unknown" },
      h("th", { scope: "row" }, h("span", { class: "zone-id" }, hvac.id), h("br"), h("span", { class: "help" }, servedNames(hvac))),
      h("td", {}, state ? t(`climate.mode.${String(state.mode).toLowerCase()}`) : t("climate.unknown")),
      h("td", { class: "gauge-cell" },
        temperatureGauge(temperature, heating, cooling),
        h("span", { class: "reading" }, temperature === null ? t("climate.noReading")
          : t("climate.temperatureText", { value: number(temperature, 1), heating: number(heating ?? 0, 1), cooling: number(cooling ?? 0, 1) })),
        where ? h("span", { class: `comfort comfort-${where}` }, t(`climate.comfort.${where}`)) : null),
      h("td", { class: "gauge-cell" },
        co2 === null ? t("climate.noReading") : [co2Gauge(co2),
          h("span", { class: "reading" }, t("climate.co2Text", { value: number(co2) })),
          h("span", { class: `co2 co2-word-${level}` }, t(`climate.co2.${level}`))]),
      h("td", {}, controlText(hvac.id, state)),
      mayTune ? h("td", { class: "actions" },
        h("button", { type: "button", "data-action": "override", onclick: () => dialog.open(hvac, state),
          "aria-label": t("climate.overrideLabel", { zone: hvac.id }) }, t("climate.override")),
        h("button", { type: "button", "data-action": "release", disabled: !controlled, onclick: () => release(hvac.id),
          "aria-label": t("climate.releaseLabel", { zone: hvac.id }) }, t("climate.release"))) : null);
  }

  function renderZones() {
    const list = zonesOfFloor();
    const caption = zoneTable.querySelector("caption");
    const f = floors.find((x) => x.id === floor);
    caption.textContent = t("climate.zonesCaption", { floor: localName(f?.name, floor), count: number(list.length) });
    zoneBody.replaceChildren(...list.map(zoneRow));
  }

  function updateZone(id) {
    const tr = zoneBody.querySelector(`tr[data-zone="${CSS.escape(id)}"]`);
    const hvac = zonesOfFloor().find((z) => z.id === id);
    if (!tr || !hvac) return;
    const focused = tr.contains(document.activeElement) ? document.activeElement.dataset.action : null;
    const fresh = zoneRow(hvac);
    tr.replaceWith(fresh);
    if (focused) fresh.querySelector(`[data-action="${focused}"]`)?.focus();
  }

  function powerBar(power, limit) {
    const top = Math.max(power, limit || 0) * 1.15 || 1;
    const x = (v) => (v / top) * 100;
    return s("svg", { class: "power-bar", viewBox: "0 0 100 16", "aria-hidden": "true", focusable: "false", preserveAspectRatio: "none" },
      s("rect", { class: "gauge-track", x: 0, y: 3, width: 100, height: 10 }),
      s("rect", { class: limit && power > limit ? "gauge-fill over" : "gauge-fill", x: 0, y: 3, width: x(power), height: 10 }),
      limit ? s("line", { class: "gauge-limit", x1: x(limit), x2: x(limit), y1: 0, y2: 16 }) : null);
  }

  function renderSummary() {
    if (!rollup && !energy) {
      summary.replaceChildren(h("p", { class: "help" }, t("climate.loading")));
      return;
    }
    const power = rollup?.rollup?.powerKw ?? energy?.siteDemandKw ?? 0;
    const limit = energy?.demandLimitKw || 0;
    const today = rollup?.rollup?.energyTodayKwh ?? 0;
    const items = [
      ["climate.power", limit ? t("climate.powerOfLimit", { power: number(power, 1), limit: number(limit, 1),
        share: number((power / limit) * 100) }) : t("climate.powerNoLimit", { power: number(power, 1) })],
      ["climate.limitState", !limit ? t("climate.limit.none") : power > limit ? t("climate.limit.over") : t("climate.limit.under")],
      ["climate.optimiser", energy ? t(`climate.optimiser.${energy.mode}`) : t("climate.unknown")],
      ["climate.energyToday", t("climate.kwh", { value: number(today, 1) })],
      ["climate.tariff", energy ? t(energy.tariffPeak ? "climate.tariffPeak" : "climate.tariffOffPeak", { price: number(energy.tariffPrice, 2) }) : ""],
      ["climate.costToday", energy ? t("climate.costEstimate", { value: number(today * energy.tariffPrice, 2) }) : ""],
      ["climate.emissionsToday", energy ? t("climate.emissionsEstimate", { value: number((today * energy.carbonIntensity) / 1000, 1),
        intensity: number(energy.carbonIntensity) }) : ""],
      ["climate.preCool", energy?.preCool ? t(energy.preCool.active ? "climate.preCoolActive" : "climate.preCoolPlanned",
        { from: dateTime(energy.preCool.from), peak: dateTime(energy.preCool.peakFrom) }) : t("climate.preCoolNone")],
    ];
    summary.replaceChildren(
      h("div", { class: "power", "data-over": limit && power > limit ? "true" : "false" }, powerBar(power, limit)),
      h("dl", { id: "climate-figures" }, items.flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", { "data-figure": key }, value)])));
  }

  function renderDecisions() {
    if (!decisions) {
      decisionList.replaceChildren();
      return;
    }
    if (decisions.decisions.length === 0) {
      decisionList.replaceChildren(h("li", { class: "help" }, t("climate.noDecisions")));
      return;
    }
    decisionList.replaceChildren(...decisions.decisions.map((d) => h("li", {},
      h("p", {}, h("strong", {}, t(`climate.action.${String(d.action).toLowerCase()}`)), " ",
        t("climate.decisionLine", { zone: d.zone, at: dateTime(d.at), heating: number(d.to?.heating ?? 0, 1),
          cooling: number(d.to?.cooling ?? 0, 1), kw: number(d.expectedKw, 1) })),
      h("p", { class: "reason" }, t("climate.reason", { reason: d.reason })))));
  }

  function render() {
    renderFloors();
    renderSummary();
    renderZones();
    renderDecisions();
    translate(element);
  }

  function fail(e) {
    status.textContent = e instanceof ApiError ? t("climate.error", { detail: e.message }) : String(e);
  }

  async function loadZones() {
    const wanted = floor;
    try {
      const page = await context.api.get(`/api/v1/sites/${encodeURIComponent(context.site)}/assets?kind=hvac-zone&floor=${encodeURIComponent(wanted)}&limit=500`);
      for (const item of page.items) if (item.state) context.hvacZones.set(item.id, item.state);
      if (wanted === floor) renderZones();
    } catch (e) {
      fail(e);
    }
  }

  async function loadSite() {
    const base = `/api/v1/sites/${encodeURIComponent(context.site)}`;
    try {
      [rollup, energy, decisions] = await Promise.all([context.api.get(base), context.api.get(`${base}/energy`),
        context.api.get(`${base}/energy/decisions?limit=${DECISIONS_SHOWN}`)]);
      renderSummary();
      renderDecisions();
      renderZones();
    } catch (e) {
      fail(e);
    }
  }

  async function release(zone) {
    status.textContent = "";
    try {
      energy = await context.api.call("DELETE", `/api/v1/sites/${encodeURIComponent(context.site)}/energy/zones/${encodeURIComponent(zone)}`);
      context.announce(t("climate.released", { zone }));
      renderZones();
      zoneBody.querySelector(`tr[data-zone="${CSS.escape(zone)}"] [data-action="override"]`)?.focus();
    } catch (e) {
      fail(e);
    }
  }

  /** The override dialog: heating and cooling setpoints (°C), and whether the optimiser leaves the zone alone. */
  function overrideDialog() {
    let zone = null;
    let opener = null;
    const heating = h("input", { id: "override-heating", type: "number", step: "0.5", min: "5", max: "35", required: true });
    const cooling = h("input", { id: "override-cooling", type: "number", step: "0.5", min: "5", max: "35", required: true });
    const suspend = h("input", { id: "override-suspend", type: "checkbox" });
    const error = h("p", { class: "error", role: "alert", id: "override-error" });
    const title = h("h2", { id: "override-title" });
    const form = h("form", { method: "dialog", class: "dialog-form" },
      title,
      h("p", { class: "help", "data-i18n": "climate.overrideHelp" }),
      h("label", { for: "override-heating", "data-i18n": "climate.heating" }), heating,
      h("label", { for: "override-cooling", "data-i18n": "climate.cooling" }), cooling,
      h("div", { class: "check" }, suspend, h("label", { for: "override-suspend", "data-i18n": "climate.suspendZone" })),
      error,
      h("div", { class: "dialog-buttons" },
        h("button", { type: "submit", class: "primary", "data-i18n": "climate.overrideSubmit" }),
        h("button", { type: "button", "data-i18n": "climate.cancel", onclick: () => close() })));
    const el = h("dialog", { class: "override-dialog", id: "override-dialog", "aria-labelledby": "override-title" }, form);
    el.addEventListener("close", () => opener?.focus());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const body = { override: { heating: Number(heating.value), cooling: Number(cooling.value) } };
      if (suspend.checked) body.suspended = true;
      try {
        energy = await context.api.call("PUT", `/api/v1/sites/${encodeURIComponent(context.site)}/energy/zones/${encodeURIComponent(zone)}`, body);
        context.announce(t("climate.overridden", { zone, heating: number(body.override.heating, 1), cooling: number(body.override.cooling, 1) }));
        close();
        renderZones();
      } catch (e) {
        error.textContent = e instanceof ApiError ? t("climate.error", { detail: e.message }) : String(e);
      }
    });
    function close() {
      if (el.open) el.close();
    }
    return {
      element: el,
      open(hvac, state) {
        zone = hvac.id;
        opener = document.activeElement;
        title.textContent = t("climate.overrideTitle", { zone: hvac.id });
        heating.value = state?.setpoints?.heating ?? 20;
        cooling.value = state?.setpoints?.cooling ?? 24;
        suspend.checked = false;
        error.textContent = "";
        translate(el);
        el.showModal();
        heating.focus();
      },
    };
  }

  return {
    element,
    show() {
      render();
      loadZones();
      loadSite();
      timer = setInterval(loadSite, REFRESH_EVERY_MS);
    },
    update(kind, id) {
      if (kind === "hvac-zone") updateZone(id);
    },
    refresh() {
      render();
    },
    reload() {
      loadZones();
      loadSite();
    },
    destroy() {
      clearInterval(timer);
    },
  };
}
