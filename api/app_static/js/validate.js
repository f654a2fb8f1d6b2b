// The browser's first check of a state's inputs: the same rules, in the same order and with the same
// msgids, as the server's (repair_flows/validation.py), so the technician hears at once, in their
// language, what the server would say. The server still checks everything.
import { N_ } from "./i18n.js";

export const GENERAL = "inputs";
const DATETIME = [
  /^(\d{2}):(\d{2}):(\d{2})$/, // %H:%M:%S
  /^(\d{4})-(\d{2})-(\d{2})$/, // %Y-%m-%d
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/, // %Y-%m-%dT%H:%M:%SZ
];

const m = (msgid, params) => (params ? { msgid, params } : { msgid, params: {} });
const isNumber = (v) => typeof v === "number" && Number.isFinite(v);

function onStep(value, base, step) {
  const n = (value - base) / step;
  return Math.abs(n - Math.round(n)) <= 1e-9 * Math.max(1, Math.abs(n));
}

function close(a, b) {
  return Math.abs(a - b) <= Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b)), 1e-12);
}

function checkNumber(spec, value) {
  const rules = spec.validation_rules || {};
  const whole = spec.data_type === "int";
  if (!isNumber(value)) return m(whole ? N_("Must be a whole number.") : N_("Must be a number."));
  if (whole && !Number.isInteger(value)) return m(N_("Must be a whole number."));
  if ("options" in rules && !rules.options.some((o) => isNumber(o) && close(value, o)))
    return m(N_("Must be one of: %(options)s."), { options: rules.options });
  if ("min" in rules && value < rules.min) return m(N_("Must be at least %(min)s."), { min: rules.min });
  if ("max" in rules && value > rules.max) return m(N_("Must be at most %(max)s."), { max: rules.max });
  if ("step" in rules && !onStep(value, rules.min ?? 0, rules.step))
    return m(N_("Must be in steps of %(step)s."), { step: rules.step });
  return null;
}

function checkString(spec, value) {
  const rules = spec.validation_rules || {};
  if (typeof value !== "string") return m(N_("Must be text."));
  const length = [...value].length; // code points, as Python's len()
  if ("options" in rules && !rules.options.includes(value))
    return m(N_("Must be one of: %(options)s."), { options: rules.options });
  if ("minlength" in rules && length < rules.minlength)
    return m(N_("Must be at least %(min)s characters long."), { min: rules.minlength });
  if ("maxlength" in rules && length > rules.maxlength)
    return m(N_("Must be at most %(max)s characters long."), { max: rules.maxlength });
  return null;
}

function validDate(y, mo, d) {
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function isDatetime(value) {
  if (typeof value !== "string") return false;
  const [time, day, full] = DATETIME.map((re) => value.match(re));
  const clock = (hh, mm, ss) => +hh < 24 && +mm < 60 && +ss < 60;
  if (time) return clock(time[1], time[2], time[3]);
  if (day) return validDate(+day[1], +day[2], +day[3]);
  if (full) return validDate(+full[1], +full[2], +full[3]) && clock(full[4], full[5], full[6]);
  return false;
}

function checkDatetime(_spec, value) {
  return isDatetime(value)
    ? null
    : m(N_("Must be a date or time as HH:MM:SS, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ."));
}

const scalar = (v) => v !== null && typeof v === "object";
function matches(value, optionValue) {
  if (typeof value === "boolean" || typeof optionValue === "boolean") return value === optionValue;
  return value === optionValue;
}

function checkSelection(spec, value) {
  const offered = (spec.options || []).map((o) => o.value);
  if (spec.selection_type === "single") {
    if (scalar(value) || !offered.some((o) => matches(value, o))) return m(N_("Choose one of the options offered."));
    return null;
  }
  if (!Array.isArray(value)) return m(N_("Choose a list of the options offered."));
  if (value.length === 0) return m(N_("Choose at least one option."));
  if (value.some((v) => scalar(v) || !offered.some((o) => matches(v, o))))
    return m(N_("Choose only among the options offered."));
  if (new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
    return m(N_("Each option may be chosen only once."));
  return null;
}

const CHECKS = {
  int: checkNumber,
  float: checkNumber,
  string: checkString,
  text: checkString,
  datetime: checkDatetime,
  selection: checkSelection,
};

// `payload` (ident -> value) against `inputs`; returns {ident: {msgid, params}} (empty: accepted).
export function validateInputs(inputs, payload) {
  if (!inputs.length) return { [GENERAL]: m(N_("This step takes no inputs.")) };
  if (!Object.keys(payload).length) return { [GENERAL]: m(N_("No inputs were sent.")) };
  const byIdent = Object.fromEntries(inputs.map((spec) => [spec.ident, spec]));
  const errors = {};
  for (const [ident, value] of Object.entries(payload)) {
    const spec = byIdent[ident];
    if (!spec) {
      errors[ident] = m(N_("Unknown input for this step."));
      continue;
    }
    if (value === null && spec.required === false) continue;
    const error = CHECKS[spec.data_type](spec, value);
    if (error) errors[ident] = error;
  }
  for (const spec of inputs) {
    if (spec.required !== false && !(spec.ident in payload)) errors[spec.ident] = m(N_("This value is required."));
  }
  return errors;
}

// What the form shows: like the server, except that an empty form names each required field
// (the server's "No inputs were sent." would say nothing about which).
export function checkForm(inputs, payload) {
  if (!Object.keys(payload).length) {
    const missing = inputs.filter((spec) => spec.required !== false);
    if (missing.length) return Object.fromEntries(missing.map((spec) => [spec.ident, m(N_("This value is required."))]));
  }
  return validateInputs(inputs, payload);
}
