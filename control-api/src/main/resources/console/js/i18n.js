// Every string the console shows comes from a dictionary (console/i18n/<lang>.json); both
// dictionaries have the same keys (ConsoleDictionaryTest). Simplified Chinese is the default;
// the choice is remembered in localStorage and <html lang> follows it.
export const LANGUAGES = ["zh-CN", "en"];
const STORAGE_KEY = "atrium.console.lang";
const dictionaries = {};
const listeners = new Set();
let current = "zh-CN";
let timeZone;

export async function loadDictionaries() {
  await Promise.all(LANGUAGES.map(async (lang) => {
    const response = await fetch(`/console/i18n/${lang}.json`);
    dictionaries[lang] = await response.json();
  }));
  const saved = localStorage.getItem(STORAGE_KEY);
  setLanguage(LANGUAGES.includes(saved) ? saved : "zh-CN", false);
}

export function language() {
  return current;
}

/** The text of a key, with {name} placeholders replaced by params' values. */
export function t(key, params = {}) {
  const text = dictionaries[current]?.[key];
  if (text === undefined) {
    console.error(`no text for '${key}' in ${current}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** A number in the language's format. */
export function number(value, digits = 0) {
  return new Intl.NumberFormat(current, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** Times are shown in the site's time zone (the model's timezone), wherever the browser is. */
export function setTimeZone(zone) {
  timeZone = zone;
}

/** A date and time in the language's format, in the site's time zone. */
export function dateTime(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(current, { dateStyle: "short", timeStyle: "medium", timeZone }).format(new Date(iso));
}

/** Fills [data-i18n] elements' text and [data-i18n-attr="attr:key;attr:key"] attributes under root. */
export function translate(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-attr]").forEach((el) => {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      el.setAttribute(attr.trim(), t(key.trim()));
    }
  });
}

export function setLanguage(lang, remember = true) {
  current = lang;
  document.documentElement.lang = lang;
  if (remember) localStorage.setItem(STORAGE_KEY, lang);
  translate(document);
  listeners.forEach((fn) => fn(lang));
}

export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** A name from the site model ({"zh": ..., "en": ...}) in the current language. */
export function localName(name, fallback) {
  if (!name) return fallback;
  return (current === "en" ? name.en : name.zh) || name.en || name.zh || fallback;
}
