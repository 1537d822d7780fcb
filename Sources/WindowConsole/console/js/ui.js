// Small DOM and formatting helpers shared by the console pages. Nothing here uses innerHTML:
// every piece of data reaches the page as text.
import { pair, splitMessage } from "./i18n.js";
import { now } from "./clock.js";

/** Creates an element: h("button", {class: "btn", onclick: fn, dataset: {id: 3}}, "text", child…). */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** Chinese first, English beside it: <span class="bi"><span class="zh">…</span><span class="en">…</span></span>. */
export function bi(key, extraClass) {
  const [zh, en] = pair(key);
  return h("span", { class: extraClass ? `bi ${extraClass}` : "bi", lang: "zh-CN" },
    h("span", { class: "zh" }, zh),
    en ? h("span", { class: "en", lang: "en" }, en) : null);
}

/** A server message "中文 / English" shown the same way. */
export function message(text) {
  return bi(splitMessage(text));
}

/** A localized name {zh, en} from the catalog. */
export function named(name) {
  if (!name) return bi(["—", ""]);
  return bi([name.zh ?? name.en ?? "", name.en && name.en !== name.zh ? name.en : ""]);
}

/** Seconds as 0:42, 12:05 or 1:02:09. */
export function clockText(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/** Seconds as a short duration for people: "45秒 / 45 s", "3分 / 3 min", "1小时5分 / 1 h 5 min". */
export function durationPair(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return [`${s}秒`, `${s} s`];
  const minutes = Math.round(s / 60);
  if (minutes < 60) return [`${minutes}分钟`, `${minutes} min`];
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? [`${hours}小时${rest}分`, `${hours} h ${rest} min`] : [`${hours}小时`, `${hours} h`];
}

/** Seconds since an ISO date, by the server's clock. */
export function secondsSince(iso) {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? (now() - t) / 1000 : 0;
}

/** Seconds until an ISO date, by the server's clock. */
export function secondsUntil(iso) {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? (t - now()) / 1000 : 0;
}

/** Local wall time "14:05" (or "11月21日 14:05" when not today). */
export function timeText(iso, withSeconds = false) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const options = { hour: "2-digit", minute: "2-digit", hour12: false };
  if (withSeconds) options.second = "2-digit";
  const today = new Date(now()).toDateString() === date.toDateString();
  if (!today) Object.assign(options, { month: "numeric", day: "numeric" });
  return date.toLocaleString("zh-CN", options);
}

/** A file size: "312 KB". */
export function sizeText(bytes) {
  if (!Number.isFinite(bytes)) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A coloured label: badge("state.available", "state-available"). */
export function badge(key, kind) {
  return h("span", { class: `badge ${kind ?? ""}`.trim() }, bi(key));
}

/** Shows a short-lived notice at the bottom of the page (errors stay until closed). */
export function toast(content, kind = "info") {
  let host = document.getElementById("toasts");
  if (!host) {
    host = h("div", { id: "toasts", class: "toasts", "aria-live": "polite" });
    document.body.append(host);
  }
  const close = h("button", { class: "toast-close", type: "button", "aria-label": "关闭 / Close" }, "×");
  const item = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" },
    h("div", { class: "toast-body" }, typeof content === "string" ? message(content) : content), close);
  close.addEventListener("click", () => item.remove());
  host.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 12000 : 4000);
  return item;
}

/** Shows an API error (or any error) as a toast. */
export function showError(error) {
  if (error?.name === "AbortError") return;
  const text = error?.message || "操作失败 / Something went wrong";
  toast(text, "error");
}

/** Disables a button while an action runs, so one click does one thing. */
export async function busy(button, action) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.classList.add("is-busy");
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.classList.remove("is-busy");
  }
}

/** Shows or hides the connection banner and the small status dot in the top bar. */
export function liveStatus({ state, retryInSeconds, onRetry }) {
  const banner = document.getElementById("banner");
  const dot = document.getElementById("conn");
  if (dot) {
    dot.dataset.state = state;
    fill(dot, bi(state === "open" ? "live.online" : state === "connecting" ? "live.connecting" : "live.offline"));
  }
  if (!banner) return;
  if (state === "open") {
    banner.hidden = true;
    document.body.classList.remove("is-disconnected");
    return;
  }
  if (state === "connecting" && banner.hidden) return; // the first connect: no banner
  banner.hidden = false;
  document.body.classList.add("is-disconnected");
  const retry = h("button", { type: "button", class: "btn btn-small btn-light" }, bi("live.retryNow"));
  retry.addEventListener("click", () => onRetry?.());
  const seconds = Math.ceil(retryInSeconds ?? 0);
  const countdown = seconds > 0
    ? h("span", { class: "banner-countdown" }, bi([`${seconds} 秒后重试`, `retrying in ${seconds} s`]))
    : bi("live.connecting");
  fill(banner, h("strong", {}, bi("live.offline")), countdown, retry);
}
