// Log in: the token is kept in sessionStorage, for this tab only.
import { h, newId, show } from "./dom.js";
import { _ } from "./i18n.js";
import { api, session } from "./net.js";
import { waiting } from "./status.js";

export function loginScreen(go, notice) {
  const userId = newId("username");
  const passId = newId("password");
  const username = h("input", { type: "text", id: userId, autocomplete: "username", required: true });
  const password = h("input", { type: "password", id: passId, autocomplete: "current-password", required: true });
  const error = h("p", { class: "alert", role: "alert", hidden: true });
  const submit = h("button", { type: "submit" }, _("Log in"));
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("div", { class: "field" }, h("label", { for: userId }, _("Username")), username),
    h("div", { class: "field" }, h("label", { for: passId }, _("Password")), password),
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!username.value || !password.value) {
      error.textContent = _("Enter your username and password.");
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    try {
      const body = await api.login(username.value, password.value, { onWaiting: waiting });
      const ok = body.message.login_successful;
      session.save(ok.API_token, ok.username);
      go("#/find");
    } catch (err) {
      error.textContent = err.status === 401 || err.status === 400 ? _("Wrong username or password.") : err.message;
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  show(
    h("h1", {}, _("Technician log in")),
    notice ? h("p", { class: "notice" }, notice) : null,
    form,
  );
}
