// Managers' sites (延伸点) and kiosks: every site, open now or when it opens next, suspended or not;
// new sites, names, suspension with a reason, and service hours (several ranges a day, holidays,
// adjusted working days 调休, the national calendar). For the chosen site, its kiosks as they
// are now: last seen, screens A and B, the live ticket; credentials issued and shown once,
// renames and revocations. Every change goes through the role-checked API: this page only shows
// and sends, and the server's own messages say what it refused. The kiosk list is asked for again
// every 5 s and soon after the live board changes.
import { ApiError, api, get, post, put, requireAccount } from "./api.js";
import { text } from "./i18n.js";
import { Live } from "./live.js";
import { mountTopbar } from "./topbar.js";
import { badge, bi, busy, fill, h, liveStatus, message, named, showError, toast } from "./ui.js";

const $ = (id) => document.getElementById(id);

const KIOSKS_EVERY_MS = 5000;
const SITES_EVERY_MS = 30000;
const SHANGHAI = 8 * 3600 * 1000; // UTC+8, no daylight saving
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const FIRST_CALENDAR_YEAR = 2026; // the first year the server ships

const WEEKDAYS = [
  [1, "周一", "Monday"], [2, "周二", "Tuesday"], [3, "周三", "Wednesday"], [4, "周四", "Thursday"],
  [5, "周五", "Friday"], [6, "周六", "Saturday"], [7, "周日", "Sunday"],
];
const SHORT_WEEKDAYS = ["周日 Sun", "周一 Mon", "周二 Tue", "周三 Wed", "周四 Thu", "周五 Fri", "周六 Sat"]; // by getUTCDay()

const TICKET_KIND = { waiting: "status-pending", offered: "state-offered", "in-session": "state-in-session", done: "status-accepted" };

const state = {
  sites: [], // SiteView list
  code: null, // the chosen site's code
  kiosks: [], // its KioskView list
  hours: null, // the hours being edited: {weekly: {1: [{open, close}], …}, holidays: [day], workdays: {day: [{open, close}]}}
  renaming: null, // {id, value}: a kiosk's new name being typed
  confirmRevoke: null, // the kiosk id whose revocation waits for a second click
  kiosksAsked: 0, // the newest kiosk list request: an older answer is dropped
  kiosksSoon: null,
};

// ------------------------------------------------------------------------------------ helpers

const enc = encodeURIComponent;

/** "2026-11-30 09:30" (or with seconds) in Shanghai time. */
function shanghaiTime(iso, withSeconds = false) {
  const t = Date.parse(iso ?? "");
  if (!Number.isFinite(t)) return "";
  return new Date(t + SHANGHAI).toISOString().slice(0, withSeconds ? 19 : 16).replace("T", " ");
}

function shanghaiYear() {
  return new Date(Date.now() + SHANGHAI).getUTCFullYear();
}

/** "周四 Thu" for a real YYYY-MM-DD, "" for anything else (the server says what is wrong with it). */
function weekdayOf(day) {
  const match = DAY.test(day) ? day.split("-").map(Number) : null;
  if (!match) return "";
  const [y, m, d] = match;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return "";
  return SHORT_WEEKDAYS[date.getUTCDay()];
}

/** Shows a form's message: a server message "中文 / English", or a [zh, en] pair. */
function showMessage(id, kind, content) {
  const element = $(id);
  element.className = `form-message form-message-${kind}`;
  fill(element, Array.isArray(content) ? bi(content) : message(String(content ?? "")));
  element.hidden = false;
}

function hideMessage(id) {
  $(id).hidden = true;
}

function errorText(error) {
  return error?.message || "操作失败 / Something went wrong";
}

function currentSite() {
  return state.sites.find((site) => site.code === state.code) ?? null;
}

