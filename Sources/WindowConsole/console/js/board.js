// The managers' board: the live queue by site and category, every clerk's state and case, and
// today's counts. The server pushes the whole board on connect and whenever it changes.
import { get, requireAccount } from "./api.js";
import { categories as loadCategories, allItems, forgetCurrent } from "./catalog.js";
import { Live } from "./live.js";
import { observeIso } from "./clock.js";
import { text } from "./i18n.js";
import { grade } from "./rtc.js";
import { mountTopbar } from "./topbar.js";
import { badge, bi, clockText, durationPair, fill, h, liveStatus, named, secondsSince, secondsUntil, showError, timeText } from "./ui.js";

const $ = (id) => document.getElementById(id);

const state = {
  board: null,
  receivedAt: Date.now(),
  categories: new Map(),
  items: new Map(),
  sites: new Map(), // code → {name}
  sitesAskedAt: 0,
};

/** Site names come from the sites list; a site opened after the page loaded is asked for again. */
async function loadSites() {
  state.sitesAskedAt = Date.now();
  try {
    const sites = await get("/api/v1/sites");
    if (Array.isArray(sites)) state.sites = new Map(sites.map((site) => [site.code, site]));
  } catch {
    // codes are shown instead of names
  }
}

const TODAY = ["waiting", "in-session", "done", "abandoned", "cancelled"];

function categoryOrder(code) {
  const index = [...state.categories.keys()].indexOf(code);
  return index < 0 ? 999 : index;
}

function categoryCell(code) {
  const category = state.categories.get(code);
  return h("span", { class: "cat" }, h("span", { class: "letter" }, category?.letter ?? "?"), category ? named(category.name) : bi([code, ""]));
}

function itemName(code) {
  const item = state.items.get(code);
  return item ? item.name.zh : code;
}

function apply(board) {
  if (!board) return;
  state.board = board;
  state.receivedAt = Date.now();
  observeIso(board.generatedAt);
  const unknown = (board.lines ?? []).some((line) => line.siteCode && !state.sites.has(line.siteCode));
  if (unknown && Date.now() - state.sitesAskedAt > 30000) loadSites().then(render);
  document.body.classList.remove("is-loading");
  render();
}

function render() {
  const board = state.board;
  if (!board) return;
  $("generated-at").textContent = timeText(board.generatedAt, true);
  renderToday(board);
  renderLines(board);
  renderClerks(board);
}

function renderToday(board) {
  const today = board.today ?? {};
  const clerks = board.clerks ?? [];
  const onDuty = clerks.filter((clerk) => clerk.state !== "offline" && clerk.state !== "away").length;
  const waitingNow = (board.lines ?? []).reduce((sum, line) => sum + line.waiting, 0);
  const tiles = TODAY.map((key) => {
    const value = key === "waiting" ? waitingNow : today[key] ?? 0;
    return h("div", { class: `stat stat-${key}`, dataset: { key } }, h("div", { class: "stat-value" }, String(value)), h("div", { class: "stat-label" }, bi(`today.${key}`)));
  });
  tiles.push(h("div", { class: "stat stat-duty", dataset: { key: "on-duty" } },
    h("div", { class: "stat-value" }, `${onDuty}`, h("span", { class: "stat-of" }, ` / ${clerks.length}`)),
    h("div", { class: "stat-label" }, bi("board.onDuty"))));
  fill($("today"), tiles);
}

function renderLines(board) {
  const body = $("lines-body");
  const lines = [...(board.lines ?? [])].sort((a, b) =>
    String(a.siteCode ?? a.site).localeCompare(String(b.siteCode ?? b.site)) || categoryOrder(a.category) - categoryOrder(b.category));
  if (lines.length === 0) {
    fill(body, h("tr", { class: "empty" }, h("td", { colspan: 5, class: "muted" }, bi("board.noLines"))));
    return;
  }
  const aged = (Date.now() - state.receivedAt) / 1000;
  let lastSite = null;
  fill(body, lines.map((line) => {
    const siteKey = line.siteCode ?? String(line.site);
    const first = siteKey !== lastSite;
    lastSite = siteKey;
    const site = state.sites.get(line.siteCode);
    const longest = line.longestWaitSeconds + (line.waiting > 0 ? aged : 0);
    const level = longest >= 1200 ? "alert" : longest >= 600 ? "warn" : "ok";
    return h("tr", { class: first ? "group-start" : "", dataset: { site: siteKey, category: line.category } },
      h("td", { class: "site" }, first ? siteCell(site, line.siteCode, siteKey) : ""),
      h("td", {}, categoryCell(line.category)),
      h("td", { class: "num waiting" }, h("strong", {}, String(line.waiting))),
      h("td", { class: `num wait-${level}` }, clockText(longest)),
      h("td", { class: "num" }, Number.isFinite(line.etaSeconds) ? bi(durationPair(line.etaSeconds)) : "—"));
  }));
}

