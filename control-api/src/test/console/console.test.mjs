// The console in Debian's chromium, driven by playwright-core (run by ConsoleBrowserIT, which starts a
// node with the simulator's crowd and passes what this needs in the environment). Exits 0 when every
// check passed; prints one line per check and, on failure, what was wrong. Screenshots go to
// $SCREENSHOTS.
import { chromium } from "playwright-core";
import { readFileSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env("ATRIUM_URL");
const OPERATOR = env("OPERATOR_TOKEN");
const VIEWER = env("VIEWER_TOKEN");
const ENGINEER = env("ENGINEER_TOKEN");
const RUN_REPORT = { run: env("RUN_REPORT_RUN"), file: env("RUN_REPORT_FILE"), content: env("RUN_REPORT_CONTENT") };
const GATEWAY = `Basic ${Buffer.from(`${env("GATEWAY_USER")}:${env("GATEWAY_PASSWORD")}`).toString("base64")}`;
const SHOTS = env("SCREENSHOTS");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SITE = "demo-mall";
const KIOSK = "KIOSK-01";
const ALARM = `kiosk.${KIOSK}.fault-screen`;
const EARLY_KIOSK = "KIOSK-02";
// A screen fault is of high severity, so it is among the rows shown (at most 100, the most severe first).
const EARLY_ALARM = `kiosk.${EARLY_KIOSK}.fault-screen`;
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const CJK = /[\u3400-\u9fff\uff00-\uffef]/;

mkdirSync(SHOTS, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), "atrium-console-chromium-"));
const failures = [];
const cspViolations = [];
const pageErrors = [];

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function check(name, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`} (${elapsed()})`);
  if (!ok) failures.push(`${name}${detail ? `: ${detail}` : ""}`);
}

