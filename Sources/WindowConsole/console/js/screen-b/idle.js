// Screen B while no call is on: the site, today's service hours and this kiosk's ticket.
import { bi, durationPair, fill, h, named } from "../ui.js";

const $ = (id) => document.getElementById(id);

function isoDay(date) {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** Today's intervals from a HoursView: holidays close, make-up workdays have their own hours. */
export function todaysHours(hours, date = new Date()) {
  if (!hours) return [];
  const day = isoDay(date);
  if ((hours.holidays ?? []).includes(day)) return [];
  if (hours.workdays && hours.workdays[day]) return hours.workdays[day];
  const weekday = date.getDay() === 0 ? 7 : date.getDay();
  return hours.weekly?.[String(weekday)] ?? [];
}

export function renderSite(site) {
  if (!site) return;
  fill($("site-name"), named(site.name));
  fill($("idle-site"), named(site.name));
  const intervals = todaysHours(site.hours);
  $("hours-today").textContent = intervals.length
    ? intervals.map((interval) => `${interval.open}–${interval.close}`).join("，")
    : "";
  if (!intervals.length) fill($("hours-today"), bi(["今日不办理", "Closed today"]));
  const open = $("open-now");
  open.dataset.open = site.openNow ? "true" : "false";
  fill(open, bi(site.openNow ? ["服务中", "Open now"] : ["暂停服务", "Closed now"]));
}

const TICKET_STATE = {
  waiting: ["正在排队，请留意叫号", "In line: watch for your call"],
  offered: ["正在为您呼叫工作人员", "Calling a clerk for you"],
  "in-session": ["工作人员正在接入", "A clerk is joining"],
};

/** The ticket box; null (or a finished ticket) shows the hint to take a number. */
export function renderTicket(ticket) {
  const live = ticket && TICKET_STATE[ticket.state];
  $("ticket").hidden = !live;
  $("no-ticket").hidden = Boolean(live);
  if (!live) {
    $("ticket-number").textContent = "";
    fill($("ticket-position"));
    fill($("ticket-eta"));
    fill($("ticket-state"));
    delete $("ticket").dataset.ticket;
    return;
  }
  $("ticket").dataset.ticket = String(ticket.id);
  $("ticket").dataset.state = ticket.state;
  $("ticket-number").textContent = ticket.number;
  $("ticket-position").dataset.position = ticket.position ?? "";
  fill($("ticket-position"), Number.isFinite(ticket.position)
    ? bi([`第 ${ticket.position} 位`, `No. ${ticket.position}`])
    : h("span", {}, "—"));
  fill($("ticket-eta"), Number.isFinite(ticket.waitSeconds)
    ? bi(durationPair(ticket.waitSeconds))
    : bi(["暂无工作人员在岗", "No clerk on duty"]));
  fill($("ticket-state"), bi(live));
}
