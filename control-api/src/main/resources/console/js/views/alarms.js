// Alarms: the site's alarms by severity and ISA-18.2 state, with acknowledge, shelve, unshelve and
// clear for people who may operate (the buttons are absent for a viewer; the server refuses anyway).
// The list is read over REST when the view is shown (GET /alarms: the alarms raised before sign-in
// too) and again on reconnecting; the stream then brings every change; new ones are announced.
import { ApiError } from "../api.js";
import { h, clear } from "../dom.js";
import { dateTime, number, t, translate } from "../i18n.js";

const SEVERITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];
const STATE_ORDER = ["UNACKNOWLEDGED", "RETURNED_UNACKNOWLEDGED", "ACKNOWLEDGED", "SHELVED", "SUPPRESSED", "OUT_OF_SERVICE", "NORMAL"];
const NEEDS_ACK = ["UNACKNOWLEDGED", "RETURNED_UNACKNOWLEDGED"];
const SHELVE_DURATIONS = ["PT15M", "PT1H", "PT4H", "PT8H", "PT24H"];
/** Rows shown at most (the most severe, unacknowledged first). */
const MAX_ROWS = 100;
/** Alarms read over REST at most (the server's cap); the rest come as they change. */
const LOAD_AT_MOST = 1000;
/** Deltas arriving close together are drawn together. */
const RENDER_EVERY_MS = 250;

/** New alarms arriving within this time are announced together. */
const ANNOUNCE_AFTER_MS = 1000;

/**
 * Keeps an alarm from the stream; an alarm new or raised again is announced. A burst of them is
 * announced once, naming the most severe, so the live region is not flooded.
 */
export function receive(context, id, alarm) {
  context.alarms.set(id, alarm);
  context.alarmsChanged?.add(id); // newer than a REST list read under way
  // Announced once per raising (id and count), whether the stream's delta or the REST list came first:
  // comparing with the copy held would miss an alarm the list brought a moment before its delta.
  if (alarm.state === "UNACKNOWLEDGED" && markAnnounced(context, id, alarm)) queueAnnouncement(context, alarm);
}

/** Adds a raised alarm to the burst being gathered for one announcement. */
function queueAnnouncement(context, alarm) {
  context.raised = context.raised || [];
  context.raised.push(alarm);
  if (context.raised.length === 1) setTimeout(() => announceRaised(context), ANNOUNCE_AFTER_MS);
}

/** Records that this raising of the alarm is announced; false if it already was. */
function markAnnounced(context, id, alarm) {
  context.announced ||= new Set();
  const key = `${id}#${alarm.count}`;
  if (context.announced.has(key)) return false;
  context.announced.add(key);
  return true;
}

/** Alarms named in the announcement of a burst, the most severe first. */
const ANNOUNCE_AT_MOST = 3;

function announceRaised(context) {
  const raised = context.raised || [];
  context.raised = [];
  if (raised.length === 0) return;
  const item = (alarm) => t("alarm.announceItem", { severity: t(`severity.${alarm.severity.toLowerCase()}`),
    source: sourceText(alarm), condition: alarm.condition });
  if (raised.length === 1) {
    context.announce(t("alarm.announce", { alarm: item(raised[0]) }));
    return;
  }
  const worst = [...raised].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))
    .slice(0, ANNOUNCE_AT_MOST);
  context.announce(t("alarm.announceMany", { count: number(raised.length), alarms: worst.map(item).join(t("list.separator")) }));
}

function sourceText(alarm) {
  const source = alarm.source;
  if (!source) return "";
  return typeof source === "string" ? source : source.localId || "";
}

function compare(a, b) {
  return SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity)
    || STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state)
    || String(b.lastAt).localeCompare(String(a.lastAt));
}