async function axe(page, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(`axe-core finds no serious or critical violation on ${name}`, bad.length === 0,
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`).join("; "));
}

/** A screenshot of the view; the whole page for the floor plans, the window for the (long) alarm list. */
async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: !name.startsWith("alarms") });
}

/** Text of the page a person reads, without the one control that names the other language in that language. */
async function visibleText(page) {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true);
    clone.querySelectorAll("#lang, [hidden], dialog:not([open])").forEach((el) => el.remove());
    return clone.innerText;
  });
}

let lastEventAt = 0;

/** The kiosk's fault, reported through the device door at the twin's time (later than the one before). */
async function deviceEvent(active, kiosk = KIOSK, component = "screen") {
  lastEventAt = Math.max(Date.parse(await twinNow()), lastEventAt + 1000);
  const ts = new Date(lastEventAt).toISOString();
  const body = { v: 1, type: "event", id: `console-test-${active}-${Date.now()}`, site: SITE, kind: "kiosk", asset: kiosk, ts,
    name: "fault", data: { component, active, detail: "console browser test" } };
  await deviceMessage(body);
}

/** The twin's time now (the site roll-up's last update); asked again while a loaded node answers 503. */
async function twinNow() {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${BASE}/api/v1/sites/${SITE}`, { headers: { Authorization: `Bearer ${OPERATOR}` } });
    const site = response.ok ? await response.json() : null;
    if (site?.rollup?.updatedAt) return site.rollup.updatedAt;
    if (attempt >= 15) throw new Error(`the site's roll-up has no time (HTTP ${response.status})`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** One envelope through the device door as the site's gateway; a 503 (the twin busy on a loaded machine) is sent again, as the protocol says. */
async function deviceMessage(body) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${BASE}/api/v1/devices/messages`, { method: "POST",
      headers: { Authorization: GATEWAY, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (response.ok) return;
    const text = await response.text();
    if (response.status !== 503 || attempt >= 10) throw new Error(`the device door answered ${response.status}: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(45000); // generous: a shared 2-core machine under load answers slowly
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspViolations.push(m.text());
    if (m.type() === "error") console.log(`     console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => {
    pageErrors.push(String(e));
    console.log(`     script error: ${e}`);
  });

  // Sign-in, in Chinese by default.
  await page.goto(`${BASE}/`);
  await page.waitForSelector("form.login textarea");
  check("the page opens in Simplified Chinese", (await page.getAttribute("html", "lang")) === "zh-CN");
  check("the sign-in form is labelled in Chinese", CJK.test(await page.textContent("form.login label")));
  await axe(page, "the sign-in page");
  await shot(page, "sign-in");
  await page.fill("#token", "not-a-token");
  await page.click("form.login button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#login-error")?.textContent.length > 0);
  check("a malformed token is refused with a message", true);
  const malformed = await page.textContent("#login-error");
  await page.fill("#token", OPERATOR.slice(0, -4) + "AAAA");
  await page.click("form.login button[type=submit]");
  // The server's answer re-draws the form with its own message: wait for that, not the one before.
  await page.waitForFunction((before) => {
    const text = document.querySelector("#login-error")?.textContent;
    return text && text !== before;
  }, malformed);
  check("a forged token is refused by the server", (await page.$("#nav:not([hidden])")) === null);

  // An alarm raised before anyone signs in: the alarms view lists it (read over REST), not only later ones.
  await deviceEvent(false, EARLY_KIOSK, "screen");
  await deviceEvent(true, EARLY_KIOSK, "screen");
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the roll-up takes the alarm's delta

  // Operator: the floor plan fills from the stream.
  await page.fill("#token", OPERATOR);
  await page.click("form.login button[type=submit]");
  await page.waitForSelector("#nav:not([hidden])");
  await page.waitForSelector(".floors[data-loaded]", { timeout: 60000 }); // a shared, busy machine reads slowly
  await page.waitForFunction(() => document.querySelector("#live")?.dataset.status === "live");
  check("signed in, the floor plans show and the stream is live", true);
  await page.click('.floor-picker button[data-floor="L1"]');
  await page.waitForSelector('.floors[data-loaded="L1"]');
  const zoneTexts = () => page.$$eval("svg.plan-svg g.zone", (gs) => Object.fromEntries(gs.map((g) => [g.dataset.zone, g.querySelector("text").textContent])));
  const before = await zoneTexts();
  check("every zone of L1 is drawn with its headcount written on it", Object.keys(before).length > 10
    && Object.values(before).every((v) => /^[\d,]+$/.test(v)), JSON.stringify(before));
  const changed = await page.waitForFunction((initial) => {
    const now = [...document.querySelectorAll("svg.plan-svg g.zone")];
    const moved = now.filter((g) => g.querySelector("text").textContent !== initial[g.dataset.zone]);
    return moved.length > 0 ? moved.map((g) => g.dataset.zone) : null;
  }, before, { timeout: 45000 }).then((h) => h.jsonValue()).catch(() => null);
  check("zones' headcounts change as the simulator's crowd arrives (stream deltas)", Array.isArray(changed), "no zone changed in 45 s");
  const consistent = await page.evaluate(() => [...document.querySelectorAll("svg.plan-svg g.zone")].every((g) => {
    const row = document.querySelector(`table.zones tr[data-zone="${CSS.escape(g.dataset.zone)}"]`);
    return row && row.children[1].textContent === g.querySelector("text").textContent;
  }));
  check("the table says the same headcounts as the plan", consistent);
  const someZone = Array.isArray(changed) ? changed[0] : Object.keys(before)[0];
  await page.focus(`svg.plan-svg g.zone[data-zone="${someZone}"]`);
  await page.keyboard.press("Enter");
  await page.waitForFunction((id) => document.querySelector(".zone-detail dl dd")?.textContent === id, someZone);
  check("a zone chosen with the keyboard shows its state", true);
  const label = await page.getAttribute(`svg.plan-svg g.zone[data-zone="${someZone}"]`, "aria-label");
  check("a zone on the plan is labelled for screen readers with its people and crowding", /\d/.test(label || "") && CJK.test(label || ""), label);
  await axe(page, "the floor plans");
  await shot(page, "floors-zh");

  // Alarms: a kiosk reports a screen fault; the alarm is announced, acknowledged, and its state changes.
  await page.click('#nav a[data-view="alarms"]');
  await page.waitForSelector(".view.alarms");
  await page.waitForSelector(`tr[data-alarm="${EARLY_ALARM}"][data-state="UNACKNOWLEDGED"]`);
  check("an alarm raised before sign-in is listed (GET /alarms), unacknowledged", true);
  await deviceEvent(false); // a fault left over from an earlier run against the same node ends first
  await deviceEvent(true);
  const row = `tr[data-alarm="${ALARM}"]`;
  await page.waitForSelector(`${row}[data-state="UNACKNOWLEDGED"]`);
  check("a new alarm appears in the list, unacknowledged", true);
  await page.waitForFunction(([kiosk]) => [...document.querySelectorAll("#announcer p")].some((p) => p.textContent.includes(kiosk) && p.textContent.includes("fault-screen")), [KIOSK]);
  check("a new alarm is announced in the live region", true);
  await axe(page, "the alarms");
  await shot(page, "alarms-zh");
  const stateBefore = await page.textContent(`${row} td.state`);
  await page.click(`${row} button[data-action="acknowledge"]`);
  await page.waitForSelector(`${row}[data-state="ACKNOWLEDGED"]`);
  const stateAfter = await page.textContent(`${row} td.state`);
  check("acknowledging changes the alarm's state, in words", stateBefore !== stateAfter && stateAfter === "已确认", `${stateBefore} -> ${stateAfter}`);
  check("acknowledge is disabled once acknowledged", await page.isDisabled(`${row} button[data-action="acknowledge"]`));
  await page.click(`${row} button[data-action="shelve"]`);
  await page.waitForSelector("dialog[open]");
  check("shelve asks for a reason, with the focus in the dialog",
    await page.evaluate(() => document.activeElement?.id === "shelve-reason"));
  await page.selectOption("#shelve-duration", "PT15M");
  await page.keyboard.type("console test: shelved while the screen is replaced");
  await page.keyboard.press("Enter");
  await page.waitForSelector(`${row}[data-state="SHELVED"]`);
  check("shelving with a reason shelves the alarm", (await page.textContent(`${row} td.state`)) === "已搁置");
  await page.click(`${row} button[data-action="unshelve"]`);
  await page.waitForSelector(`${row}[data-state="ACKNOWLEDGED"]`);
  check("unshelving returns it to the list, acknowledged", true);
  await deviceEvent(false);
  await page.selectOption("#alarm-filter", "all");
  await page.waitForSelector(`${row}[data-state="NORMAL"]`);
  check("the fault ending returns the acknowledged alarm to normal (stream)", true);
  await deviceEvent(false, EARLY_KIOSK, "screen");

  // Parking: free bays per car park and level, live from the simulator's cars; one level's bays on a plan.
  await page.click('#nav a[data-view="parking"]');
  await page.waitForSelector(".view.parking");
  const freeCells = () => page.$$eval("#parking-summary tr[data-level] td.free", (tds) => tds.map((td) => td.textContent));
  await page.waitForFunction(() => [...document.querySelectorAll("#parking-summary tr[data-level] td.free")].every((td) => /^[\d,]+$/.test(td.textContent)));
  const freeBefore = await freeCells();
  check("every car park level shows its free bays as a number", freeBefore.length === 4, JSON.stringify(freeBefore));
  check("each level's free share is a bar with words", (await page.$$("#parking-summary .share-bar[aria-label]")).length === 4
    && (await page.$$eval("#parking-summary .bar-text", (els) => els.every((el) => /\d/.test(el.textContent)))));
  await page.waitForFunction(() => document.querySelectorAll("#parking-bays g.bay").length === 500
    && document.querySelectorAll("#parking-bays g.bay-unknown").length === 0);
  const tally = await page.$$eval("#parking-counts li[data-status]", (lis) => lis.map((li) => li.textContent));
  check("the level's 500 bays are on the plan, each with its state, and counted in words", tally.length === 4, JSON.stringify(tally));
  const guidance = await page.$$eval(".car-park .guidance-text", (els) => els.map((el) => el.textContent));
  check("the guidance and overflow state of each car park is written", guidance.length === 2
    && guidance.every((text) => CJK.test(text) && /\d/.test(text)), JSON.stringify(guidance));
  const freeChanged = await page.waitForFunction((initial) => {
    const now = [...document.querySelectorAll("#parking-summary tr[data-level] td.free")].map((td) => td.textContent);
    return now.some((v, i) => v !== initial[i]) ? now : null;
  }, freeBefore, { timeout: 60000 }).then((v) => v.jsonValue()).catch(() => null);
  check("free bays change as the simulator's cars park (car-park deltas)", freeChanged !== null, `still ${JSON.stringify(freeBefore)}`);
  await page.click('.view.parking .floor-picker button[data-level="PS-B1"]');
  await page.waitForFunction(() => document.querySelector('.view.parking .floor-picker button[data-level="PS-B1"]').getAttribute("aria-pressed") === "true"
    && document.querySelectorAll("#parking-bays g.bay").length === 500 && document.querySelectorAll("#parking-bays g.bay-unknown").length === 0);
  check("another level's bays are shown when it is picked", true);
  // Reverse car finding: a bay camera reads a plate; the plate typed (in another spelling) finds the bay, shown on its level.
  const rollupAt = await twinNow();
  await deviceMessage({ v: 1, type: "telemetry", id: `console-test-plate-${Date.now()}`, site: SITE, kind: "parking-bay", asset: "PN-B2-0500",
    ts: new Date(Date.parse(rollupAt) + 1000).toISOString(), data: { occupied: true, plate: "沪A 77777" } });
  let where = "";
  for (let attempt = 0; attempt < 20 && !where.includes("PN-B2-0500"); attempt++) {
    await page.fill("#find-plate", "沪a77777");
    await page.click('#find-car button[type="submit"]');
    await page.waitForFunction(() => !/…$/.test(document.querySelector("#find-result").textContent));
    where = await page.textContent("#find-result");
    if (!where.includes("PN-B2-0500")) await page.waitForTimeout(500);
  }
  check("finding a car by its plate names its bay and level, and no plate token", where.includes("PN-B2-0500") && where.includes("PN-B2")
    && !where.includes("pt_"), where);
  await page.waitForSelector('#parking-bays g.bay-located[data-bay="PN-B2-0500"]');
  check("the found bay's level is shown with the bay ringed on the plan", true);
  await axe(page, "the parking view");
  await shot(page, "parking-zh");

  // Climate and energy: zones against their setpoints, the site's power and the optimiser; a zone's reading arrives live.
  await page.click('#nav a[data-view="climate"]');
  await page.waitForSelector(".view.climate");
  await page.waitForSelector('#climate-zones tr[data-zone="AHU-L1-01"]');
  // Half an hour ahead of the twin's clock (30 s at 60×): the simulated plant's own reports of this zone
  // are older until then and are ignored, so the row holds the test's reading while it is checked.
  const hvacTs = new Date(Date.parse(await twinNow()) + 30 * 60000).toISOString();
  await deviceMessage({ v: 1, type: "telemetry", id: `console-test-hvac-${Date.now()}`, site: SITE, kind: "hvac-zone", asset: "AHU-L1-01",
    ts: hvacTs, data: { temperature: 33.4, co2: 1450, power: 12.5 } });
  await page.waitForFunction(() => {
    const row = document.querySelector('#climate-zones tr[data-zone="AHU-L1-01"]');
    return row && row.textContent.includes("33.4") && row.textContent.includes("1,450");
  }, null, { timeout: 30000 });
  check("a zone's temperature and CO2 arrive live over the stream, written as numbers", true);
  check("a zone above its cooling setpoint says so in words, not colour alone",
    (await page.getAttribute('#climate-zones tr[data-zone="AHU-L1-01"]', "data-comfort")) === "above"
    && CJK.test(await page.textContent('#climate-zones tr[data-zone="AHU-L1-01"] .comfort')));
  await page.waitForFunction(() => document.querySelectorAll("#climate-figures dd").length >= 5);
  check("the site's power, demand limit, today's energy and the tariff are shown", true);
  check("an operator is not offered the engineers' override (the server's rule)",
    (await page.$$('#climate-zones button[data-action="override"]')).length === 0);
  await axe(page, "the climate and energy view");
  await shot(page, "climate-zh");

  // English by the switch, remembered across a reload (back on the alarms view first).
  await page.click('#nav a[data-view="alarms"]');
  await page.selectOption("#alarm-filter", "all"); // the alarm is back to normal by now
  await page.waitForSelector(`${row} td.state`);
  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "en");
  const alarmsText = await visibleText(page);
  check("in English the alarms view shows no Chinese", !CJK.test(alarmsText), alarmsText.match(new RegExp(`.{0,20}${CJK.source}.{0,20}`))?.[0]);
  check("the state is in English", (await page.textContent(`${row} td.state`)) === "normal");
  await axe(page, "the alarms in English");
  await shot(page, "alarms-en");
  await page.reload();
  await page.waitForSelector("#nav:not([hidden])");
  check("the language is remembered across a reload", (await page.getAttribute("html", "lang")) === "en");
  await page.click('#nav a[data-view="floors"]');
  await page.waitForSelector(".floors[data-loaded]");
  const floorsText = await visibleText(page);
  check("in English the floor plans show no Chinese", !CJK.test(floorsText), floorsText.match(new RegExp(`.{0,20}${CJK.source}.{0,20}`))?.[0]);
  await axe(page, "the floor plans in English");
  await shot(page, "floors-en");
  await page.setViewportSize({ width: 768, height: 1024 }); // a tablet held upright
  check("on an upright tablet the plan and the zone table stack in one column", await page.evaluate(() => {
    const plan = document.querySelector(".plan").getBoundingClientRect();
    const table = document.querySelector("table.zones").getBoundingClientRect();
    return table.top >= plan.bottom && document.documentElement.scrollWidth <= window.innerWidth;
  }));
  await axe(page, "the floor plans on a tablet");
  await shot(page, "floors-tablet-en");
  await page.setViewportSize({ width: 1600, height: 1000 });

  // Floor plan assets: exits, kiosks and cameras drawn from the site model; a zone's and a kiosk's history.
  const assetKinds = await page.$$eval("svg.plan-svg g.asset", (gs) => gs.map((g) => [g.dataset.asset.split("/")[0], g.getAttribute("aria-label") || ""]));
  check("the plan draws exits, kiosks and cameras, each labelled", ["exit", "kiosk", "camera"].every((k) => assetKinds.some(([kind, label]) => kind === k && label.length > 3)),
    JSON.stringify(assetKinds.slice(0, 5)));
  await page.focus(`svg.plan-svg g.zone[data-zone="${someZone}"]`);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".zone-detail .history[data-points]", { timeout: 30000 });
  const zonePoints = Number(await page.getAttribute(".zone-detail .history", "data-points"));
  check("a chosen zone shows its occupancy history as a chart, with the numbers in a table", zonePoints > 0
    && (await page.$(".zone-detail svg.history-chart polyline")) !== null
    && (await page.$$(".zone-detail .history-table tbody tr")).length > 0, `${zonePoints} points`);
  const kioskOnPlan = await page.$$eval("svg.plan-svg g.asset-kiosk", (gs) => gs.map((g) => g.dataset.asset.split("/")[1]));
  await page.focus(`svg.plan-svg g.asset[data-asset="kiosk/${kioskOnPlan[0]}"]`);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".zone-detail dl.asset-state[data-loaded]");
  await page.waitForSelector(".zone-detail .history[data-points]", { timeout: 30000 });
  check("a kiosk chosen on the plan with the keyboard shows its state and its history",
    (await page.textContent(".zone-detail h2")) === kioskOnPlan[0] && /online|offline|not heard/.test(await page.textContent(".zone-detail dl.asset-state")),
    await page.textContent(".zone-detail"));
  await axe(page, "the floor plans with an asset chosen");
  await shot(page, "floors-asset-en");

  // Shelf labels, kiosks, couriers: a campaign an engineer starts shows its progress; a kiosk's fault arrives live.
  const labels = Array.from({ length: 30 }, (_, i) => ({ label: `ESL-S-L1-03-${String(i + 1).padStart(5, "0")}`, price: "9.90" }));
  const campaignId = `console-${Date.now()}`;
  const started = await page.evaluate(async ({ token, site, body }) => (await fetch(`/api/v1/sites/${site}/price-campaigns`,
    { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) })).status,
  { token: ENGINEER, site: SITE, body: { id: campaignId, prices: labels } });
  check("an engineer starts a price campaign over 30 labels (202)", started === 202, String(started));
  await page.click('#nav a[data-view="devices"]');
  await page.waitForSelector(".devices[data-loaded]");
  await page.waitForSelector(`.campaigns tr[data-campaign="${campaignId}"]`, { timeout: 15000 });
  check("the campaign is listed with its progress", /of 30 labels/.test(await page.textContent(`.campaigns tr[data-campaign="${campaignId}"]`)));
  check("every kiosk of the site is listed with its connection in words", (await page.$$(".kiosks tbody tr")).length === 40
    && (await page.$$eval(".kiosks td.connectivity", (tds) => tds.every((td) => /online|offline|not heard/.test(td.textContent)))));
  check("every courier of the fleet is listed", (await page.$$(".couriers tbody tr")).length === 150);
  await deviceEvent(true);
  await page.waitForSelector(`.kiosks tr[data-kiosk="${KIOSK}"][data-faults="1"]`);
  check("a kiosk's screen fault arrives live in the kiosk table, in words", (await page.textContent(`.kiosks tr[data-kiosk="${KIOSK}"] td.faults`)) === "screen");
  await deviceEvent(false);
  await page.waitForSelector(`.kiosks tr[data-kiosk="${KIOSK}"][data-faults="0"]`);
  await axe(page, "the shelf labels, kiosks and couriers");
  await shot(page, "devices-en");

  // Reports: a CSV export and a run's report downloaded with the token (blob: links).
  await page.click('#nav a[data-view="reports"]');
  await page.waitForSelector(".reports[data-loaded]");
  check("the run reports kept on the node are listed", (await page.$(`.run-reports tr[data-run="${RUN_REPORT.run}"]`)) !== null);
  const readDownload = async (selector) => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8") };
  };
  const csv = await readDownload('.csv-reports button[data-report="footfall-by-zone"]');
  check("a CSV report downloads with the token and starts with its header", csv.name === `${SITE}-footfall-by-zone.csv`
    && csv.text.startsWith("slot_start,slot_end,zone,"), `${csv.name}: ${csv.text.slice(0, 80)}`);
  const run = await readDownload(`.run-reports tr[data-run="${RUN_REPORT.run}"] button[data-file="${RUN_REPORT.file}"]`);
  check("a run's report file downloads as it was written", run.text === RUN_REPORT.content, run.text.slice(0, 80));
  await axe(page, "the reports");
  await shot(page, "reports-en");

  // Drills: the operator runs the evacuation drill from five minutes before its fire alarm and watches it to its end.
  await page.click('#nav a[data-view="drills"]');
  await page.waitForSelector("#drill-start:not([disabled])");
  await page.selectOption("#drill-scenario", "evacuation-drill");
  await page.selectOption("#drill-speed", "600");
  check("a drill starts five minutes before the scenario's fire alarm by default", (await page.inputValue("#drill-from")) === "14:00",
    await page.inputValue("#drill-from"));
  await page.click("#drill-start");
  await page.waitForSelector("#drill-banner:not([hidden])");
  check("a DRILL banner shows while the drill runs", /DRILL/.test(await page.textContent("#drill-banner")));
  await page.waitForSelector("#drill-curve svg", { timeout: 120000 }); // the alarm has gone off: the curve grows
  await shot(page, "drills-running-en");
  await page.waitForSelector('.drill-facts[data-phase="finished"]', { timeout: 120000 });
  const fact = async (name) => Number((await page.textContent(`.drill-facts dd[data-fact="${name}"]`)).replace(/[^0-9]/g, ""));
  const evacuated = await fact("evacuated");
  check("the drill ends with nobody inside", (await fact("inside")) === 0);
  check("people were evacuated", evacuated > 0, String(evacuated));
  const byExit = await page.$$eval("#drill-exits tbody td.num", (cells) => cells.reduce((sum, td) => sum + Number(td.textContent.replace(/[^0-9]/g, "")), 0));
  check("the exits' table adds up to everyone evacuated", byExit === evacuated, `${byExit} ≠ ${evacuated}`);
  check("the time to evacuate is given", /Everyone was out .+ after the alarm/.test(await page.textContent("#drill-result")));
  check("the bottlenecks are named", (await page.$$("#drill-bottleneck-list li")).length > 0);
  check("the evacuation curve has its numbers in a table", (await page.$$("#drill-curve details tbody tr")).length > 1);
  check("the DRILL banner goes once the drill has ended", await page.isHidden("#drill-banner"));
  check("no stop button once the drill has ended", (await page.$$("#drill-stop")).length === 0);
  await page.click("#forecast-start");
  await page.waitForSelector("#forecast-summary", { timeout: 120000 });
  check("the forecast from now gives its result", /Forecast:/.test(await page.textContent("#forecast-summary")));
  const drillsText = await visibleText(page);
  check("in English the drills view shows no Chinese", !CJK.test(drillsText), drillsText.match(new RegExp(`.{0,20}${CJK.source}.{0,20}`))?.[0]);
  await axe(page, "the drills view");
  await shot(page, "drills-en");

  // A viewer sees alarms but has no buttons, and the server refuses them anyway.
  await page.click("#sign-out");
  await page.waitForSelector("form.login textarea");
  await page.fill("#token", VIEWER);
  await page.click("form.login button[type=submit]");
  await page.waitForSelector("#nav:not([hidden])");
  await page.click('#nav a[data-view="alarms"]');
  await page.waitForSelector(".view.alarms");
  await deviceEvent(true);
  await page.waitForSelector(`${row}[data-state="UNACKNOWLEDGED"]`);
  check("a viewer sees the alarm without any action button", (await page.$$(`${row} button`)).length === 0);
  const refused = await page.evaluate(async ({ token, alarm, site }) => (await fetch(`/api/v1/sites/${site}/assets/alarm/${alarm}/acknowledge`,
    { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: "{}" })).status,
  { token: VIEWER, alarm: ALARM, site: SITE });
  check("the server refuses a viewer's acknowledge (403)", refused === 403, String(refused));
  await axe(page, "the alarms as a viewer");
  await shot(page, "alarms-viewer-en");
  await deviceEvent(false);

  // Parking and climate in English, as a viewer: no Chinese left, no override offered.
  await page.click('#nav a[data-view="parking"]');
  await page.waitForFunction(() => document.querySelectorAll("#parking-bays g.bay").length === 500
    && document.querySelectorAll("#parking-bays g.bay-unknown").length === 0
    && [...document.querySelectorAll("#parking-summary tr[data-level] td.free")].every((td) => /^[\d,]+$/.test(td.textContent)));
  const parkingText = await visibleText(page);
  check("in English the parking view shows no Chinese", !CJK.test(parkingText), parkingText.match(new RegExp(`.{0,20}${CJK.source}.{0,20}`))?.[0]);
  await axe(page, "the parking view in English");
  await shot(page, "parking-en");
  await page.click('#nav a[data-view="climate"]');
  await page.waitForSelector('#climate-zones tr[data-zone="AHU-L1-01"]');
  await page.waitForFunction(() => document.querySelectorAll("#climate-figures dd").length >= 5);
  const climateText = await visibleText(page);
  check("in English the climate view shows no Chinese", !CJK.test(climateText), climateText.match(new RegExp(`.{0,20}${CJK.source}.{0,20}`))?.[0]);
  check("a viewer sees the zones without override buttons", (await page.$$("#climate-zones button")).length === 0);
  await axe(page, "the climate view as a viewer");
  await shot(page, "climate-viewer-en");

  // A viewer watches the drill but cannot start or stop one.
  await page.click('#nav a[data-view="drills"]');
  await page.waitForSelector("#drills-read-only");
  await page.waitForSelector('.drill-facts[data-phase="finished"]');
  check("a viewer sees the drill's result", (await page.$$("#drill-result")).length === 1);
  check("a viewer has no start or stop button", (await page.$$("#drill-start, #drill-stop")).length === 0);
  await axe(page, "the drills view as a viewer");
  await shot(page, "drills-viewer-en");

  check("no Content-Security-Policy violation", cspViolations.length === 0, cspViolations.join("; "));
  check("no script error on the page", pageErrors.length === 0, pageErrors.join("; "));
} catch (e) {
  failures.push(String(e.stack || e));
  console.log(`FAIL ${e.stack || e} (${elapsed()})`);
  const page = context.pages()[0];
  if (page) {
    console.log(`     the page said: ${(await visibleText(page).catch(() => "")).replace(/\s+/g, " ").slice(0, 600)}`);
    await page.screenshot({ path: join(SHOTS, "failure.png"), fullPage: true }).catch(() => {});
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(failures.length === 0 ? "console browser test: all checks passed" : `console browser test: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
