// The app's words: English msgids in the code, translations from the API's Babel catalogs
// (/app/messages/<lang>.json). Mark a literal with _() or N_() so `pybabel extract` finds it.
export const SUPPORTED = ["en", "fr"];
const STORED = "smartsolar.language"; // a preference, not a secret: kept across visits
let language = "en";
let messages = {};

export function N_(msgid) {
  return msgid;
}

// `msgid` translated, with %(name)s placeholders filled (numbers written the local way).
export function _(msgid, params) {
  const text = messages[msgid] || msgid;
  if (!params) return text;
  return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in params ? formatValue(params[name]) : whole));
}

export function formatValue(value) {
  if (typeof value === "number") return new Intl.NumberFormat(language, { maximumFractionDigits: 10 }).format(value);
  if (Array.isArray(value)) return value.map(formatValue).join(", ");
  return String(value);
}

export function currentLanguage() {
  return language;
}

// What the browser prefers (navigator.languages, region tags like fr-CA), unless the user chose.
export function preferredLanguage() {
  const chosen = localStorage.getItem(STORED);
  if (SUPPORTED.includes(chosen)) return chosen;
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (SUPPORTED.includes(base)) return base;
  }
  return "en";
}

export async function loadLanguage(lang, { remember = false } = {}) {
  const response = await fetch(`/app/messages/${lang}.json`, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`messages ${lang}: ${response.status}`);
  messages = (await response.json()).messages;
  language = lang;
  document.documentElement.lang = lang;
  if (remember) localStorage.setItem(STORED, lang);
}

// The language names shown in the switcher, each in its own language (never translated).
export const LANGUAGE_NAMES = { en: "English", fr: "Français" };
