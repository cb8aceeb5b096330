// An asset's recent history as an SVG line chart (GET .../history, downsampled in 5-minute buckets
// over the day before the twin's now), with the same numbers in a table for screen readers and for
// people who prefer numbers. Used by the floor plans' details panel.
import { h, s } from "../dom.js";
import { dateTime, number, t } from "../i18n.js";

/** The measurement charted for an asset of the model, or null when its kind keeps none worth a chart. */
export function fieldFor(kind, asset) {
  if (kind === "zone") return "occupancy";
  if (kind === "kiosk") return "sessions";
  if (kind === "camera") return asset?.mode === "line" ? "in" : asset?.mode === "headcount" ? "count" : null;
  return null;
}

const WIDTH = 320;
const HEIGHT = 140;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

/** A section that loads and draws the history of kind/id's field; returns it at once. */
export function historyChart(context, kind, id, field) {
  const status = h("p", { class: "help" }, t("assetHistory.loading"));
  const section = h("section", { class: "history", "aria-labelledby": `history-title-${kind}-${id}` },
    h("h3", { id: `history-title-${kind}-${id}` }, t("assetHistory.title", { field: t(`assetHistory.field.${field}`) })), status);
  const path = `/api/v1/sites/${encodeURIComponent(context.site)}/assets/${kind}/${encodeURIComponent(id)}/history?field=${field}&step=PT5M`;
  context.api.get(path).then((answer) => {
    const buckets = (answer?.buckets || []).filter((b) => b.count > 0);
    if (buckets.length === 0) {
      status.textContent = t("assetHistory.none");
      section.dataset.points = "0";
      return;
    }
    status.remove();
    section.append(chart(buckets, field), table(buckets, field));
    section.dataset.points = String(buckets.length);
  }).catch((e) => {
    status.textContent = t("assetHistory.failed", { detail: e.message });
  });
  return section;
}

function chart(buckets, field) {
  const times = buckets.map((b) => Date.parse(b.start));
  const values = buckets.map((b) => b.mean);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const max = Math.max(...values, 1);
  const x = (time) => PAD.left + ((time - t0) / (t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - (v / max) * (HEIGHT - PAD.top - PAD.bottom);
  const points = buckets.map((b, i) => `${x(times[i]).toFixed(1)},${y(values[i]).toFixed(1)}`).join(" ");
  const last = buckets[buckets.length - 1];
  return s("svg", { class: "history-chart", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img",
    "aria-label": t("assetHistory.chartLabel", { field: t(`assetHistory.field.${field}`), from: dateTime(buckets[0].start),
      to: dateTime(last.start), max: number(max, 1), last: number(last.mean, 1) }) },
  s("line", { x1: PAD.left, y1: HEIGHT - PAD.bottom, x2: WIDTH - PAD.right, y2: HEIGHT - PAD.bottom, class: "axis" }),
  s("line", { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: HEIGHT - PAD.bottom, class: "axis" }),
  s("text", { x: PAD.left - 4, y: PAD.top + 8, "text-anchor": "end", class: "tick" }, number(max, max < 10 ? 1 : 0)),
  s("text", { x: PAD.left - 4, y: HEIGHT - PAD.bottom, "text-anchor": "end", class: "tick" }, number(0)),
  s("text", { x: PAD.left, y: HEIGHT - 6, class: "tick" }, time(buckets[0].start)),
  s("text", { x: WIDTH - PAD.right, y: HEIGHT - 6, "text-anchor": "end", class: "tick" }, time(last.start)),
  s("polyline", { points, class: "series" }),
  ...buckets.map((b, i) => s("circle", { cx: x(times[i]), cy: y(values[i]), r: 1.8, class: "dot" })));
}

/** The time of day of a date and time as the language writes it ("2:15:00 PM", "14:15:00"). */
function time(iso) {
  const text = dateTime(iso);
  const comma = text.lastIndexOf(", ");
  return comma >= 0 ? text.slice(comma + 2) : text.slice(text.indexOf(" ") + 1);
}

function table(buckets, field) {
  const rows = buckets.slice(-36);
  return h("details", { class: "history-table" },
    h("summary", {}, t("assetHistory.tableSummary", { count: number(rows.length) })),
    h("table", {},
      h("caption", { class: "visually-hidden" }, t("assetHistory.title", { field: t(`assetHistory.field.${field}`) })),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("assetHistory.time")), h("th", { scope: "col", class: "num" }, t("assetHistory.mean")),
        h("th", { scope: "col", class: "num" }, t("assetHistory.min")), h("th", { scope: "col", class: "num" }, t("assetHistory.max")))),
      h("tbody", {}, rows.map((b) => h("tr", {}, h("th", { scope: "row" }, dateTime(b.start)),
        h("td", { class: "num" }, number(b.mean, 1)), h("td", { class: "num" }, number(b.min, 1)), h("td", { class: "num" }, number(b.max, 1)))))));
}

