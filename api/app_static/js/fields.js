// Form controls drawn from IRT input specifications (any data type, any validation rule), each with
// its label, its rules as a hint, and an error line beside it. `read` turns what was typed into the
// JSON value send_inputs expects; `null` means "left empty".
import { h, newId } from "./dom.js";
import { _, formatValue } from "./i18n.js";

function hintFor(spec) {
  const r = spec.validation_rules || {};
  const parts = [];
  if ("min" in r && "max" in r) parts.push(_("Between %(min)s and %(max)s", { min: r.min, max: r.max }));
  else if ("min" in r) parts.push(_("At least %(min)s", { min: r.min }));
  else if ("max" in r) parts.push(_("At most %(max)s", { max: r.max }));
  if ("step" in r) parts.push(_("in steps of %(step)s", { step: r.step }));
  if ("minlength" in r && "maxlength" in r)
    parts.push(_("%(min)s to %(max)s characters", { min: r.minlength, max: r.maxlength }));
  else if ("minlength" in r) parts.push(_("At least %(min)s characters", { min: r.minlength }));
  else if ("maxlength" in r) parts.push(_("At most %(max)s characters", { max: r.maxlength }));
  if (spec.required === false) parts.push(_("optional"));
  return parts.join(" · ");
}

// Parses a number typed the local way (4,8 or 4.8); anything else stays text for the check to refuse.
function parseNumber(text) {
  const t = text.trim().replace(/\s/g, "");
  if (t === "") return null;
  return /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t.replace(",", ".")) : t;
}

function frame(spec, control, controlId) {
  const hint = hintFor(spec);
  const hintId = hint ? newId("hint") : null;
  const errorId = newId("error");
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  const error = h("p", { class: "error", id: errorId, dataset: { errorFor: spec.ident }, hidden: true });
  return h(
    "div",
    { class: "field", dataset: { ident: spec.ident } },
    h("label", { for: controlId }, spec.label),
    control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    error,
  );
}

function choices(spec, type) {
  const name = newId(spec.ident);
  const hint = hintFor(spec);
  const errorId = newId("error");
  const items = (spec.options || []).map((option, index) => {
    const id = newId("opt");
    return h(
      "div",
      { class: "choice" },
      h("input", { type, id, name, value: String(index), dataset: { ident: spec.ident } }),
      h("label", { for: id }, option.label),
    );
  });
  return h(
    "fieldset",
    { class: "choices field", dataset: { ident: spec.ident }, "aria-describedby": errorId },
    h("legend", {}, spec.label),
    ...items,
    hint ? h("p", { class: "hint" }, hint) : null,
    h("p", { class: "error", id: errorId, dataset: { errorFor: spec.ident }, hidden: true }),
  );
}

function numberField(spec) {
  const id = newId(spec.ident);
  const options = (spec.validation_rules || {}).options;
  if (options) {
    const select = h(
      "select",
      { id, dataset: { ident: spec.ident } },
      h("option", { value: "" }, _("Choose…")),
      ...options.map((value) => h("option", { value: String(value) }, formatValue(value))),
    );
    return { element: frame(spec, select, id), read: () => (select.value === "" ? null : Number(select.value)) };
  }
  const input = h("input", {
    type: "text",
    id,
    inputmode: spec.data_type === "int" ? "numeric" : "decimal",
    autocomplete: "off",
    dataset: { ident: spec.ident },
  });
  return { element: frame(spec, input, id), read: () => parseNumber(input.value) };
}

function textField(spec) {
  const id = newId(spec.ident);
  const rules = spec.validation_rules || {};
  if (rules.options) {
    const select = h(
      "select",
      { id, dataset: { ident: spec.ident } },
      h("option", { value: "" }, _("Choose…")),
      ...rules.options.map((value) => h("option", { value }, value)),
    );
    return { element: frame(spec, select, id), read: () => (select.value === "" ? null : select.value) };
  }
  const tag = spec.data_type === "text" ? "textarea" : "input";
  const input = h(tag, {
    id,
    type: tag === "input" ? "text" : null,
    autocomplete: "off",
    dataset: { ident: spec.ident },
  });
  return { element: frame(spec, input, id), read: () => (input.value === "" ? null : input.value) };
}

// A date, a time, or both (UTC): the doc's three formats, each with the phone's own picker.
function datetimeField(spec) {
  const id = newId(spec.ident);
  const kindId = newId("kind");
  const kinds = { date: _("Date"), time: _("Time"), "datetime-local": _("Date and time (UTC)") };
  const kind = h(
    "select",
    { id: kindId, "aria-label": _("Format of %(label)s", { label: spec.label }) },
    ...Object.entries(kinds).map(([value, label]) => h("option", { value }, label)),
  );
  const input = h("input", { type: "date", id, dataset: { ident: spec.ident } });
  kind.addEventListener("change", () => {
    input.type = kind.value;
    input.step = kind.value === "date" ? "" : "1";
    input.value = "";
  });
  const read = () => {
    const v = input.value;
    if (!v) return null;
    const seconds = (t) => (t.length === 5 ? `${t}:00` : t);
    if (input.type === "time") return seconds(v);
    if (input.type === "datetime-local") {
      const [day, time] = v.split("T");
      return `${day}T${seconds(time)}Z`;
    }
    return v;
  };
  const element = frame(spec, input, id);
  element.insertBefore(h("div", { class: "datetime" }, kind, input), element.querySelector(".hint, .error"));
  return { element, read };
}

function selectionField(spec) {
  const multi = spec.selection_type === "multi";
  const element = choices(spec, multi ? "checkbox" : "radio");
  const boxes = () => [...element.querySelectorAll("input")];
  const read = () => {
    const chosen = boxes().filter((b) => b.checked).map((b) => spec.options[Number(b.value)].value);
    if (multi) return chosen.length ? chosen : null;
    return chosen.length ? chosen[0] : null;
  };
  return { element, read };
}

const BUILDERS = {
  int: numberField,
  float: numberField,
  string: textField,
  text: textField,
  datetime: datetimeField,
  selection: selectionField,
};

export function buildField(spec) {
  return { spec, ...BUILDERS[spec.data_type](spec) };
}

// Shows `message` beside the field of `ident` (or clears it); false when no such field exists.
export function setFieldError(form, ident, message) {
  const line = [...form.querySelectorAll("[data-error-for]")].find((el) => el.dataset.errorFor === ident);
  if (!line) return false;
  line.textContent = message || "";
  line.hidden = !message;
  const field = line.closest("[data-ident]");
  for (const control of field.querySelectorAll("input, select, textarea")) {
    if (control.dataset.ident === ident) control.setAttribute("aria-invalid", message ? "true" : "false");
  }
  return true;
}
