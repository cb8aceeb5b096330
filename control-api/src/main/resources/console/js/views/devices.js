// Shelf labels, kiosks and couriers: price campaigns and their progress (read over REST from the
// campaign endpoints, never label by label: a site has 20,000 labels), kiosk health (live kiosk
// deltas) with the site-wide content mode for operators, and couriers with their orders' ETAs (live
// courier deltas). The API gives no role a courier's position (personal data, docs/assets/courier.md),
// so couriers are listed, not drawn on a map.
import { h, clear } from "../dom.js";
import { dateTime, localName, number, t, translate } from "../i18n.js";

const CAMPAIGN_POLL_MS = 3000;
const MODES = ["normal", "promotion", "evacuation-guidance"];

export function create(context) {
  const { api, model, session } = context;
  const site = encodeURIComponent(context.site);
  const kiosks = new Map();
  const couriers = new Map();
  let campaigns = { running: [], ended: [] };
  const progress = new Map();
  let timer = null;

  const campaignBody = h("tbody");
  const kioskBody = h("tbody");
  const courierBody = h("tbody");
  const kioskSummary = h("p", { class: "summary", "aria-live": "polite" });
  const courierSummary = h("p", { class: "summary" });
  const modeResult = h("p", { class: "error", role: "alert" });
  const modeSelect = h("select", { id: "kiosk-mode" });
  const modeForm = session.mayOperate ? h("form", { class: "filter kiosk-mode" },
    h("label", { for: "kiosk-mode", "data-i18n": "devices.kiosks.setAll" }), modeSelect,
    h("button", { type: "submit", "data-i18n": "devices.kiosks.apply" })) : h("p", { class: "note", "data-i18n": "devices.kiosks.readOnly" });
  const element = h("section", { class: "view devices", "aria-labelledby": "devices-title" },
    h("h1", { id: "devices-title", "data-i18n": "devices.title" }),
    h("section", { class: "panel", "aria-labelledby": "campaigns-title" },
      h("h2", { id: "campaigns-title", "data-i18n": "devices.campaigns.title" }),
      h("p", { class: "help", "data-i18n": "devices.campaigns.help" }),
      h("table", { class: "campaigns" },
        h("caption", { class: "visually-hidden", "data-i18n": "devices.campaigns.title" }),
        h("thead", {}, h("tr", {}, ...["id", "state", "progress", "acknowledged", "failed", "pending", "by", "started"].map((c) =>
          h("th", { scope: "col", class: ["id", "state", "by", "started", "progress"].includes(c) ? undefined : "num", "data-i18n": `devices.campaigns.${c}` })))),
        campaignBody)),
    h("section", { class: "panel", "aria-labelledby": "kiosks-title" },
      h("h2", { id: "kiosks-title", "data-i18n": "devices.kiosks.title" }),
      kioskSummary, modeForm, modeResult,
      h("table", { class: "kiosks" },
        h("caption", { class: "visually-hidden", "data-i18n": "devices.kiosks.title" }),
        h("thead", {}, h("tr", {}, ...["id", "zone", "connectivity", "faults", "mode", "lastSeen"].map((c) =>
          h("th", { scope: "col", "data-i18n": `devices.kiosks.${c}` })))),
        kioskBody)),
    h("section", { class: "panel", "aria-labelledby": "couriers-title" },
      h("h2", { id: "couriers-title", "data-i18n": "devices.couriers.title" }),
      h("p", { class: "note", "data-i18n": "devices.couriers.noMap" }),
      courierSummary,
      h("table", { class: "couriers" },
        h("caption", { class: "visually-hidden", "data-i18n": "devices.couriers.title" }),
        h("thead", {}, h("tr", {}, ...["id", "orders", "nextEta", "remaining", "late", "delivered", "speed", "lastSeen"].map((c) =>
          h("th", { scope: "col", class: ["orders", "remaining", "delivered", "speed"].includes(c) ? "num" : undefined, "data-i18n": `devices.couriers.${c}` })))),
        courierBody)));

  if (session.mayOperate) {
    modeForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      modeResult.textContent = "";
      const mode = modeSelect.value;
      try {
        const result = await api.call("PUT", `/api/v1/sites/${site}/kiosks/content-mode`, { mode });
        modeResult.textContent = "";
        context.announce(t("devices.kiosks.modeSet", { mode: t(`devices.kioskMode.${mode}`), count: number(result?.accepted?.length ?? kiosks.size) }));
      } catch (e) {
        modeResult.textContent = t("devices.kiosks.modeFailed", { detail: e.message });
      }
    });
  }

  function zoneName(id) {
    const zone = model.zones.find((z) => z.id === id);
    return zone ? localName(zone.name, id) : (id || "–");
  }

  function percent(part, whole) {
    return whole > 0 ? Math.round((100 * part) / whole) : 0;
  }

  function renderCampaigns() {
    clear(campaignBody);
    const all = [...campaigns.running.map((c) => ({ ...c, running: true })), ...campaigns.ended];
    if (all.length === 0) {
      campaignBody.append(h("tr", {}, h("td", { colspan: 8 }, t("devices.campaigns.none"))));
      return;
    }
    for (const c of all) {
      const p = progress.get(c.campaignId);
      const done = (p ? p.acknowledged + p.failed + (p.superseded || 0) : c.acknowledged + c.failed + (c.superseded || 0));
      const total = p?.total ?? c.total;
      const pct = percent(done, total);
      const state = p?.state ? p.state.toLowerCase() : (c.running ? "running" : "completed");
      const bar = h("progress", { max: total || 1, value: done, "aria-label": t("devices.campaigns.progressLabel", { id: c.campaignId }) });
      campaignBody.append(h("tr", { dataset: { campaign: c.campaignId, state } },
        h("th", { scope: "row" }, c.campaignId),
        h("td", {}, t(`devices.campaignState.${state}`)),
        h("td", { class: "progress" }, bar, t("devices.campaigns.progressText", { done: number(done), total: number(total), percent: number(pct) })),
        h("td", { class: "num" }, number(p?.acknowledged ?? c.acknowledged)),
        h("td", { class: "num" }, number(p?.failed ?? c.failed)),
        h("td", { class: "num" }, p ? number(p.pending) : "–"),
        h("td", {}, c.by || "–"),
        h("td", {}, dateTime(p?.startedAt || c.registeredAt) || "–")));
    }
  }

  function connectivityText(state) {
    return t(`devices.connectivity.${(state?.connectivity || "UNKNOWN").toLowerCase()}`);
  }

  function renderKiosks() {
    clear(kioskBody);
    const list = [...kiosks.values()].sort((a, b) => a.id.localeCompare(b.id));
    let online = 0;
    let faulty = 0;
    for (const { id, zone, state } of list) {
      if (state?.connectivity === "ONLINE") online++;
      const faults = state?.faults || [];
      if (faults.length) faulty++;
      const mode = state?.contentMode ? t(`devices.kioskMode.${state.contentMode.toLowerCase().replace(/_/g, "-")}`) : "–";
      const delivery = state?.contentDelivery ? t(`devices.kioskDelivery.${state.contentDelivery.toLowerCase()}`) : "";
      kioskBody.append(h("tr", { dataset: { kiosk: id, connectivity: (state?.connectivity || "UNKNOWN").toLowerCase(), faults: String(faults.length) } },
        h("th", { scope: "row" }, id),
        h("td", {}, zoneName(zone)),
        h("td", { class: "connectivity" }, connectivityText(state)),
        h("td", { class: "faults" }, faults.length ? faults.map((f) => t(`devices.kioskFault.${String(f.component).toLowerCase()}`)).join(t("list.separator")) : t("devices.kiosks.noFault")),
        h("td", {}, delivery ? t("devices.kiosks.modeWithDelivery", { mode, delivery }) : mode),
        h("td", {}, dateTime(state?.lastSeenAt) || "–")));
    }
    kioskSummary.textContent = t("devices.kiosks.summary", { total: number(list.length), online: number(online), faulty: number(faulty) });
  }

  function nextOrder(state) {
    return (state?.orders || []).filter((o) => o.eta).sort((a, b) => a.eta.localeCompare(b.eta))[0];
  }

  function renderCouriers() {
    clear(courierBody);
    const list = [...couriers.values()].sort((a, b) => a.id.localeCompare(b.id));
    let carrying = 0;
    let late = 0;
    let seen = 0;
    for (const { id, state } of list) {
      const orders = state?.orders || [];
      if (orders.length) carrying++;
      if (state?.late) late++;
      if (state?.lastSeenAt) seen++;
      const next = nextOrder(state);
      courierBody.append(h("tr", { dataset: { courier: id, late: String(Boolean(state?.late)) } },
        h("th", { scope: "row" }, id),
        h("td", { class: "num" }, number(orders.length)),
        h("td", {}, next ? dateTime(next.eta) : "–"),
        h("td", { class: "num" }, next?.remainingMetres == null ? "–" : t("devices.metres", { value: number(next.remainingMetres) })),
        h("td", { class: "late" }, state?.late ? t("devices.couriers.isLate") : t("devices.couriers.onTime")),
        h("td", { class: "num" }, number(state?.delivered || 0)),
        h("td", { class: "num" }, state?.observedSpeed == null ? "–" : t("devices.metresPerSecond", { value: number(state.observedSpeed, 1) })),
        h("td", {}, dateTime(state?.lastSeenAt) || "–")));
    }
    courierSummary.textContent = t("devices.couriers.summary", { total: number(list.length), seen: number(seen), carrying: number(carrying), late: number(late) });
  }

  function renderModes() {
    const chosen = modeSelect.value || "normal";
    clear(modeSelect).append(...MODES.map((m) => h("option", { value: m, selected: m === chosen }, t(`devices.kioskMode.${m}`))));
  }

  async function loadKind(kind, into) {
    let cursor = null;
    do {
      const page = await api.get(`/api/v1/sites/${site}/assets?kind=${kind}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      for (const item of page.items) into.set(item.id, { id: item.id, zone: item.zone, state: item.state });
      cursor = page.next;
    } while (cursor);
  }

  async function loadCampaigns() {
    const listing = await api.get(`/api/v1/sites/${site}/price-campaigns`);
    campaigns = { running: listing?.running || [], ended: listing?.ended || [] };
    await Promise.all(campaigns.running.map(async (c) => {
      progress.set(c.campaignId, await api.get(`/api/v1/sites/${site}/price-campaigns/${encodeURIComponent(c.campaignId)}`));
    }));
    renderCampaigns();
  }

  async function load() {
    await Promise.all([loadKind("kiosk", kiosks), loadKind("courier", couriers), loadCampaigns()]);
    renderKiosks();
    renderCouriers();
    element.dataset.loaded = "true";
  }

  function poll() {
    clearTimeout(timer);
    timer = setTimeout(() => loadCampaigns().catch((e) => console.error(e)).finally(() => { if (timer !== null) poll(); }), CAMPAIGN_POLL_MS);
  }

  function render() {
    translate(element);
    renderModes();
    renderCampaigns();
    renderKiosks();
    renderCouriers();
  }

  return {
    element,
    show() {
      render();
      load().catch((e) => console.error(e));
      poll();
    },
    update(kind, id) {
      const state = context.devices?.get(`${kind}/${id}`);
      if (kind === "kiosk" && state) {
        kiosks.set(id, { id, zone: kiosks.get(id)?.zone || state.zone, state });
        renderKiosks();
      } else if (kind === "courier" && state) {
        couriers.set(id, { id, state });
        renderCouriers();
      }
    },
    refresh: render,
    reload() {
      load().catch((e) => console.error(e));
    },
    destroy() {
      clearTimeout(timer);
      timer = null;
    },
  };
}
