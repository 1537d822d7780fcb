// The console's fetch wrapper: same-origin cookie, JSON in and out, the CSRF header on every
// state-changing request, and the server's JSON errors as ApiError.
import { observe } from "./clock.js";

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

export class ApiError extends Error {
  constructor(status, code, message, detail = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Calls the API. `body` is sent as JSON (or as is when it is a Blob/ArrayBuffer).
 * Resolves to the decoded JSON (or null for an empty answer), to a Blob with `as: "blob"`.
 * Rejects with ApiError for an error answer and for a network failure (status 0).
 */
export async function api(path, { method = "GET", body, as = "json", signal, redirectOn401 = true } = {}) {
  const headers = { Accept: as === "json" ? "application/json" : "*/*" };
  let payload;
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof ArrayBuffer) {
      payload = body;
      if (body instanceof Blob && body.type) headers["Content-Type"] = body.type;
    } else {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
  }
  if (!SAFE.has(method) && csrfToken) headers["X-CSRF-Token"] = csrfToken;

  const sentAt = Date.now();
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: "same-origin", cache: "no-store", signal });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new ApiError(0, "network", "网络错误，请重试 / Network error, try again");
  }
  observe(response.headers.get("Date"), sentAt, Date.now());

  if (!response.ok) throw await failure(response, redirectOn401);
  if (as === "blob") return response.blob();
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** The error a failed answer carries (its JSON body's code and message), sending a 401 to sign-in. */
export async function failure(response, redirectOn401 = true) {
  let code = `http_${response.status}`;
  let message = `请求失败（${response.status}） / Request failed (${response.status})`;
  let detail = {};
  try {
    const data = await response.json();
    if (data?.error) {
      detail = data.error;
      code = data.error.code ?? code;
      message = data.error.message ?? message;
    }
  } catch {
    // not JSON: keep the generic message
  }
  if (response.status === 401 && redirectOn401) toSignIn();
  return new ApiError(response.status, code, message, detail);
}

export const get = (path, options) => api(path, { ...options, method: "GET" });
export const post = (path, body, options) => api(path, { ...options, method: "POST", body: body ?? {} });
export const put = (path, body, options) => api(path, { ...options, method: "PUT", body });

/** The signed-in account and its CSRF token; null when not signed in. */
export async function whoAmI() {
  try {
    const me = await api("/api/v1/auth/me", { redirectOn401: false });
    if (me?.kind !== "account" || !me.account) return null;
    setCsrfToken(me.csrfToken);
    return me.account;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

/** Where an account works. */
export function homeFor(role) {
  return role === "clerk" ? "/console/clerk.html" : "/console/board.html";
}

/** Goes to the sign-in page, coming back here afterwards. */
export function toSignIn() {
  const next = location.pathname + location.search;
  location.assign(`/console/?next=${encodeURIComponent(next)}`);
}

/** Signs out and goes to the sign-in page. */
export async function signOut() {
  try {
    await api("/api/v1/auth/logout", { method: "POST", redirectOn401: false });
  } catch {
    // signed out already, or offline: the sign-in page is the right place either way
  }
  setCsrfToken(null);
  location.assign("/console/?signedOut=1");
}

/**
 * Checks the page's account on load: sends people who are not signed in to the sign-in page,
 * and people of the wrong role to their own page. Resolves to the account.
 */
export async function requireAccount(roles) {
  const account = await whoAmI();
  if (!account) {
    toSignIn();
    return new Promise(() => {}); // navigation is under way
  }
  if (!roles.includes(account.role)) {
    location.replace(homeFor(account.role));
    return new Promise(() => {});
  }
  return account;
}
