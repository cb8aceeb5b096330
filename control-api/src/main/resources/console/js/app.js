// The console's shell: sign-in, the language switch, the views (by the URL's hash), the live stream.
// A view is a module under views/ exporting create(context) -> {element, show(), update(kind, id),
// refresh(), destroy()}; docs/console.md says how to add one.
import { Api, ApiError, Stream } from "./api.js";
import { h, clear } from "./dom.js";
import { language, loadDictionaries, onLanguageChange, setLanguage, setTimeZone, t, translate } from "./i18n.js";
import { Session, claimsOf, forgetToken, saveToken, savedToken } from "./session.js";
import * as floors from "./views/floors.js";
import * as alarms from "./views/alarms.js";
import * as devices from "./views/devices.js";
import * as reports from "./views/reports.js";
import * as parking from "./views/parking.js";
import * as climate from "./views/climate.js";
import * as drills from "./views/drills.js";

const VIEWS = { floors, alarms, parking, climate, drills, devices, reports };
const DEFAULT_VIEW = "floors";
/**
 * The kinds the console follows on the stream. Not shelf labels (20,000); parking bays
 * (2,000 in the demo) change only when a car comes or goes.
 */
const STREAMED_KINDS = ["zone", "alarm", "car-park", "parking-bay", "hvac-zone", "kiosk", "courier"];

const main = document.getElementById("main");
const announcer = document.getElementById("announcer");
let context = null;
let view = null;
let viewName = null;

async function start() {
  await loadDictionaries();
  const langButton = document.getElementById("lang");
  langButton.addEventListener("click", () => setLanguage(language() === "zh-CN" ? "en" : "zh-CN"));
  onLanguageChange(() => {
    announcer.replaceChildren(); // what was said was said in the other language
    renderChrome();
  });
  renderChrome();
  document.getElementById("sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", route);
  const token = savedToken();
  if (token && (await signIn(token, false))) return;
  showSignIn();
}

/** The parts of the page outside the views that depend on the language. */
function renderChrome() {
  const langButton = document.getElementById("lang");
  langButton.textContent = t("lang.other");
  langButton.setAttribute("lang", t("lang.otherCode"));
  if (context) {
    const who = document.getElementById("who");
    who.textContent = t("session.who", { subject: context.session.subject, role: t(`role.${context.session.role}`) });
  }
  setLive(context?.liveStatus);
  if (view) view.refresh();
  document.title = viewName ? `${t(`nav.${viewName}`)} · ${t("app.title")}` : t("app.title");
}

function setLive(status) {
  const live = document.getElementById("live");
  if (context) context.liveStatus = status;
  live.textContent = status ? t(`live.${status}`) : "";
  live.dataset.status = status || "";
}

