// The clerk's queues and skills in the sidebar, and the idle view (offline, on a break, or
// available with nothing offered) with how many wait in the clerk's queues.
import { text } from "../i18n.js";
import { bi, durationPair, fill, h } from "../ui.js";
import { $, categoryLetter, categoryName, state } from "./state.js";

export function renderSkills() {
  const list = $("skills");
  const skills = state.view.skills ?? [];
  fill(list, skills.length === 0
    ? h("li", { class: "muted" }, bi("queues.empty"))
    : skills.map((code) => h("li", { class: "tag" }, h("span", { class: "letter" }, categoryLetter(code)), categoryName(code))));
}

export function renderQueues() {
  const list = $("queues");
  const skills = state.view?.skills ?? [];
  if (skills.length === 0) {
    fill(list, h("li", { class: "muted" }, bi("queues.empty")));
    return;
  }
  const aged = (Date.now() - state.queuesAt) / 1000;
  const rows = skills.map((code) => {
    const lines = state.queues.filter((line) => line.category === code);
    const waiting = lines.reduce((sum, line) => sum + line.waiting, 0);
    const longest = lines.reduce((max, line) => Math.max(max, line.longestWaitSeconds), 0) + (waiting > 0 ? aged : 0);
    const etas = lines.map((line) => line.etaSeconds).filter((eta) => Number.isFinite(eta));
    const detail = [];
    if (waiting > 0) {
      const [zh, en] = durationPair(longest);
      detail.push(h("span", { class: "bi" }, h("span", { class: "zh" }, `最长 ${zh}`), h("span", { class: "en", lang: "en" }, `longest ${en}`)));
      if (etas.length) {
        const [ezh, een] = durationPair(Math.max(...etas));
        detail.push(h("span", { class: "bi" }, h("span", { class: "zh" }, `预计 ${ezh}`), h("span", { class: "en", lang: "en" }, `ETA ${een}`)));
      }
    }
    const sites = lines.length > 1 ? h("div", { class: "queue-sites muted" }, lines.map((line) => `${line.siteCode ?? line.site} ${line.waiting}`).join(" · ")) : null;
    const level = waiting === 0 ? "empty" : longest > 600 ? "long" : "busy";
    return h("li", { class: `queue queue-${level}`, dataset: { category: code } },
      h("span", { class: "letter" }, categoryLetter(code)),
      h("div", { class: "queue-name" }, categoryName(code), detail.length ? h("div", { class: "queue-detail" }, detail) : null, sites),
      h("span", { class: "queue-count", title: text(["等候人数", "Waiting"]) }, String(waiting)));
  });
  fill(list, rows);
}

export function renderIdle() {
  const current = state.view.state;
  const kind = current === "available" ? "available" : current === "away" ? "away" : "offline";
  $("view-idle").dataset.kind = kind;
  fill($("idle-title"), bi(`idle.${kind}.title`));
  fill($("idle-body"), bi(`idle.${kind}.body`));
  $("idle-go").hidden = kind === "available";
  renderIdleWaiting();
}

export function renderIdleWaiting() {
  const element = $("idle-waiting");
  if (!state.view || $("view-idle").hidden) return;
  const skills = new Set(state.view.skills ?? []);
  const waiting = state.queues.filter((line) => skills.has(line.category)).reduce((sum, line) => sum + line.waiting, 0);
  const missed = state.view.missedOffers ?? 0;
  const parts = [];
  if (waiting > 0) parts.push(h("span", { class: "bi" }, h("span", { class: "zh" }, `${waiting} 人在您的队列中等候`), h("span", { class: "en", lang: "en" }, `${waiting} waiting in your queues`)));
  if (missed > 0) parts.push(h("span", { class: "bi warn-text" }, h("span", { class: "zh" }, `已错过派单 ${missed} 次`), h("span", { class: "en", lang: "en" }, `${missed} missed offer${missed === 1 ? "" : "s"}`)));
  element.hidden = parts.length === 0;
  fill(element, parts);
}
