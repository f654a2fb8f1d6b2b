// The technician's app: a hash router over the screens, the header (language, my repairs, log out).
import { h } from "./dom.js";
import { _, currentLanguage, LANGUAGE_NAMES, loadLanguage, preferredLanguage, SUPPORTED } from "./i18n.js";
import { session, whenUnauthorized } from "./net.js";
import { findScreen, myRepairsScreen } from "./find.js";
import { loginScreen } from "./login.js";
import { historyScreen, repairScreen } from "./repair.js";
import { waiting } from "./status.js";

let notice = null;

function header() {
  const nav = document.getElementById("nav");
  nav.setAttribute("aria-label", _("Main menu"));
  const language = h(
    "select",
    { id: "language", "aria-label": _("Language") },
    ...SUPPORTED.map((lang) => h("option", { value: lang, selected: lang === currentLanguage() }, LANGUAGE_NAMES[lang])),
  );
  language.addEventListener("change", async () => {
    await loadLanguage(language.value, { remember: true });
    route();
  });
  const items = [language];
  if (session.token) {
    items.unshift(h("a", { href: "#/find" }, _("Find a unit")), h("a", { href: "#/mine" }, _("My repairs")));
    items.push(h("button", { type: "button", class: "link", onclick: logOut }, _("Log out")));
  }
  nav.replaceChildren(...items);
}

function logOut() {
  session.clear();
  go("#/login");
}

export async function go(hash, { force = false } = {}) {
  if (location.hash === hash && force) return route();
  location.hash = hash;
  return null;
}

async function route() {
  header();
  const hash = location.hash || "#/find";
  if (!session.token && hash !== "#/login") return go("#/login");
  const repair = hash.match(/^#\/repair\/(\d+)(\/history)?$/);
  try {
    if (hash === "#/login") {
      if (session.token) return go("#/find");
      loginScreen(go, notice);
      notice = null;
    } else if (hash === "#/mine") await myRepairsScreen();
    else if (repair && repair[2]) await historyScreen(Number(repair[1]));
    else if (repair) await repairScreen(Number(repair[1]), go);
    else findScreen(go);
  } catch (err) {
    waiting(null);
    const main = document.getElementById("main");
    main.replaceChildren(
      h("h1", {}, _("Something went wrong")),
      h("p", { class: "alert", role: "alert" }, err.message),
      h("p", {}, h("a", { class: "button", href: "#/find" }, _("Find a unit"))),
    );
  }
  return null;
}

whenUnauthorized(() => {
  session.clear();
  notice = _("Your session has ended: log in again.");
  go("#/login");
});

window.addEventListener("hashchange", route);
loadLanguage(preferredLanguage()).then(route);