function showSignIn(errorKey, detail) {
  document.getElementById("nav").hidden = true;
  document.getElementById("who").hidden = true;
  document.getElementById("sign-out").hidden = true;
  viewName = null;
  document.title = `${t("login.title")} · ${t("app.title")}`;
  const error = h("p", { id: "login-error", class: "error", role: "alert" });
  if (errorKey) error.textContent = detail ? `${t(errorKey)} (${detail})` : t(errorKey);
  const input = h("textarea", { id: "token", name: "token", rows: 4, required: true, autocomplete: "off", spellcheck: "false",
    "aria-describedby": "token-help login-error" });
  const form = h("form", { class: "login", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title", "data-i18n": "login.title" }),
    h("label", { for: "token", "data-i18n": "login.token" }),
    input,
    h("p", { id: "token-help", class: "help", "data-i18n": "login.help" }),
    error,
    h("button", { type: "submit", class: "primary", "data-i18n": "login.submit" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    await signIn(token, true);
  });
  clear(main).append(form);
  translate(main);
  input.focus();
}

/** Checks the token with the server (the list of sites it grants) before using it. */
async function signIn(token, typed) {
  const claims = claimsOf(token);
  if (!claims) {
    if (typed) showSignIn("login.error.not-a-token");
    else forgetToken();
    return false;
  }
  const api = new Api(token);
  let sites;
  try {
    sites = await api.get("/api/v1/sites");
  } catch (e) {
    forgetToken();
    if (typed) {
      const slug = e instanceof ApiError ? e.slug : "";
      showSignIn(known(slug) ? `login.error.${slug}` : "login.error.other", e instanceof ApiError ? undefined : e.message);
    }
    return false;
  }
  const list = (Array.isArray(sites) ? sites : sites?.sites || []).map((s) => (typeof s === "string" ? s : s.id));
  if (list.length === 0) {
    if (typed) showSignIn("login.error.no-site");
    return false;
  }
  saveToken(token);
  api.onUnauthorized = (error) => signOut(known(error.slug) ? `login.error.${error.slug}` : "login.error.other");
  const session = new Session(token, claims, list);
  const site = list[0];
  const model = await api.get(`/api/v1/sites/${encodeURIComponent(site)}/model`);
  setTimeZone(model.timezone);
  context = {
    api, session, site, model,
    zones: new Map(),
    alarms: new Map(),
    devices: new Map(), // kiosk and courier states by "kind/id" (the devices view)
    states: {}, // other streamed kinds: kind -> Map(id -> state)
    announce,
    liveStatus: "connecting",
  };
  context.stream = new Stream(token, {
    onDelta: receive,
    onStatus: setLive,
    onReconnected: () => view?.reload?.(),
    // A browser is not told why an upgrade was refused: a REST call finds out if the token has expired (401 signs out).
    onClosed: () => api.get("/api/v1/sites").catch(() => {}),
  });
  context.stream.subscribe(site, STREAMED_KINDS);
  context.stream.open();
  document.getElementById("nav").hidden = false;
  document.getElementById("who").hidden = false;
  document.getElementById("sign-out").hidden = false;
  renderChrome();
  route();
  return true;
}

/** Refusals the sign-in form explains in words of its own. */
function known(slug) {
  return ["invalid-token", "expired-token", "missing-credentials", "sign-in-not-configured", "rate-limited"].includes(slug);
}

/** Back to the sign-in form, saying why when the server ended the session (errorKey). */
function signOut(errorKey) {
  forgetToken();
  context?.stream.close();
  view?.destroy?.();
  view = null;
  context = null;
  setLive(null);
  history.replaceState(null, "", location.pathname);
  showSignIn(typeof errorKey === "string" ? errorKey : undefined);
}

function receive(message) {
  const kind = message.kind;
  if (kind === "zone") context.zones.set(message.id, message.state);
  else if (kind === "alarm") alarms.receive(context, message.id, message.state);
  else if (kind === "hvac-zone") climate.receive(context, message.id, message.state);
  else if (kind === "kiosk" || kind === "courier") context.devices.set(`${kind}/${message.id}`, message.state);
  else (context.states[kind] ||= new Map()).set(message.id, message.state);
  view?.update(message.kind, message.id);
}

/** Says text in the live region; the last few stay, so announcements close together are all read. */
function announce(text) {
  const line = document.createElement("p");
  line.textContent = text;
  announcer.append(line);
  while (announcer.childElementCount > 5) announcer.firstElementChild.remove();
}

function route() {
  if (!context) return;
  const wanted = location.hash.replace(/^#\//, "");
  const name = VIEWS[wanted] ? wanted : DEFAULT_VIEW;
  if (name === viewName && view) return;
  view?.destroy?.();
  viewName = name;
  view = VIEWS[name].create(context);
  clear(main).append(view.element);
  document.querySelectorAll("#nav a").forEach((a) => {
    if (a.dataset.view === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  view.show();
  renderChrome();
  main.focus();
}

start().catch((e) => {
  console.error(e);
  main.textContent = String(e);
});
