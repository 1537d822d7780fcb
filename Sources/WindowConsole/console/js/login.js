// The sign-in page: username and password, then a TOTP code when the account asks for one.
// Clerks go to their workspace, managers and admins to the board (or back where they came from).
import { api, ApiError, whoAmI, homeFor, setCsrfToken } from "./api.js";
import { bi, fill, h, message } from "./ui.js";

const form = document.getElementById("login-form");
const username = document.getElementById("username");
const password = document.getElementById("password");
const totpField = document.getElementById("totp-field");
const totp = document.getElementById("totp");
const submit = document.getElementById("login-submit");
const notice = document.getElementById("login-message");

const params = new URLSearchParams(location.search);

/** Only our own pages, and only the one that fits the account's role. */
function destination(role) {
  const home = homeFor(role);
  const next = params.get("next");
  if (!next) return home;
  let url;
  try {
    url = new URL(next, location.origin);
  } catch {
    return home;
  }
  if (url.origin !== location.origin || !url.pathname.startsWith("/console/")) return home;
  const forClerks = url.pathname === "/console/clerk.html";
  const forManagers = url.pathname === "/console/board.html";
  if ((forClerks && role !== "clerk") || (forManagers && role === "clerk")) return home;
  if (!forClerks && !forManagers) return home;
  return url.pathname + url.search;
}

function show(kind, content, code) {
  notice.hidden = false;
  notice.className = `form-message form-message-${kind}`;
  if (code) notice.dataset.code = code;
  else delete notice.dataset.code;
  fill(notice, content);
}

function clear() {
  notice.hidden = true;
  delete notice.dataset.code;
  notice.replaceChildren();
}

function lockedText(error) {
  const until = Date.parse(error.detail?.lockedUntil ?? "");
  if (!Number.isFinite(until)) return message(error.message);
  const date = new Date(until);
  const sameDay = date.toDateString() === new Date().toDateString();
  const options = { hour: "2-digit", minute: "2-digit", hour12: false };
  if (!sameDay) Object.assign(options, { month: "numeric", day: "numeric" });
  const zh = date.toLocaleString("zh-CN", options);
  const en = date.toLocaleString("en-GB", sameDay ? options : { ...options, month: "short" });
  return h("span", { class: "bi" },
    h("span", { class: "zh" }, `账户已锁定，请于 ${zh} 后再试`),
    h("span", { class: "en", lang: "en" }, `Account locked until ${en}`));
}

async function signIn(event) {
  event.preventDefault();
  if (submit.disabled) return;
  const body = { username: username.value.trim(), password: password.value };
  if (!body.username || !body.password) {
    show("error", bi("login.missing"), "missing");
    (body.username ? password : username).focus();
    return;
  }
  if (!totpField.hidden) {
    const code = totp.value.replace(/\s+/g, "");
    if (!/^\d{6}$/.test(code)) {
      show("error", bi("login.totpFormat"), "totp_format");
      totp.focus();
      return;
    }
    body.totp = code;
  }

  submit.disabled = true;
  submit.classList.add("is-busy");
  clear();
  // The server delays answers after failed attempts: say so instead of looking frozen.
  const slow = setTimeout(() => show("info", bi("login.slow"), "slow"), 900);
  try {
    const result = await api("/api/v1/auth/login", { method: "POST", body, redirectOn401: false });
    clearTimeout(slow);
    setCsrfToken(result.csrfToken);
    show("ok", bi(["登录成功，正在进入…", "Signed in, opening…"]), "ok");
    location.assign(destination(result.account.role));
    return;
  } catch (error) {
    clearTimeout(slow);
    if (!(error instanceof ApiError)) throw error;
    switch (error.code) {
      case "totp_required":
        if (totpField.hidden) {
          totpField.hidden = false;
          show("info", bi("login.totpNeeded"), error.code);
        } else {
          show("error", message(error.message), error.code);
          totp.select();
        }
        totp.focus();
        break;
      case "account_locked":
        show("error", lockedText(error), error.code);
        password.value = "";
        break;
      case "invalid_credentials":
        show("error", message(error.message), error.code);
        password.select();
        password.focus();
        break;
      case "network":
        show("error", bi("login.network"), error.code);
        break;
      default:
        show("error", message(error.message), error.code);
    }
  } finally {
    submit.disabled = false;
    submit.classList.remove("is-busy");
  }
}

form.addEventListener("submit", (event) => {
  signIn(event).catch((error) => {
    console.error(error);
    show("error", bi("error.generic"), "error");
  });
});
totp.addEventListener("input", () => {
  totp.value = totp.value.replace(/\D+/g, "").slice(0, 6);
});

// Already signed in? Go straight to work (unless just signed out).
if (params.has("signedOut")) {
  show("ok", bi("login.signedOut"), "signed_out");
} else {
  whoAmI().then((account) => {
    if (account) location.replace(destination(account.role));
  }).catch(() => {});
}