function codeFromHash() {
  const match = /^#site=(.+)$/.exec(location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------ sites

async function loadSites() {
  const sites = await get("/api/v1/sites");
  state.sites = Array.isArray(sites) ? sites : [];
  renderSites();
  const site = currentSite();
  if (site) renderSite(site, false);
}

/** Open now, when it opens next, and whether it is suspended. */
function serviceState(site) {
  const parts = [];
  if (site.suspended) parts.push(badge(["暂停服务", "Suspended"], "badge-suspended"), " ");
  if (site.openNow) {
    parts.push(badge(["开放中", "Open now"], "state-available"));
  } else if (site.nextOpening) {
    const when = shanghaiTime(site.nextOpening);
    parts.push(h("span", { class: "next-opening" }, bi([`下次开放 ${when}`, `opens ${when}`])));
  } else {
    parts.push(badge(["近期不开放", "No opening ahead"], "state-offline"));
  }
  return parts;
}

function renderSites() {
  fill($("sites-count"), String(state.sites.length));
  if (state.sites.length === 0) {
    fill($("sites-body"), h("tr", { class: "empty" }, h("td", { colspan: "2", class: "muted" }, bi(["还没有站点", "No sites yet"]))));
    return;
  }
  fill($("sites-body"), state.sites.map((site) => {
    const chosen = site.code === state.code;
    return h("tr", { class: chosen ? "is-chosen" : "", dataset: { site: site.code, suspended: String(site.suspended === true), open: String(site.openNow === true) } },
      h("td", {},
        h("a", { class: "site-link", href: `#site=${enc(site.code)}`, "aria-current": chosen ? "true" : null }, named(site.name)),
        h("div", { class: "mono muted small" }, site.code)),
      h("td", { class: "site-service" }, serviceState(site)));
  }));
}

/** The chosen site's head, name form and suspension; `resetForms` puts its name back in the form. */
function renderSite(site, resetForms) {
  fill($("site-title"), named(site.name));
  fill($("site-code"), site.code);
  fill($("site-status"), serviceState(site));
  if (resetForms) {
    $("rename-zh").value = site.name?.zh ?? "";
    $("rename-en").value = site.name?.en ?? "";
    $("suspend-reason").value = "";
    for (const id of ["rename-message", "suspension-message", "hours-message", "kiosks-message"]) hideMessage(id);
  }
  const suspended = site.suspended === true;
  $("suspension").dataset.suspended = String(suspended);
  $("suspend-fields").hidden = suspended;
  $("suspend-button").hidden = suspended;
  $("resume-button").hidden = !suspended;
  fill($("suspension-state"), suspended
    ? [badge(["暂停服务中", "Suspended"], "badge-suspended"), " ",
      site.suspendedAt ? bi([`自 ${shanghaiTime(site.suspendedAt)} 起`, `since ${shanghaiTime(site.suspendedAt)}`]) : null,
      h("div", { id: "suspended-reason", class: "suspended-reason" },
        site.suspendedReason ? [bi(["原因：", "Reason: "]), site.suspendedReason] : h("span", { class: "muted" }, bi(["未填写原因", "No reason given"])))]
    : h("span", { class: "muted" }, bi(["正常服务：各终端可以取号。", "In service: kiosks take tickets."])));
}

/** A site the server answered with (after a change): kept, and shown where it appears. */
function replaceSite(site) {
  const index = state.sites.findIndex((other) => other.code === site.code);
  if (index < 0) state.sites.push(site);
  else state.sites[index] = site;
  renderSites();
  if (site.code === state.code) renderSite(site, false);
}

async function choose(code) {
  state.code = code && state.sites.some((site) => site.code === code) ? code : null;
  state.kiosks = [];
  state.renaming = null;
  state.confirmRevoke = null;
  renderSites();
  const site = currentSite();
  $("no-site").hidden = Boolean(site);
  $("site-detail").hidden = !site;
  if (!site) return;
  renderSite(site, true);
  resetHours(site);
  fill($("kiosks-body"), h("tr", { class: "empty" }, h("td", { colspan: "6", class: "muted" }, bi(["正在载入…", "Loading…"]))));
  await loadKiosks();
}

async function createSite(event) {
  event.preventDefault();
  hideMessage("new-site-message");
  await busy($("new-site-create"), async () => {
    try {
      const site = await post("/api/v1/sites", {
        code: $("new-site-code").value.trim(),
        name: { zh: $("new-site-zh").value.trim(), en: $("new-site-en").value.trim() },
      });
      $("new-site").reset();
      replaceSite(site);
      toast(`已创建站点 ${site.name.zh} / Site ${site.code} created`, "info");
      location.hash = `site=${enc(site.code)}`; // chooses it (hashchange)
    } catch (error) {
      showMessage("new-site-message", "error", errorText(error));
    }
  });
}

async function renameSite(event) {
  event.preventDefault();
  const code = state.code;
  hideMessage("rename-message");
  await busy($("rename-save"), async () => {
    try {
      const site = await put(`/api/v1/sites/${enc(code)}`, { name: { zh: $("rename-zh").value.trim(), en: $("rename-en").value.trim() } });
      replaceSite(site);
      if (code === state.code) showMessage("rename-message", "ok", ["名称已保存", "Name saved"]);
    } catch (error) {
      if (code === state.code) showMessage("rename-message", "error", errorText(error));
    }
  });
}

async function setSuspension(suspended) {
  const code = state.code;
  const button = suspended ? $("suspend-button") : $("resume-button");
  hideMessage("suspension-message");
  await busy(button, async () => {
    try {
      const reason = $("suspend-reason").value.trim();
      const site = await put(`/api/v1/sites/${enc(code)}/suspension`, suspended ? { suspended: true, reason: reason || undefined } : { suspended: false });
      if (code !== state.code) return;
      $("suspend-reason").value = "";
      replaceSite(site);
      showMessage("suspension-message", "ok", suspended
        ? ["已暂停服务：各终端不能取号，已在等候的号票仍会办理", "Suspended: kiosks take no new tickets; those waiting are still served"]
        : ["已恢复服务", "Service resumed"]);
    } catch (error) {
      if (code === state.code) showMessage("suspension-message", "error", errorText(error));
    }
  });
}

// ------------------------------------------------------------------------------------ hours

const copyRanges = (ranges) => (ranges ?? []).map((range) => ({ open: range.open ?? "", close: range.close ?? "" }));

/** The site's hours as the editor holds them. */
function draftOf(hours) {
  const weekly = {};
  for (const [day] of WEEKDAYS) weekly[day] = copyRanges(hours?.weekly?.[String(day)]);
  const workdays = {};
  for (const [day, ranges] of Object.entries(hours?.workdays ?? {})) workdays[day] = copyRanges(ranges);
  return { weekly, holidays: [...(hours?.holidays ?? [])].sort(), workdays };
}

/** Ranges as sent: trimmed, a range left wholly empty dropped. */
function cleanRanges(ranges) {
  return ranges.map((range) => ({ open: range.open.trim(), close: range.close.trim() })).filter((range) => range.open || range.close);
}

/** The editor's hours as the API takes them (HoursView). */
function hoursBody(draft) {
  const weekly = {};
  for (const [day] of WEEKDAYS) {
    const ranges = cleanRanges(draft.weekly[day]);
    if (ranges.length) weekly[String(day)] = ranges;
  }
  const workdays = {};
  for (const day of Object.keys(draft.workdays).sort()) workdays[day] = cleanRanges(draft.workdays[day]);
  return { weekly, holidays: [...draft.holidays], workdays };
}

/** Monday's ranges, for a new adjusted working day (09:00–17:00 when Monday is closed). */
function mondayRanges() {
  const monday = cleanRanges(state.hours.weekly[1]);
  return monday.length ? monday : [{ open: "09:00", close: "17:00" }];
}

function resetHours(site) {
  state.hours = draftOf(site.hours);
  $("hours-form").dataset.dirty = "false";
  renderHours();
}

function changed() {
  $("hours-form").dataset.dirty = "true";
  hideMessage("hours-message");
}

function rangeRow(ranges, index, label) {
  const range = ranges[index];
  const open = h("input", { type: "text", class: "time-input range-open", inputmode: "numeric", maxlength: "5", placeholder: "09:00",
    value: range.open, "aria-label": `${label} 开始 / opens` });
  const close = h("input", { type: "text", class: "time-input range-close", inputmode: "numeric", maxlength: "5", placeholder: "17:00",
    value: range.close, "aria-label": `${label} 结束 / closes` });
  open.addEventListener("input", () => {
    range.open = open.value;
    changed();
  });
  close.addEventListener("input", () => {
    range.close = close.value;
    changed();
  });
  const remove = h("button", { type: "button", class: "btn btn-ghost btn-small range-remove", title: text(["删除此时段", "Remove this range"]),
    "aria-label": text(["删除此时段", "Remove this range"]) }, "×");
  remove.addEventListener("click", () => {
    ranges.splice(index, 1);
    changed();
    renderHours();
  });
  return h("div", { class: "range", dataset: { index } }, open, h("span", { class: "range-dash" }, "–"), close, remove);
}

/** A day's ranges with their add button; `focus` finds the new range's first input after a render. */
function rangeEditor(ranges, label, focus) {
  const add = h("button", { type: "button", class: "btn btn-ghost btn-small range-add" }, bi(["+ 添加时段", "+ Add a range"]));
  add.addEventListener("click", () => {
    ranges.push({ open: "", close: "" });
    changed();
    renderHours();
    document.querySelector(focus)?.focus();
  });
  return h("div", { class: "range-editor" },
    ranges.length ? ranges.map((_, index) => rangeRow(ranges, index, label)) : h("span", { class: "muted small day-closed" }, bi(["休息", "Closed"])),
    add);
}

function renderWeekly() {
  fill($("weekly"), WEEKDAYS.map(([day, zh, en]) => h("div", { class: "day", dataset: { day } },
    h("div", { class: "day-name" }, bi([zh, en])),
    rangeEditor(state.hours.weekly[day], `${zh} ${en}`, `#weekly .day[data-day="${day}"] .range:last-of-type .range-open`))));
}

function renderHolidays() {
  const days = state.hours.holidays;
  fill($("holidays-count"), String(days.length));
  fill($("holidays"), days.length
    ? days.map((day) => {
      const remove = h("button", { type: "button", class: "date-remove", title: text([`删除 ${day}`, `Remove ${day}`]), "aria-label": text([`删除 ${day}`, `Remove ${day}`]) }, "×");
      remove.addEventListener("click", () => {
        state.hours.holidays = state.hours.holidays.filter((other) => other !== day);
        changed();
        renderHours();
      });
      return h("li", { class: "date-chip", dataset: { date: day } }, h("span", { class: "mono" }, day), h("span", { class: "muted small" }, weekdayOf(day)), remove);
    })
    : h("li", { class: "muted small date-none" }, bi(["没有节假日", "No holidays"])));
}

function renderWorkdays() {
  const days = Object.keys(state.hours.workdays).sort();
  fill($("workdays-count"), String(days.length));
  fill($("workdays"), days.length
    ? days.map((day) => {
      const remove = h("button", { type: "button", class: "date-remove", title: text([`删除 ${day}`, `Remove ${day}`]), "aria-label": text([`删除 ${day}`, `Remove ${day}`]) }, "×");
      remove.addEventListener("click", () => {
        delete state.hours.workdays[day];
        changed();
        renderHours();
      });
      return h("div", { class: "workday", dataset: { date: day } },
        h("div", { class: "workday-date" }, h("span", { class: "mono" }, day), " ", h("span", { class: "muted small" }, weekdayOf(day)), remove),
        rangeEditor(state.hours.workdays[day], day, `#workdays .workday[data-date="${day}"] .range:last-of-type .range-open`));
    })
    : h("p", { class: "muted small date-none" }, bi(["没有调休上班日", "No adjusted working days"])));
}

function renderHours() {
  if (!state.hours) return;
  renderWeekly();
  renderHolidays();
  renderWorkdays();
}

/** Adds the date typed in a list's box (its shape checked here; whether it exists, by the server). */
function addDate(kind) {
  const input = $(kind === "holiday" ? "holiday-input" : "workday-input");
  const day = input.value.trim();
  if (!DAY.test(day)) {
    input.classList.add("is-invalid");
    showMessage("hours-message", "error", ["日期格式应为 YYYY-MM-DD，例如 2026-10-01", "Dates are YYYY-MM-DD, e.g. 2026-10-01"]);
    input.focus();
    return;
  }
  input.classList.remove("is-invalid");
  if (kind === "holiday") {
    if (!state.hours.holidays.includes(day)) state.hours.holidays = [...state.hours.holidays, day].sort();
  } else if (!state.hours.workdays[day]) {
    state.hours.workdays[day] = mondayRanges();
  }
  input.value = "";
  changed();
  renderHours();
  input.focus();
}

function calendarYear() {
  return Math.max(FIRST_CALENDAR_YEAR, shanghaiYear());
}

/** Fills both lists from the national schedule; the schedule wins over a date in the other list. */
async function loadCalendar() {
  const year = calendarYear();
  await busy($("load-holidays"), async () => {
    try {
      const calendar = await get(`/api/v1/calendar/${year}`);
      const holidays = new Set(state.hours.holidays);
      for (const day of calendar.adjustedWorkdays ?? []) holidays.delete(day);
      for (const day of calendar.holidays ?? []) {
        holidays.add(day);
        delete state.hours.workdays[day];
      }
      state.hours.holidays = [...holidays].sort();
      const monday = mondayRanges();
      for (const day of calendar.adjustedWorkdays ?? []) {
        if (!state.hours.workdays[day]) state.hours.workdays[day] = copyRanges(monday);
      }
      changed();
      renderHours();
      const holidayCount = calendar.holidays?.length ?? 0;
      const workdayCount = calendar.adjustedWorkdays?.length ?? 0;
      showMessage("hours-message", "info", [
        `已载入${year}年法定节假日 ${holidayCount} 天、调休上班日 ${workdayCount} 天；保存后生效`,
        `Loaded ${holidayCount} holidays and ${workdayCount} adjusted working days of ${year}; save to apply them`,
      ]);
    } catch (error) {
      showMessage("hours-message", "error", errorText(error));
    }
  });
}

async function saveHours(event) {
  event.preventDefault();
  const code = state.code;
  hideMessage("hours-message");
  await busy($("hours-save"), async () => {
    try {
      const site = await put(`/api/v1/sites/${enc(code)}/hours`, hoursBody(state.hours));
      replaceSite(site);
      if (code !== state.code) return;
      resetHours(site);
      showMessage("hours-message", "ok", ["服务时间已保存", "Hours saved"]);
    } catch (error) {
      // The server's validation message, next to the form (what was typed stays to be corrected).
      if (code === state.code) showMessage("hours-message", "error", errorText(error));
    }
  });
}

function discardHours() {
  const site = currentSite();
  if (!site) return;
  resetHours(site);
  hideMessage("hours-message");
}

// ------------------------------------------------------------------------------------ kiosks

async function loadKiosks(force = false) {
  const code = state.code;
  if (!code) return;
  const asked = ++state.kiosksAsked;
  const kiosks = await get(`/api/v1/sites/${enc(code)}/kiosks`);
  if (code !== state.code || asked !== state.kiosksAsked) return;
  state.kiosks = Array.isArray(kiosks) ? kiosks : [];
  renderKiosks(force);
}

/** The kiosk list again soon (the live board changed: a ticket was taken, offered, ended). */
function kiosksSoon() {
  if (state.kiosksSoon) return;
  state.kiosksSoon = setTimeout(() => {
    state.kiosksSoon = null;
    loadKiosks().catch(() => {});
  }, 400);
}

function screenBadge(screen, connected, paired) {
  let key = connected ? ["已连接", "Connected"] : ["未连接", "Not connected"];
  let kind = connected ? "state-available" : "state-offline";
  if (screen === "b" && !connected) {
    key = paired ? ["已配对，未连接", "Paired, not connected"] : ["未配对", "Not paired"];
    kind = paired ? "state-away" : "state-offline";
  }
  const element = badge(key, `${kind} screen-badge`);
  element.dataset.screen = screen;
  element.dataset.state = connected ? "connected" : "disconnected";
  return element;
}

function ticketCell(ticket) {
  if (!ticket) return h("td", { class: "kiosk-ticket muted" }, "—");
  return h("td", { class: "kiosk-ticket", dataset: { ticket: ticket.id, state: ticket.state } },
    h("strong", { class: "mono ticket-no" }, ticket.number), " ",
    badge(`today.${ticket.state}`, `${TICKET_KIND[ticket.state] ?? "state-offline"} small`), " ",
    h("span", { class: "muted small mono" }, ticket.itemCode));
}

function kioskActions(kiosk) {
  if (state.renaming?.id === kiosk.id) {
    const input = h("input", { type: "text", class: "kiosk-rename-input", maxlength: "64", value: state.renaming.value, "aria-label": text(["新名称", "New name"]) });
    input.addEventListener("input", () => {
      if (state.renaming?.id === kiosk.id) state.renaming.value = input.value;
    });
    const save = h("button", { type: "button", class: "btn btn-primary btn-small kiosk-rename-save" }, bi(["保存", "Save"]));
    const cancel = h("button", { type: "button", class: "btn btn-ghost btn-small kiosk-rename-cancel" }, bi(["取消", "Cancel"]));
    save.addEventListener("click", () => busy(save, () => renameKiosk(kiosk.id, input.value)));
    cancel.addEventListener("click", () => {
      state.renaming = null;
      renderKiosks(true);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        save.click();
      } else if (event.key === "Escape") {
        cancel.click();
      }
    });
    return h("div", { class: "row-actions" }, input, save, cancel);
  }
  if (state.confirmRevoke === kiosk.id) {
    const confirm = h("button", { type: "button", class: "btn btn-reject btn-small kiosk-revoke-confirm" }, bi(["确认吊销", "Revoke it"]));
    const cancel = h("button", { type: "button", class: "btn btn-ghost btn-small kiosk-revoke-cancel" }, bi(["取消", "Cancel"]));
    confirm.addEventListener("click", () => busy(confirm, () => revokeKiosk(kiosk.id)));
    cancel.addEventListener("click", () => {
      state.confirmRevoke = null;
      renderKiosks(true);
    });
    return h("div", { class: "revoke-confirm" },
      h("p", { class: "warn-text small" }, bi(["吊销后该终端的凭证立即失效且不能恢复，其连接随即断开。", "Its credential stops working at once and for good; its connections close."])),
      h("div", { class: "row-actions" }, confirm, cancel));
  }
  const rename = h("button", { type: "button", class: "btn btn-secondary btn-small kiosk-rename" }, bi(["改名", "Rename"]));
  rename.addEventListener("click", () => {
    state.renaming = { id: kiosk.id, value: kiosk.name };
    state.confirmRevoke = null;
    renderKiosks(true);
    document.querySelector(`#kiosks-body tr[data-kiosk="${kiosk.id}"] .kiosk-rename-input`)?.focus();
  });
  const revoke = h("button", { type: "button", class: "btn btn-reject btn-small kiosk-revoke" }, bi(["吊销", "Revoke"]));
  revoke.addEventListener("click", () => {
    state.confirmRevoke = kiosk.id;
    state.renaming = null;
    renderKiosks(true);
  });
  return h("div", { class: "row-actions" }, rename, revoke);
}