export function create(context) {
  const mayOperate = context.session.mayOperate;
  let filter = "open";
  const status = h("p", { class: "error", role: "alert", id: "alarm-error" });
  const tableBody = h("tbody");
  const filterSelect = h("select", { id: "alarm-filter" });
  filterSelect.addEventListener("change", () => { filter = filterSelect.value; renderRows(); });
  const headers = ["alarm.severity", "alarm.state", "alarm.source", "alarm.message", "alarm.lastAt", "alarm.count"];
  const table = h("table", { class: "alarms" },
    h("caption", { "data-i18n": "alarms.caption" }),
    h("thead", {}, h("tr", {}, headers.map((key) => h("th", { scope: "col", "data-i18n": key })),
      mayOperate ? h("th", { scope: "col", "data-i18n": "alarm.actions" }) : null)),
    tableBody);
  const empty = h("p", { class: "help", id: "alarms-empty" });
  const incomplete = h("p", { class: "note", id: "alarms-incomplete" });
  const rendered = new WeakMap();
  const dialog = shelveDialog();
  const element = h("section", { class: "view alarms", "aria-labelledby": "alarms-title" },
    h("h1", { id: "alarms-title", "data-i18n": "alarms.title" }),
    h("p", { class: "help", "data-i18n": "alarms.since" }),
    mayOperate ? null : h("p", { class: "note", "data-i18n": "alarms.readOnly" }),
    h("div", { class: "filter" }, h("label", { for: "alarm-filter", "data-i18n": "alarms.filter" }), filterSelect),
    status, incomplete, table, empty, dialog.element);

  function renderFilter() {
    clear(filterSelect);
    for (const value of ["open", "all"]) {
      filterSelect.append(h("option", { value, selected: value === filter }, t(`alarms.filter.${value}`)));
    }
  }

  function visible() {
    return [...context.alarms.values()].filter((a) => filter === "all" || a.state !== "NORMAL").sort(compare);
  }

  /**
   * Brings the table in line with the alarms kept: rows whose alarm did not change are kept (and so
   * is the focus in them), changed ones are replaced, and the order follows severity and state. At
   * most MAX_ROWS rows; the note under the table says how many more there are.
   */
  function renderRows() {
    const list = visible();
    const shown = list.slice(0, MAX_ROWS);
    const existing = new Map([...tableBody.children].map((tr) => [tr.dataset.alarm, tr]));
    const focused = document.activeElement?.closest?.("tr[data-alarm]") ? {
      id: document.activeElement.closest("tr").dataset.alarm, action: document.activeElement.dataset.action,
    } : null;
    const rows = shown.map((alarm) => {
      const tr = existing.get(alarm.alarmId);
      existing.delete(alarm.alarmId);
      return tr && rendered.get(tr) === alarm ? tr : row(alarm);
    });
    existing.forEach((tr) => tr.remove());
    rows.forEach((tr, i) => {
      if (tableBody.children[i] !== tr) tableBody.insertBefore(tr, tableBody.children[i] || null);
    });
    if (focused && !tableBody.contains(document.activeElement)) {
      const again = tableBody.querySelector(`tr[data-alarm="${CSS.escape(focused.id)}"] button[data-action="${focused.action}"]:not([disabled])`)
        || tableBody.querySelector(`tr[data-alarm="${CSS.escape(focused.id)}"] button:not([disabled])`);
      again?.focus();
    }
    empty.textContent = list.length === 0 ? t("alarms.none")
      : list.length > MAX_ROWS ? t("alarms.more", { shown: number(MAX_ROWS), total: number(list.length) }) : "";
    table.hidden = list.length === 0;
  }

  let pending = null;
  function scheduleRows() {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      renderRows();
    }, RENDER_EVERY_MS);
  }

  function row(alarm) {
    const severity = alarm.severity.toLowerCase();
    const cells = [
      h("td", {}, h("span", { class: `severity severity-${severity}` }, h("span", { class: "icon", "aria-hidden": "true" }),
        t(`severity.${severity}`))),
      h("td", { class: "state" }, h("span", { class: `state-${alarm.state.toLowerCase()}` }, t(`alarmState.${alarm.state.toLowerCase()}`))),
      h("td", {}, sourceText(alarm), h("br"), h("span", { class: "condition" }, alarm.condition)),
      h("td", {}, alarm.message || ""),
      h("td", {}, dateTime(alarm.lastAt)),
      h("td", { class: "num" }, number(alarm.count)),
    ];
    if (mayOperate) cells.push(h("td", {}, h("div", { class: "actions" }, actions(alarm))));
    const tr = h("tr", { dataset: { alarm: alarm.alarmId, state: alarm.state } }, cells);
    rendered.set(tr, alarm);
    return tr;
  }

  function actions(alarm) {
    const label = (action) => t(`alarm.action.${action}.label`, { alarm: alarm.alarmId });
    const button = (action, enabled, onclick) => h("button", { type: "button", disabled: !enabled, "aria-label": label(action),
      dataset: { action }, onclick }, t(`alarm.action.${action}`));
    return [
      button("acknowledge", NEEDS_ACK.includes(alarm.state), () => act(alarm, "acknowledge")),
      alarm.state === "SHELVED" ? button("unshelve", true, () => act(alarm, "unshelve"))
        : button("shelve", alarm.state !== "NORMAL" && alarm.state !== "OUT_OF_SERVICE", () => dialog.open(alarm)),
      button("clear", !alarm.active && alarm.state !== "NORMAL", () => act(alarm, "clear")),
    ];
  }

  async function act(alarm, action, body = {}) {
    status.textContent = "";
    const path = `/api/v1/sites/${encodeURIComponent(context.site)}/assets/alarm/${encodeURIComponent(alarm.alarmId)}/${action}`;
    try {
      const answer = await context.api.post(path, body);
      const next = answer && answer.alarmId ? answer : answer?.state && answer.state.alarmId ? answer.state : null;
      if (next) {
        context.alarms.set(alarm.alarmId, next);
        context.alarmsChanged?.add(alarm.alarmId);
      }
      renderRows();
    } catch (e) {
      const detail = e instanceof ApiError ? e.message : String(e);
      status.textContent = t("alarm.actionFailed", { action: t(`alarm.action.${action}`), detail });
    }
  }

  function shelveDialog() {
    const reason = h("input", { id: "shelve-reason", name: "reason", required: true, maxlength: 200 });
    const duration = h("select", { id: "shelve-duration", name: "duration" });
    let target = null;
    const form = h("form", { method: "dialog" },
      h("h2", { id: "shelve-title", "data-i18n": "shelve.title" }),
      h("p", { id: "shelve-which" }),
      h("label", { for: "shelve-duration", "data-i18n": "shelve.duration" }), duration,
      h("label", { for: "shelve-reason", "data-i18n": "shelve.reason" }), reason,
      h("div", { class: "buttons" },
        h("button", { type: "submit", class: "primary", value: "shelve", "data-i18n": "shelve.confirm" }),
        h("button", { type: "button", "data-i18n": "shelve.cancel", onclick: () => dialogEl.close() })));
    const dialogEl = h("dialog", { "aria-labelledby": "shelve-title" }, form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!reason.value.trim()) return;
      dialogEl.close();
      act(target, "shelve", { duration: duration.value, reason: reason.value.trim() });
    });
    return {
      element: dialogEl,
      open(alarm) {
        target = alarm;
        clear(duration);
        SHELVE_DURATIONS.forEach((d) => duration.append(h("option", { value: d }, t(`shelve.${d}`))));
        duration.value = "PT1H";
        reason.value = "";
        form.querySelector("#shelve-which").textContent = t("shelve.which", { alarm: alarm.alarmId });
        translate(dialogEl);
        dialogEl.showModal();
        reason.focus();
      },
    };
  }

  /** Reads the site's alarms over REST; alarms the stream brought meanwhile are replaced by the server's answer. */
  async function load() {
    // Alarms the stream or an action changed while the list was on its way are newer than the list's copy.
    const changed = new Set();
    context.alarmsChanged = changed;
    try {
      const answer = await context.api.get(`/api/v1/sites/${encodeURIComponent(context.site)}/alarms?limit=${LOAD_AT_MOST}`);
      // The first list of a session holds the alarms raised before sign-in: listed, not announced.
      const first = !context.alarmsListed;
      context.alarmsListed = true;
      for (const alarm of answer.alarms || []) {
        if (changed.has(alarm.alarmId)) continue;
        context.alarms.set(alarm.alarmId, alarm);
        if (first) markAnnounced(context, alarm.alarmId, alarm);
        else if (alarm.state === "UNACKNOWLEDGED" && markAnnounced(context, alarm.alarmId, alarm)) queueAnnouncement(context, alarm);
      }
      if (context.alarmsChanged === changed) context.alarmsChanged = null;
      incomplete.textContent = answer.primed === false || answer.total > (answer.alarms || []).length ? t("alarms.incomplete") : "";
      renderRows();
    } catch (e) {
      status.textContent = t("alarms.loadFailed", { detail: e instanceof ApiError ? e.message : String(e) });
    }
  }

  function render() {
    translate(element);
    renderFilter();
    clear(tableBody);
    renderRows();
  }

  return {
    element,
    show() {
      render();
      load();
    },
    refresh: render,
    update(kind) {
      if (kind === "alarm") scheduleRows();
    },
    reload: load,
  };
}
