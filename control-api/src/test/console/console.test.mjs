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
const GATEWAY = `Basic ${Buffer.from(`${env("GATEWAY_USER")}:${env("GATEWAY_PASSWORD")}`).toString("base64")}`;
const SHOTS = env("SCREENSHOTS");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SITE = "demo-mall";
const KIOSK = "KIOSK-01";
const ALARM = `kiosk.${KIOSK}.fault-screen`;
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
async function deviceEvent(active) {
  const site = await (await fetch(`${BASE}/api/v1/sites/${SITE}`, { headers: { Authorization: `Bearer ${OPERATOR}` } })).json();
  lastEventAt = Math.max(Date.parse(site.rollup.updatedAt), lastEventAt + 1000);
  const ts = new Date(lastEventAt).toISOString();
  const body = { v: 1, type: "event", id: `console-test-${active}-${Date.now()}`, site: SITE, kind: "kiosk", asset: KIOSK, ts,
    name: "fault", data: { component: "screen", active, detail: "console browser test" } };
  const response = await fetch(`${BASE}/api/v1/devices/messages`, { method: "POST",
    headers: { Authorization: GATEWAY, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`the device door answered ${response.status}: ${await response.text()}`);
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
  page.setDefaultTimeout(20000);
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspViolations.push(m.text());
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

  // Operator: the floor plan fills from the stream.
  await page.fill("#token", OPERATOR);
  await page.click("form.login button[type=submit]");
  await page.waitForSelector("#nav:not([hidden])");
  await page.waitForSelector(".floors[data-loaded]");
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

  // English by the switch, remembered across a reload.
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