function kioskRow(kiosk) {
  const revoked = kiosk.revoked === true;
  return h("tr", { class: revoked ? "is-revoked" : "", dataset: { kiosk: kiosk.id, revoked: String(revoked) } },
    h("td", { class: "kiosk-name" },
      h("span", { class: "kiosk-label" }, kiosk.name), " ", h("span", { class: "mono muted small" }, `#${kiosk.id}`),
      revoked ? h("div", {}, badge(["已吊销", "Revoked"], "badge-revoked small")) : null),
    h("td", { class: "last-seen mono" }, kiosk.lastSeenAt ? shanghaiTime(kiosk.lastSeenAt, true) : h("span", { class: "muted" }, bi(["从未连接", "Never"]))),
    h("td", { class: "screen-a" }, revoked ? h("span", { class: "muted" }, "—") : screenBadge("a", kiosk.screenA === true, false)),
    h("td", { class: "screen-b" }, revoked ? h("span", { class: "muted" }, "—") : screenBadge("b", kiosk.screenB === true, kiosk.screenBPaired === true)),
    ticketCell(kiosk.ticket),
    h("td", { class: "kiosk-actions" }, revoked ? null : kioskActions(kiosk)));
}

/** Draws the list, unless someone is typing in it (the next refresh draws it); `force` draws anyway. */
function renderKiosks(force = false) {
  const body = $("kiosks-body");
  const typing = document.activeElement?.tagName === "INPUT" && body.contains(document.activeElement);
  if (typing && !force) return;
  const live = state.kiosks.filter((kiosk) => !kiosk.revoked).length;
  fill($("kiosks-count"), state.kiosks.length === live ? String(live) : `${live} / ${state.kiosks.length}`);
  fill(body, state.kiosks.length ? state.kiosks.map(kioskRow)
    : h("tr", { class: "empty" }, h("td", { colspan: "6", class: "muted" }, bi(["此站点还没有终端", "This site has no kiosks yet"]))));
}

