// Talking to the API from a phone on a bad connection.
//
// Every submission (PUT/POST) carries an Idempotency-Key made once per submission, and is sent again
// with the same key, with backoff, while the network fails or the server answers 502/503/504: the
// server applies a key once, so a retry whose first attempt did arrive is not applied twice.
// While it waits, `onWaiting` tells the screen (which shows it and keeps the form disabled).
import { currentLanguage } from "./i18n.js";

const TOKEN = "smartsolar.token"; // sessionStorage only: the token lives as long as the tab
const USER = "smartsolar.username";
const RETRY_STATUSES = new Set([502, 503, 504]);
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;
// Longer than the API's own wait for a workflow (30 s), so the server answers first.
const ATTEMPT_TIMEOUT_MS = 40000;

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
  get validationErrors() {
    return this.body.validation_errors || {};
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN);
  },
  get username() {
    return sessionStorage.getItem(USER);
  },
  save(token, username) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(USER, username);
  },
  clear() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(USER);
  },
};

let onUnauthorized = () => {};
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

// A key no other submission will use, without crypto.randomUUID (absent outside secure contexts).
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function backoff(attempt) {
  const base = Math.min(FIRST_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
  return base / 2 + Math.random() * (base / 2);
}

// Sleeps `ms`, or less if the browser says the network is back.
function pause(ms) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener("online", done);
  });
}

async function attempt(method, path, { body, form, headers }) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
  const init = {
    method,
    headers: { Accept: "application/json", "Accept-Language": currentLanguage(), ...headers },
    signal: controller.signal,
    cache: "no-store",
  };
  if (session.token) init.headers.Authorization = `Token token=${session.token}`;
  if (form) init.body = new URLSearchParams(form);
  else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(path, init);
  } finally {
    clearTimeout(timer);
  }
}

// One request, retried until it gets a definite answer. Resolves with the JSON body of a 2xx and
// rejects with an ApiError otherwise (401 first ends the session).
export async function request(method, path, { body, form, onWaiting = () => {} } = {}) {
  const headers = method === "GET" ? {} : { "Idempotency-Key": newIdempotencyKey() };
  for (let tries = 1; ; tries += 1) {
    let response = null;
    try {
      response = await attempt(method, path, { body, form, headers });
    } catch (err) {
      // TypeError: no network; AbortError: no answer in time. Either way, the same key again.
      if (!(err instanceof TypeError) && err.name !== "AbortError") throw err;
    }
    if (response && !RETRY_STATUSES.has(response.status)) {
      onWaiting(null);
      const data = await response.json().catch(() => ({}));
      if (response.ok) return data;
      if (response.status === 401 && path !== "/v1/auth/login") onUnauthorized();
      throw new ApiError(response.status, data);
    }
    const delay = backoff(tries);
    onWaiting({ tries, delay, offline: !response });
    await pause(delay);
  }
}

export const api = {
  login: (username, password, opts) => request("POST", "/v1/auth/login", { form: { username, password }, ...opts }),
  findUnits(text, opts) {
    const q = {
      filters: [{ or: [
        { name: "product_imei", op: "eq", val: text },
        { name: "serial_number", op: "eq", val: text },
      ] }],
      limit: 5,
    };
    return request("GET", `/v1/products?q=${encodeURIComponent(JSON.stringify(q))}`, opts);
  },
  getRepair: (imei, opts) => request("GET", `/v1/products/${encodeURIComponent(imei)}/get_repair`, opts),
  myRepairs: (username, opts) =>
    request("GET", `/v1/repairs/list_current_states?username=${encodeURIComponent(username)}`, opts),
  currentState: (id, opts) => request("GET", `/v1/repairs/${id}/current_state`, opts),
  history: (id, opts) => request("GET", `/v1/repairs/${id}/history`, opts),
  sendInputs: (id, values, opts) => request("PUT", `/v1/repairs/${id}/send_inputs`, { body: values, ...opts }),
  sendEvent: (id, event, opts) => request("PUT", `/v1/repairs/${id}/send_events`, { body: { event }, ...opts }),
  undo: (id, state, opts) => request("PUT", `/v1/repairs/${id}/undo`, { body: { state }, ...opts }),
};
