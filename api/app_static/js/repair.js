// A repair step by step: the screen drawn from current_state, events as buttons, undo, history,
// and the outcome. Inputs are checked here first, then by the server, whose validation_errors are
// shown beside the field they name.
import { h, show } from "./dom.js";
import { _ } from "./i18n.js";
import { api } from "./net.js";
import { buildField, setFieldError } from "./fields.js";
import { waiting } from "./status.js";
import { checkForm, GENERAL } from "./validate.js";

function historyList(path) {
  return h("ol", { class: "history" }, ...path.map((step) => h("li", { dataset: { ident: step.ident } }, step.name)));
}

export async function historyScreen(repairId) {
  const body = await api.history(repairId, { onWaiting: waiting });
  show(
    h("h1", {}, _("Repair history")),
    h("p", { class: "unit" }, _("Repair %(id)s", { id: String(repairId) })),
    historyList(body.data),
    h("p", {}, h("a", { class: "button secondary", href: `#/repair/${repairId}` }, _("Back to the repair"))),
  );
}

async function outcomeScreen(repairId, state) {
  const path = (await api.history(repairId, { onWaiting: waiting })).data;
  show(
    h("h1", {}, _("Repair finished")),
    h("p", { class: "outcome", dataset: { outcome: state.ident } }, state.name),
    h("p", { class: "description" }, state.description),
    h("h2", {}, _("Steps taken")),
    historyList(path),
    h("p", {}, h("a", { class: "button", href: "#/find" }, _("Find another unit"))),
  );
}

export async function repairScreen(repairId, go) {
  const body = await api.currentState(repairId, { onWaiting: waiting });
  const state = body.data;
  if (state.finished) return outcomeScreen(repairId, state);

  const fields = state.inputs.map(buildField);
  const general = h("p", { class: "alert", role: "alert", hidden: true, dataset: { errorFor: GENERAL } });
  const controls = h("fieldset", { class: "step" });
  const form = h("form", { class: "card", novalidate: true }, controls);
  controls.append(...fields.map((f) => f.element), general);

  const busy = (on) => {
    controls.disabled = on;
    for (const button of document.querySelectorAll("main button")) button.disabled = on;
  };
  // Errors of a field beside it; the others (the whole step's, an event's, a refusal) above the button.
  const showErrors = (errors, message) => {
    let onFields = 0;
    for (const f of fields) {
      if (errors[f.spec.ident]) onFields += 1;
      setFieldError(form, f.spec.ident, errors[f.spec.ident]);
    }
    const elsewhere = Object.entries(errors)
      .filter(([ident]) => !fields.some((f) => f.spec.ident === ident))
      .map(([, text]) => text);
    general.textContent = elsewhere.length ? elsewhere.join(" ") : onFields ? "" : message || "";
    general.hidden = !general.textContent;
    const first = form.querySelector("[aria-invalid=true]");
    if (first) first.focus();
  };
  // One submission: busy while it (and its retries) run, then the next screen or the errors.
  const send = async (call) => {
    busy(true);
    showErrors({});
    try {
      await call({ onWaiting: waiting });
      await go(`#/repair/${repairId}`, { force: true });
    } catch (err) {
      const errors = err.validationErrors || {};
      showErrors(errors, err.message);
      busy(false);
    }
  };

  if (fields.length) {
    controls.append(h("button", { type: "submit" }, _("Send")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const payload = {};
      for (const f of fields) {
        const value = f.read();
        if (value !== null) payload[f.spec.ident] = value;
      }
      const errors = checkForm(state.inputs, payload);
      if (Object.keys(errors).length) {
        const texts = Object.fromEntries(Object.entries(errors).map(([k, m]) => [k, _(m.msgid, m.params)]));
        return showErrors(texts);
      }
      return send((opts) => api.sendInputs(repairId, payload, opts));
    });
  } else {
    form.addEventListener("submit", (event) => event.preventDefault());
  }
  const events = state.events.map((e) =>
    h("button", { type: "button", dataset: { event: e.ident }, onclick: () => send((o) => api.sendEvent(repairId, e.ident, o)) }, e.label),
  );
  if (events.length) controls.append(h("div", { class: "actions" }, ...events));

  const undo = state.can_undo
    ? h("button", { type: "button", class: "secondary", onclick: () => send((o) => api.undo(repairId, state.ident, o)) }, _("Undo the last step"))
    : h("p", { class: "hint", dataset: { undoRefusal: "" } }, state.undo_refusal);
  show(
    h("p", { class: "unit" }, _("Repair %(id)s", { id: String(repairId) })),
    h("h1", { dataset: { state: state.ident } }, state.name),
    h("p", { class: "description" }, state.description),
    form,
    h("div", { class: "actions" }, undo, h("a", { class: "button secondary", href: `#/repair/${repairId}/history` }, _("History"))),
  );
}