async function renameKiosk(id, name) {
  hideMessage("kiosks-message");
  try {
    const view = await put(`/api/v1/kiosks/${id}`, { name: name.trim() });
    state.renaming = null;
    const index = state.kiosks.findIndex((kiosk) => kiosk.id === id);
    if (index >= 0) state.kiosks[index] = view;
    renderKiosks(true);
    toast(`终端已改名为 ${view.name} / Kiosk renamed to ${view.name}`, "info");
  } catch (error) {
    showMessage("kiosks-message", "error", errorText(error));
  }
}

async function revokeKiosk(id) {
  hideMessage("kiosks-message");
  try {
    await api(`/api/v1/kiosks/${id}`, { method: "DELETE" });
    state.confirmRevoke = null;
    toast("终端已吊销 / Kiosk revoked", "info");
  } catch (error) {
    showMessage("kiosks-message", "error", errorText(error));
  }
  await loadKiosks(true).catch(showError);
}

async function issueKiosk(event) {
  event.preventDefault();
  const code = state.code;
  hideMessage("kiosks-message");
  await busy($("new-kiosk-issue"), async () => {
    try {
      const kiosk = await post(`/api/v1/sites/${enc(code)}/kiosks`, { name: $("new-kiosk-name").value.trim() });
      $("new-kiosk-name").value = "";
      showCredential(kiosk);
      await loadKiosks().catch(() => {});
    } catch (error) {
      showMessage("kiosks-message", "error", errorText(error));
    }
  });
}