/** A line's site, linked to its page on sites.html (hours, suspension, kiosks). */
function siteCell(site, code, key) {
  const label = site ? h("span", {}, named(site.name), h("span", { class: "muted mono small" }, ` ${key}`)) : h("span", { class: "mono" }, key);
  return code ? h("a", { class: "site-link", href: `/console/sites.html#site=${encodeURIComponent(code)}`, title: text(["站点与终端", "Site and kiosks"]) }, label) : label;
}

function renderClerks(board) {
  const body = $("clerks-body");
  const clerks = [...(board.clerks ?? [])].sort((a, b) => String(a.window).localeCompare(String(b.window)) || a.displayName.localeCompare(b.displayName));
  const busyCount = clerks.filter((clerk) => clerk.state === "in-session").length;
  fill($("clerk-summary"), h("span", { class: "bi" }, h("span", { class: "zh" }, `${busyCount} 人办理中`), h("span", { class: "en", lang: "en" }, `${busyCount} in session`)));
  if (clerks.length === 0) {
    fill(body, h("tr", { class: "empty" }, h("td", { colspan: 7, class: "muted" }, bi("board.noClerks"))));
    return;
  }
  fill(body, clerks.map((clerk) => {
    let current = h("span", { class: "muted" }, "—");
    if (clerk.session) {
      current = h("span", { class: "current" }, h("strong", { class: "mono" }, clerk.session.number), " ", itemName(clerk.session.itemCode),
        h("span", { class: "muted small" }, ` · ${clockText(secondsSince(clerk.session.startedAt))}`));
    } else if (clerk.offer) {
      current = h("span", { class: "current" }, badge("state.offered", "state-offered small"), " ", h("strong", { class: "mono" }, clerk.offer.number), " ", itemName(clerk.offer.itemCode));
    } else if (clerk.state === "wrap-up" && clerk.wrapUpUntil) {
      current = h("span", { class: "muted" }, bi([`整理剩余 ${clockText(secondsUntil(clerk.wrapUpUntil))}`, `${clockText(secondsUntil(clerk.wrapUpUntil))} left`]));
    }
    const skills = (clerk.skills ?? []).map((code) => {
      const category = state.categories.get(code);
      return h("span", { class: "letter", title: category ? `${category.name.zh} / ${category.name.en}` : code }, category?.letter ?? code);
    });
    return h("tr", { class: clerk.connected ? "" : "is-disconnected", dataset: { clerk: clerk.id, state: clerk.state } },
      h("td", {}, h("span", { class: `dot ${clerk.connected ? "dot-on" : "dot-off"}`, title: clerk.connected ? text(["已连接", "Connected"]) : text(["未连接", "Not connected"]) }), " ", clerk.displayName),
      h("td", { class: "mono" }, clerk.window),
      h("td", {}, badge(`state.${clerk.state}`, `state-${clerk.state}`), clerk.missedOffers > 0 ? h("span", { class: "warn-text small", title: text("idle.missed") }, ` ×${clerk.missedOffers}`) : null),
      h("td", { class: "num mono" }, clockText(secondsSince(clerk.stateSince))),
      h("td", {}, current),
      mediaCell(clerk.session),
      h("td", { class: "skills" }, h("div", { class: "skill-letters" }, skills)));
  }));
}

const MEDIA_STATE = {
  new: ["未连接", "New"],
  connecting: ["连接中", "Connecting"],
  connected: ["已接通", "Connected"],
  disconnected: ["中断", "Disconnected"],
  failed: ["失败", "Failed"],
  closed: ["已挂断", "Closed"],
};
const QUALITY = { good: ["良好", "Good"], fair: ["一般", "Fair"], poor: ["差", "Poor"] };

