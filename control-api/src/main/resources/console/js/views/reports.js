// Reports: the site's CSV exports (GET /reports/{report}) and the load-test, benchmark and simulation
// reports the node keeps (GET /api/v1/run-reports). A download is fetched with the person's token in
// the Authorization header and handed to the browser as a blob: URL on a link with `download` (a
// download, not a page: no CSP change is needed, and the token never goes into a URL).
import { h, clear } from "../dom.js";
import { dateTime, number, t, translate } from "../i18n.js";
import { ApiError } from "../api.js";

export const REPORTS = ["footfall-by-zone", "footfall-by-category", "car-park-occupancy", "hvac-energy"];
const SLOTS = ["PT15M", "PT1H", "P1D"];

export function create(context) {
  const { api } = context;
  const site = encodeURIComponent(context.site);
  let runs = null;

  const status = h("p", { class: "error", role: "alert" });
  const slot = h("select", { id: "report-slot" });
  const csvBody = h("tbody");
  const runBody = h("tbody");
  const runSummary = h("p", { class: "summary" });
  const element = h("section", { class: "view reports", "aria-labelledby": "reports-title" },
    h("h1", { id: "reports-title", "data-i18n": "reports.title" }),
    status,
    h("section", { class: "panel", "aria-labelledby": "csv-title" },
      h("h2", { id: "csv-title", "data-i18n": "reports.csv.title" }),
      h("p", { class: "help", "data-i18n": "reports.csv.help" }),
      h("div", { class: "filter" },
        h("label", { for: "report-slot", "data-i18n": "reports.csv.slot" }), slot),
      h("table", { class: "csv-reports" },
        h("caption", { class: "visually-hidden", "data-i18n": "reports.csv.title" }),
        h("thead", {}, h("tr", {}, h("th", { scope: "col", "data-i18n": "reports.csv.report" }),
          h("th", { scope: "col", "data-i18n": "reports.csv.what" }), h("th", { scope: "col", "data-i18n": "reports.csv.download" }))),
        csvBody)),
    h("section", { class: "panel", "aria-labelledby": "runs-title" },
      h("h2", { id: "runs-title", "data-i18n": "reports.runs.title" }),
      h("p", { class: "help", "data-i18n": "reports.runs.help" }),
      runSummary,
      h("table", { class: "run-reports" },
        h("caption", { class: "visually-hidden", "data-i18n": "reports.runs.title" }),
        h("thead", {}, h("tr", {}, h("th", { scope: "col", "data-i18n": "reports.runs.run" }),
          h("th", { scope: "col", "data-i18n": "reports.runs.modified" }), h("th", { scope: "col", "data-i18n": "reports.runs.files" }))),
        runBody)));

  /** Fetches with the token and saves what came as a file, through a blob: URL. */
  async function download(path, filename, button) {
    status.textContent = "";
    button.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(path, { headers: { Authorization: `Bearer ${api.token}` } });
      if (!response.ok) {
        let problem = null;
        try { problem = await response.json(); } catch { problem = null; }
        const error = new ApiError(response.status, problem);
        if (response.status === 401) api.onUnauthorized(error);
        throw error;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = h("a", { href: url, download: filename, class: "visually-hidden", tabindex: "-1" });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      context.announce(t("reports.downloaded", { file: filename }));
    } catch (e) {
      status.textContent = t("reports.failed", { file: filename, detail: e.message });
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  function renderSelects() {
    const chosenSlot = slot.value || "PT1H";
    clear(slot).append(...SLOTS.map((s) => h("option", { value: s, selected: s === chosenSlot }, t(`reports.slot.${s}`))));
  }

  function renderCsv() {
    clear(csvBody);
    for (const report of REPORTS) {
      const name = t(`reports.kind.${report}`);
      const button = h("button", { type: "button", "data-report": report, "aria-label": t("reports.csv.downloadLabel", { report: name }) },
        t("reports.csv.downloadCsv"));
      button.addEventListener("click", () => {
        // The day before the twin's now (the server's default range), in the chosen slots.
        const query = new URLSearchParams({ slot: slot.value });
        download(`/api/v1/sites/${site}/reports/${report}?${query}`, `${context.site}-${report}.csv`, button);
      });
      csvBody.append(h("tr", { "data-report": report }, h("th", { scope: "row" }, name), h("td", {}, t(`reports.kind.${report}.what`)), h("td", {}, button)));
    }
  }

  function size(bytes) {
    return bytes >= 1048576 ? t("reports.megabytes", { value: number(bytes / 1048576, 1) })
      : t("reports.kilobytes", { value: number(Math.max(1, Math.round(bytes / 1024))) });
  }

  function renderRuns() {
    clear(runBody);
    if (runs === null) return;
    runSummary.textContent = t("reports.runs.summary", { shown: number(runs.runs.length), total: number(runs.total) });
    if (runs.runs.length === 0) {
      runBody.append(h("tr", {}, h("td", { colspan: 3 }, t("reports.runs.none"))));
      return;
    }
    for (const run of runs.runs) {
      const files = h("ul", { class: "files" }, run.files.map((f) => {
        const button = h("button", { type: "button", class: "link", dataset: { file: f.name },
          "aria-label": t("reports.runs.downloadLabel", { file: f.name, run: run.run, size: size(f.bytes) }) },
        t("reports.runs.file", { file: f.name, size: size(f.bytes) }));
        button.addEventListener("click", () => download(`/api/v1/run-reports/${encodeURIComponent(run.run)}/${encodeURIComponent(f.name)}`,
          `${run.run}-${f.name}`, button));
        return h("li", {}, button);
      }));
      runBody.append(h("tr", { dataset: { run: run.run } }, h("th", { scope: "row" }, run.run), h("td", {}, dateTime(run.modified)), h("td", {}, files)));
    }
  }

  async function load() {
    runs = await api.get("/api/v1/run-reports");
    renderRuns();
    element.dataset.loaded = "true";
  }

  function render() {
    translate(element);
    renderSelects();
    renderCsv();
    renderRuns();
  }

  return {
    element,
    show() {
      render();
      load().catch((e) => { status.textContent = t("reports.failed", { file: "run-reports", detail: e.message }); });
    },
    update() {},
    refresh: render,
    reload() {
      load().catch((e) => console.error(e));
    },
  };
}
