// Drills: an operator runs a bundled scenario (the evacuation drill, the holiday surge) through the
// simulator beside the twin, paced by the twin's clock; everyone on the site watches it: the
// scenario's clock, people inside, people out by exit, the evacuation curve, the bottlenecks and the
// time to evacuate. The drill changes nothing in the twin; a banner says a drill is running.
// Progress is read with GET .../drill once a second while one runs: the drill is not an asset, so it
// is not on the stream, and one small read a second per watcher is cheap (the curve is at most a few
// hundred points). The "forecast from now" runs the what-if evacuation from the twin's present.
import { ApiError } from "../api.js";
import { h, s, clear } from "../dom.js";
import { dateTime, localName, number, t, translate } from "../i18n.js";

const POLL_MS = 1000;
const SPEEDS = [10, 60, 120, 300, 600];
/** The "from" choices: the scenario's start, or a few minutes before its fire alarm. */
const BEFORE_ALARM_MINUTES = 5;
const RUNNING = ["preparing", "running"];
/** Rows of the curve's table: one a minute (every sixth point of 10 s), and the last. */
const TABLE_EVERY = 6;
const CHART = { width: 640, height: 260, left: 64, right: 16, top: 16, bottom: 48 };

export function create(context) {
  const site = encodeURIComponent(context.site);
  const path = `/api/v1/sites/${site}/drill`;
  const mayOperate = context.session.mayOperate;
  let scenarios = [];
  let limits = null;
  let drill = null;
  let timer = null;
  let forecast = null;
  let forecastTimer = null;
  let destroyed = false;

  const error = h("p", { class: "error", role: "alert", id: "drill-error" });
  const banner = h("p", { class: "drill-banner", id: "drill-banner", role: "status", hidden: true });
  const scenarioSelect = h("select", { id: "drill-scenario", name: "scenario" });
  const speedSelect = h("select", { id: "drill-speed", name: "speed" });
  const fromSelect = h("select", { id: "drill-from", name: "from" });
  scenarioSelect.addEventListener("change", renderFrom);
  const startButton = h("button", { type: "submit", class: "primary", id: "drill-start", "data-i18n": "drills.start" });
  const form = mayOperate ? h("form", { class: "drill-form", "aria-labelledby": "drill-form-title" },
    h("h2", { id: "drill-form-title", "data-i18n": "drills.new" }),
    h("div", { class: "field" }, h("label", { for: "drill-scenario", "data-i18n": "drills.scenario" }), scenarioSelect),
    h("div", { class: "field" }, h("label", { for: "drill-speed", "data-i18n": "drills.speed" }), speedSelect),
    h("div", { class: "field" }, h("label", { for: "drill-from", "data-i18n": "drills.from" }), fromSelect),
    h("p", { class: "help", id: "drill-speed-help", "data-i18n": "drills.speedHelp" }),
    startButton) : null;
  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    start();
  });
  const status = h("div", { class: "drill-status", id: "drill-status" });
  const exits = h("div", { id: "drill-exits" });
  const curve = h("div", { id: "drill-curve" });
  const bottlenecks = h("div", { id: "drill-bottlenecks" });
  const forecastPanel = forecastSection();
  const element = h("section", { class: "view drills", "aria-labelledby": "drills-title" },
    h("h1", { id: "drills-title", "data-i18n": "drills.title" }),
    h("p", { class: "help", "data-i18n": "drills.intro" }),
    banner,
    mayOperate ? null : h("p", { class: "note", id: "drills-read-only", "data-i18n": "drills.readOnly" }),
    error, form, status,
    h("div", { class: "drill-results" }, exits, bottlenecks),
    curve,
    forecastPanel.element);

  async function show() {
    try {
      const list = await context.api.get(`${path}/scenarios`);
      scenarios = list.scenarios;
      limits = list;
    } catch (e) {
      fail(e);
    }
    renderForm();
    await read();
  }

  async function read() {
    try {
      drill = await context.api.get(path);
    } catch (e) {
      if (!(e instanceof ApiError && e.slug === "no-drill")) fail(e);
      drill = null;
    }
    render();
  }

  /** Polls while a drill runs; stops when it has ended (and says so once). */
  function follow() {
    if (timer || destroyed) return;
    timer = setInterval(async () => {
      const before = drill?.phase;
      await read();
      if (!drill || !RUNNING.includes(drill.phase)) {
        clearInterval(timer);
        timer = null;
        if (drill && RUNNING.includes(before)) context.announce(endText(drill));
      }
    }, POLL_MS);
  }

  async function start() {
    error.textContent = "";
    const body = { scenario: scenarioSelect.value, speed: Number(speedSelect.value) };
    if (fromSelect.value) body.from = fromSelect.value;
    startButton.disabled = true;
    try {
      drill = await context.api.post(path, body);
      context.announce(t("drills.started", { scenario: scenarioName(drill.scenario) }));
    } catch (e) {
      fail(e);
    }
    render();
  }

  async function stop() {
    error.textContent = "";
    try {
      drill = await context.api.post(`${path}/stop`);
      context.announce(endText(drill));
    } catch (e) {
      fail(e);
    }
    render();
  }

  function fail(e) {
    error.textContent = t("drills.failed", { detail: e instanceof ApiError ? e.message : String(e) });
  }

  function scenarioName(id) {
    return t(`drills.scenario.${id}`);
  }

  function renderForm() {
    if (!form) return;
    const chosen = scenarioSelect.value;
    clear(scenarioSelect).append(...scenarios.map((sc) => h("option", { value: sc.id, selected: sc.id === chosen }, scenarioName(sc.id))));
    const speed = speedSelect.value || String(limits?.defaultSpeed ?? 60);
    clear(speedSelect).append(...SPEEDS.filter((v) => !limits || (v >= limits.minSpeed && v <= limits.maxSpeed))
      .map((v) => h("option", { value: String(v), selected: String(v) === speed }, t("drills.speedValue", { speed: number(v) }))));
    renderFrom();
  }

  function renderFrom() {
    const sc = scenarios.find((x) => x.id === scenarioSelect.value);
    const chosen = fromSelect.value;
    const options = [h("option", { value: "" }, t("drills.from.start", { time: sc ? dateTime(sc.start) : "" }))];
    if (sc?.alarmAt) {
      const at = new Date(Date.parse(sc.alarmAt) - BEFORE_ALARM_MINUTES * 60000);
      const value = localClock(sc.alarmAt, -BEFORE_ALARM_MINUTES);
      options.push(h("option", { value, selected: chosen === value || !chosen },
        t("drills.from.beforeAlarm", { minutes: number(BEFORE_ALARM_MINUTES), time: dateTime(at.toISOString()) })));
    }
    clear(fromSelect).append(...options);
  }

  function render() {
    const running = drill && RUNNING.includes(drill.phase);
    banner.hidden = !running;
    banner.textContent = running ? t("drills.banner", { scenario: scenarioName(drill.scenario) }) : "";
    if (form) startButton.disabled = Boolean(running) || scenarios.length === 0;
    renderStatus(running);
    renderExits();
    renderBottlenecks();
    renderCurve();
    if (running) follow();
  }

  function renderStatus(running) {
    if (!drill) {
      clear(status).append(h("p", { class: "help", id: "drill-none" }, t("drills.none")));
      return;
    }
    const rows = [
      ["drills.scenario", scenarioName(drill.scenario)],
      ["drills.phase", t(`drills.phase.${drill.phase}`)],
      ["drills.simTime", dateTime(drill.simTime)],
      ["drills.speed", t("drills.speedValue", { speed: number(drill.speed) })],
      ["drills.startedBy", drill.startedBy],
      ["drills.inside", number(drill.inside)],
      ["drills.alarmAt", drill.alarmAt ? dateTime(drill.alarmAt) : t("drills.noAlarmYet")],
      ["drills.evacuated", number(drill.evacuated)],
    ];
    if (drill.evacuationSeconds !== null && drill.evacuationSeconds !== undefined) {
      rows.push(["drills.evacuationTime", duration(drill.evacuationSeconds)]);
    }
    if (drill.trapped > 0) rows.push(["drills.trapped", number(drill.trapped)]);
    if (drill.reason) rows.push(["drills.reason", t(`drills.reason.${reasonKey(drill.reason)}`)]);
    const list = h("dl", { class: "drill-facts", dataset: { phase: drill.phase } },
      rows.flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", { dataset: { fact: key.replace("drills.", "") } }, value)]));
    const stopButton = mayOperate && running
      ? h("button", { type: "button", id: "drill-stop", onclick: stop }, t("drills.stop")) : null;
    const result = drill.phase === "finished" && drill.evacuationSeconds !== null && drill.evacuationSeconds !== undefined
      ? h("p", { class: "drill-result", id: "drill-result" }, t("drills.result", { time: duration(drill.evacuationSeconds), people: number(drill.evacuated) }))
      : null;
    clear(status).append(...[h("h2", {}, t("drills.progress")), list, result, stopButton].filter(Boolean));
  }

  function renderExits() {
    if (!drill || !drill.alarmAt) {
      clear(exits);
      return;
    }
    const most = Math.max(1, ...drill.exits.map((e) => e.evacuated));
    const table = h("table", { class: "drill-exits" },
      h("caption", {}, t("drills.exits.caption")),
      h("thead", {}, h("tr", {}, ["drills.exits.exit", "drills.exits.state", "drills.exits.out", "drills.exits.share"]
        .map((key) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, drill.exits.map((e) => h("tr", { dataset: { exit: e.id } },
        h("th", { scope: "row" }, localName({ zh: e.nameZh, en: e.nameEn }, e.id)),
        h("td", {}, e.closed ? t("drills.exits.closed") : t("drills.exits.open")),
        h("td", { class: "num" }, number(e.evacuated)),
        h("td", {}, bar(e.evacuated / most, e.closed))))));
    clear(exits).append(table);
  }

  function bar(share, closed) {
    return s("svg", { class: "exit-bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true", focusable: "false" },
      s("rect", { class: closed ? "bar-closed" : "bar-open", x: 0, y: 0, height: 10, width: Math.max(0, Math.min(100, share * 100)) }));
  }

  function renderBottlenecks() {
    if (!drill || !drill.alarmAt) {
      clear(bottlenecks);
      return;
    }
    clear(bottlenecks).append(h("h2", {}, t("drills.bottlenecks")), bottleneckList(drill.bottlenecks, "drill-bottleneck-list"));
  }

  function renderCurve() {
    if (!drill || drill.curve.length === 0) {
      clear(curve);
      return;
    }
    const points = drill.curve;
    const rows = points.filter((p, i) => i % TABLE_EVERY === 0 || i === points.length - 1);
    clear(curve).append(
      h("h2", { id: "drill-curve-title" }, t("drills.curve")),
      chart(points),
      h("details", { class: "curve-table" },
        h("summary", {}, t("drills.curve.table")),
        h("table", {},
          h("caption", {}, t("drills.curve.caption")),
          h("thead", {}, h("tr", {}, ["drills.curve.minutes", "drills.curve.out", "drills.curve.inside"]
            .map((key) => h("th", { scope: "col" }, t(key))))),
          h("tbody", {}, rows.map((p) => h("tr", {},
            h("td", { class: "num" }, number(p.t / 60, 1)), h("td", { class: "num" }, number(p.out)), h("td", { class: "num" }, number(p.inside))))))));
  }

  /** The evacuation curve: people out (solid) and still inside (dashed) against minutes since the alarm. */
  function chart(points) {
    const { width, height, left, right, top, bottom } = CHART;
    const maxT = Math.max(60, points[points.length - 1].t);
    const maxY = Math.max(1, ...points.map((p) => Math.max(p.out, p.inside)));
    const x = (v) => left + (v / maxT) * (width - left - right);
    const y = (v) => top + (1 - v / maxY) * (height - top - bottom);
    const line = (field) => points.map((p) => `${x(p.t).toFixed(1)},${y(p[field]).toFixed(1)}`).join(" ");
    const ticks = [0, 0.25, 0.5, 0.75, 1];
    const last = points[points.length - 1];
    const summary = t("drills.curve.summary", { out: number(last.out), inside: number(last.inside), minutes: number(last.t / 60, 1) });
    return s("svg", { class: "curve-svg", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": summary },
      ticks.map((f) => s("g", { class: "tick" },
        s("line", { x1: left, x2: width - right, y1: y(f * maxY), y2: y(f * maxY) }),
        s("text", { x: left - 6, y: y(f * maxY), "text-anchor": "end", "dominant-baseline": "central" }, number(f * maxY)))),
      ticks.map((f) => s("text", { class: "tick", x: x(f * maxT), y: height - bottom + 16, "text-anchor": "middle" }, number((f * maxT) / 60, 1))),
      s("line", { class: "axis", x1: left, x2: left, y1: top, y2: height - bottom }),
      s("line", { class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }),
      s("text", { class: "axis-label", x: (left + width - right) / 2, y: height - 6, "text-anchor": "middle" }, t("drills.curve.xAxis")),
      s("text", { class: "axis-label", x: 14, y: (top + height - bottom) / 2, "text-anchor": "middle",
        transform: `rotate(-90 14 ${(top + height - bottom) / 2})` }, t("drills.curve.yAxis")),
      s("polyline", { class: "line-out", points: line("out") }),
      s("polyline", { class: "line-inside", points: line("inside") }),
      s("text", { class: "line-label", x: x(last.t) - 4, y: y(last.out) - 8, "text-anchor": "end" }, t("drills.curve.out")),
      s("text", { class: "line-label", x: x(last.t) - 4, y: y(last.inside) - 8, "text-anchor": "end" }, t("drills.curve.inside")));
  }

  function bottleneckList(list, id) {
    if (!list || list.length === 0) return h("p", { class: "help", id }, t("drills.bottlenecks.none"));
    return h("ol", { class: "bottlenecks", id }, list.map((b) => h("li", {},
      t("drills.bottleneck", { link: b.link, queue: number(b.maxLength), seconds: number(b.secondsWithQueue) }))));
  }

  function endText(d) {
    return d.phase === "finished" && d.evacuationSeconds !== null && d.evacuationSeconds !== undefined
      ? t("drills.result", { time: duration(d.evacuationSeconds), people: number(d.evacuated) })
      : t("drills.ended", { phase: t(`drills.phase.${d.phase}`) });
  }

  // ---- the forecast from now (the what-if evacuation)

  function forecastSection() {
    const zoneSelect = h("select", { id: "forecast-zone" });
    const exitSelect = h("select", { id: "forecast-closed" });
    const button = h("button", { type: "submit", id: "forecast-start", "data-i18n": "drills.forecast.start" });
    const result = h("div", { id: "forecast-result", "aria-live": "polite" });
    const section = h("form", { class: "forecast", "aria-labelledby": "forecast-title" },
      h("h2", { id: "forecast-title", "data-i18n": "drills.forecast.title" }),
      h("p", { class: "help", "data-i18n": "drills.forecast.help" }),
      h("div", { class: "field" }, h("label", { for: "forecast-zone", "data-i18n": "drills.forecast.zone" }), zoneSelect),
      h("div", { class: "field" }, h("label", { for: "forecast-closed", "data-i18n": "drills.forecast.closed" }), exitSelect),
      button, result);
    section.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      forecast = { state: "running" };
      renderResult();
      const body = { zone: zoneSelect.value, closedExits: exitSelect.value ? [exitSelect.value] : [] };
      try {
        const accepted = await context.api.post(`/api/v1/sites/${site}/what-if/evacuation`, body);
        poll(accepted.id);
      } catch (e) {
        forecast = { state: "failed", detail: e instanceof ApiError ? e.message : String(e) };
        button.disabled = false;
        renderResult();
      }
    });

    function poll(id) {
      forecastTimer = setTimeout(async () => {
        try {
          const report = await context.api.get(`/api/v1/sites/${site}/what-if/evacuation/${encodeURIComponent(id)}`);
          if (report.state === "running") {
            poll(id);
            return;
          }
          forecast = { state: "done", report };
        } catch (e) {
          forecast = { state: "failed", detail: e instanceof ApiError ? e.message : String(e) };
        }
        button.disabled = false;
        renderResult();
        if (forecast.state === "done") context.announce(forecastText(forecast.report));
      }, POLL_MS);
    }

    function render() {
      const zone = zoneSelect.value || "ATR-L1";
      const zones = (context.model.zones || []).filter((z) => z.kind !== "car-park-level" && z.kind !== "plant-room");
      clear(zoneSelect).append(...zones.map((z) => h("option", { value: z.id, selected: z.id === zone }, localName(z.name, z.id))));
      const closed = exitSelect.value;
      clear(exitSelect).append(h("option", { value: "" }, t("drills.forecast.noneClosed")),
        ...(context.model.exits || []).map((e) => h("option", { value: e.id, selected: e.id === closed }, localName(e.name, e.id))));
      renderResult();
    }

    function renderResult() {
      if (!forecast) {
        clear(result);
        return;
      }
      if (forecast.state === "running") {
        clear(result).append(h("p", { class: "help" }, t("drills.forecast.running")));
        return;
      }
      if (forecast.state === "failed") {
        clear(result).append(h("p", { class: "error" }, t("drills.failed", { detail: forecast.detail })));
        return;
      }
      const table = (forecast.report.tables || []).find((x) => x.id === "bottlenecks");
      const list = (table?.rows || []).slice(0, 5).map((r) => ({ link: r[0], maxLength: r[1], secondsWithQueue: r[2] }));
      clear(result).append(h("p", { class: "drill-result", id: "forecast-summary" }, forecastText(forecast.report)),
        h("h3", {}, t("drills.bottlenecks")), bottleneckList(list, "forecast-bottlenecks"));
    }

    return { element: section, render };
  }

  function forecastText(report) {
    const summary = report.summary || {};
    const seconds = summary["total evacuation time (s)"];
    const out = summary["people out since the alarm"] ?? 0;
    return seconds !== undefined
      ? t("drills.forecast.result", { time: duration(seconds), people: number(out) })
      : t("drills.forecast.unfinished", { people: number(out), inside: number(summary["still inside (evacuation not finished)"] ?? 0) });
  }

  function refresh() {
    translate(element);
    renderForm();
    forecastPanel.render();
    render();
  }

  return {
    element,
    show() {
      translate(element);
      forecastPanel.render();
      show();
    },
    update() {},
    refresh,
    reload: read,
    destroy() {
      destroyed = true;
      clearInterval(timer);
      clearTimeout(forecastTimer);
    },
  };
}

/** "12 min 5 s" in the language's words. */
function duration(seconds) {
  const m = Math.floor(seconds / 60);
  const sec = Math.round(seconds - m * 60);
  return t("drills.duration", { minutes: number(m), seconds: number(sec) });
}

/** The reasons the server gives, as dictionary keys. */
function reasonKey(reason) {
  if (reason === "everyone is out") return "out";
  if (reason === "the scenario ended") return "end";
  if (reason === "stopped by an operator") return "stopped";
  return "failed";
}

/** HH:mm of an instant in its own offset, moved by minutes (the scenario's local time, for "from"). */
function localClock(iso, minutes) {
  const match = /T(\d{2}):(\d{2})/.exec(iso);
  const total = (Number(match[1]) * 60 + Number(match[2]) + minutes + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}