/** The session's call: its state, the worker's consent, and each side's media and quality. */
function mediaCell(session) {
  if (!session) return h("td", { class: "media-cell muted" }, "—");
  const consent = session.consent === true ? null
    : session.consent === false ? h("span", { class: "consent-declined" }, bi(["已拒绝视频", "Declined the video"]))
    : h("span", { class: "consent-waiting" }, bi(["待同意", "Awaiting consent"]));
  const sides = ["kiosk", "clerk"].map((side) => {
    const media = session.media?.[side] ?? null;
    const label = side === "kiosk" ? ["办事人", "Applicant"] : ["工作人员", "Clerk"];
    const quality = media ? media.quality ?? grade(media.stats) : null;
    const stats = media?.stats;
    const title = stats ? [Number.isFinite(stats.rttMs) ? `RTT ${stats.rttMs} ms` : null, Number.isFinite(stats.lossPercent) ? `loss ${stats.lossPercent}%` : null,
      Number.isFinite(stats.fps) ? `${stats.fps} fps` : null, stats.candidateType ?? null].filter(Boolean).join(" · ") : "";
    return h("span", { class: "media-side", dataset: { side, state: media?.state ?? "none", grade: quality ?? "" }, title },
      bi(label), " ", media ? bi(MEDIA_STATE[media.state] ?? [media.state, media.state]) : h("span", { class: "muted" }, "—"),
      quality ? h("span", { class: "media-quality", dataset: { grade: quality } }, bi(QUALITY[quality])) : null,
      stats?.candidateType === "relay" ? h("span", { class: "muted small" }, bi(["中继", "relay"])) : null);
  });
  return h("td", { class: "media-cell", dataset: { sessionState: session.state ?? "", consent: String(session.consent ?? "") } },
    session.state ? badge(`session.${session.state}`, `session-${session.state} small`) : null, " ", consent,
    h("div", { class: "media-sides" }, sides));
}

/** 超期回访: how many 差评/补正 follow-ups are past their deadline, red when any (asked every 30 s). */
async function pollOverdueFollowUps() {
  const link = $("overdue-follow-ups");
  try {
    const result = await get("/api/v1/follow-ups?state=overdue");
    const count = Number(result?.overdue ?? result?.cases?.length ?? 0);
    link.dataset.count = String(count);
    link.classList.toggle("is-alert", count > 0);
    link.title = text(["查看超期的跟进件", "See the overdue cases"]);
    fill(link, h("span", { class: "bi" }, h("span", { class: "zh" }, "超期回访"), h("span", { class: "en", lang: "en" }, "Overdue follow-ups")),
      h("strong", { class: "overdue-badge-count" }, String(count)));
    link.hidden = false;
  } catch {
    link.hidden = true; // not known now: shown again on the next answer
  }
}

/** A new catalog version: item and category names are asked for again. */
async function reloadCatalog() {
  forgetCurrent();
  const [categories, items] = await Promise.allSettled([loadCategories(), allItems()]);
  if (categories.status === "fulfilled") state.categories = categories.value;
  if (items.status === "fulfilled") state.items = items.value;
  render();
}

async function main() {
  const account = await requireAccount(["manager", "admin"]);
  $("me-name").textContent = account.displayName;
  $("me-role").textContent = account.role === "admin" ? text(["管理员", "Admin"]) : text(["值班经理", "Manager"]);

  const [categories, items] = await Promise.allSettled([loadCategories(), allItems(), loadSites()]);
  if (categories.status === "fulfilled") state.categories = categories.value;
  if (items.status === "fulfilled") state.items = items.value;
  render();

  const live = new Live({
    onMessage(type, data) {
      if (type === "board") apply(data);
      if (type === "catalog") reloadCatalog();
    },
    onStatus(status) {
      liveStatus({ ...status, onRetry: () => live.retryNow() });
    },
  });
  live.start();
  window.addEventListener("pagehide", () => live.stop());
  setInterval(render, 1000); // times in state and waits keep running between pushes
  pollOverdueFollowUps();
  setInterval(pollOverdueFollowUps, 30000);
}

mountTopbar();
main().catch((error) => {
  console.error(error);
  showError(error);
});