/** The credential, this once: closing the dialog forgets it. */
function showCredential(kiosk) {
  $("credential-value").value = kiosk.credential ?? "";
  fill($("credential-kiosk"), `${kiosk.name} #${kiosk.id}`);
  $("credential-copied").hidden = true;
  $("credential-dialog").showModal();
  $("credential-value").select();
}

async function copyCredential() {
  const input = $("credential-value");
  let copied = false;
  try {
    await navigator.clipboard.writeText(input.value);
    copied = true;
  } catch {
    input.focus();
    input.select();
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
  }
  const note = $("credential-copied");
  note.className = copied ? "credential-copied is-ok" : "credential-copied is-error";
  fill(note, bi(copied ? ["已复制到剪贴板", "Copied to the clipboard"] : ["无法自动复制，请选中后手动复制", "Could not copy: select it and copy by hand"]));
  note.hidden = false;
}

function forgetCredential() {
  $("credential-value").value = "";
  fill($("credential-kiosk"));
  $("credential-copied").hidden = true;
}

// ------------------------------------------------------------------------------------ start

function wire() {
  $("new-site").addEventListener("submit", createSite);
  $("rename-form").addEventListener("submit", renameSite);
  $("suspension").addEventListener("submit", (event) => {
    event.preventDefault();
    setSuspension(true);
  });
  $("resume-button").addEventListener("click", () => setSuspension(false));
  $("hours-form").addEventListener("submit", saveHours);
  $("hours-reset").addEventListener("click", discardHours);
  const year = calendarYear();
  fill($("load-holidays"), bi([`导入${year}年法定节假日`, `Load the ${year} national holidays`]));
  $("load-holidays").addEventListener("click", loadCalendar);
  for (const kind of ["holiday", "workday"]) {
    $(`${kind}-add`).addEventListener("click", () => addDate(kind));
    $(`${kind}-input`).addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault(); // adds the date; it does not save the form
      addDate(kind);
    });
  }
  $("new-kiosk").addEventListener("submit", issueKiosk);
  $("credential-copy").addEventListener("click", copyCredential);
  // Forgotten at the click, not only at the dialog's "close" event, which comes a task later.
  $("credential-close").addEventListener("click", () => {
    forgetCredential();
    $("credential-dialog").close();
  });
  $("credential-dialog").addEventListener("close", forgetCredential); // Escape closes it too
  window.addEventListener("hashchange", () => choose(codeFromHash()).catch(showError));
}

async function main() {
  const account = await requireAccount(["manager", "admin"]);
  $("me-name").textContent = account.displayName;
  $("me-role").textContent = account.role === "admin" ? text(["管理员", "Admin"]) : text(["值班经理", "Manager"]);
  wire();
  await loadSites();
  await choose(codeFromHash() ?? state.sites[0]?.code ?? null);
  document.body.classList.remove("is-loading");

  const live = new Live({
    onMessage(type) {
      if (type === "board") kiosksSoon();
    },
    onStatus(status) {
      liveStatus({ ...status, onRetry: () => live.retryNow() });
    },
  });
  live.start();
  window.addEventListener("pagehide", () => live.stop());
  setInterval(() => {
    if (document.visibilityState === "visible") loadKiosks().catch(() => {});
  }, KIOSKS_EVERY_MS);
  setInterval(() => {
    if (document.visibilityState === "visible") loadSites().catch(() => {});
  }, SITES_EVERY_MS);
}

mountTopbar();
main().catch((error) => {
  if (error instanceof ApiError && error.status === 401) return; // on the way to the sign-in page
  console.error(error);
  showError(error);
});
