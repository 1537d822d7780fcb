// The top bar of the signed-in pages, defined once. A page holds a placeholder
// <header class="topbar" data-page="…">, with its own controls inside it if it has any; this
// module puts the brand and the page's name, who is signed in, the links to the other
// managers' pages, the live connection's dot and the sign-out button around them. Pages that
// get live updates also get the connection banner above the bar (ui.js liveStatus fills both).
import { signOut } from "./api.js";
import { h } from "./ui.js";

/** Pages that show who is signed in, and what each one shows besides the name. */
const PAGES = {
  clerk: { title: ["工作人员工作台", "Clerk workspace"], who: "window", live: true, links: [] },
  board: { title: ["值班看板", "Manager board"], who: "role", live: true, links: ["sites", "clerks", "catalog", "reports", "follow-ups"] },
  clerks: { title: ["工作人员管理", "Clerks"], links: ["board", "sites", "catalog", "reports", "follow-ups"] },
  catalog: { title: ["事项目录管理", "Catalog"], who: "role", live: true, links: ["board", "sites", "clerks", "reports", "follow-ups"] },
  sites: { title: ["站点与终端", "Sites and kiosks"], who: "role", live: true, links: ["board", "clerks", "catalog", "reports", "follow-ups"] },
  reports: { title: ["统计报表", "Reports"], who: "role", links: ["board", "sites", "clerks", "catalog", "follow-ups"] },
  "follow-ups": { title: ["差评与补正跟进", "Follow-ups"], who: "role", links: ["board", "sites", "clerks", "catalog", "reports"] },
};

const LINKS = {
  board: { href: "/console/board.html", label: ["值班看板", "Board"] },
  clerks: { href: "/console/clerks.html", label: ["工作人员管理", "Clerks"] },
  sites: { href: "/console/sites.html", label: ["站点与终端", "Sites"] },
  catalog: { href: "/console/catalog.html", label: ["事项目录", "Catalog"] },
  reports: { href: "/console/reports.html", label: ["统计报表", "Reports"] },
  "follow-ups": { href: "/console/follow-ups.html", label: ["回访跟进", "Follow-ups"] },
};

/** Chinese, then English: <span class="zh">…</span><span class="en" lang="en">…</span>. */
function both([zh, en]) {
  return [h("span", { class: "zh" }, zh), h("span", { class: "en", lang: "en" }, en)];
}

function who(kind) {
  const extra = kind === "window"
    ? h("span", { class: "who-window" }, h("span", { class: "zh" }, "窗口"), " ", h("span", { class: "en", lang: "en" }, "Window"), " ", h("strong", { id: "me-window" }))
    : kind === "role" ? h("span", { id: "me-role", class: "muted" }) : null;
  return h("div", { class: "who" }, h("span", { id: "me-name", class: "who-name" }), extra);
}

/**
 * Fills the page's top bar around what the page put in it, and wires sign-out. Call it before
 * anything looks for #me-name, #conn or #sign-out.
 */
export function mountTopbar() {
  const bar = document.querySelector("header.topbar[data-page]");
  const page = PAGES[bar?.dataset.page];
  if (!page) throw new Error(`no top bar for this page: ${bar?.dataset.page}`);

  const brand = h("div", { class: "brand" },
    h("div", { class: "brand-mark", "aria-hidden": "true" }, "窗"),
    h("div", { class: "bi brand-text" }, both(page.title)));
  const signOutButton = h("button", { id: "sign-out", type: "button", class: "btn btn-ghost" }, h("span", { class: "bi" }, both(["退出", "Sign out"])));
  signOutButton.addEventListener("click", () => signOut());
  const end = h("div", { class: "topbar-end" },
    page.links.map((name) => h("a", { class: "btn btn-ghost", href: LINKS[name].href }, h("span", { class: "bi" }, both(LINKS[name].label)))),
    page.live ? h("span", { id: "conn", class: "conn", dataset: { state: "connecting" } }) : null,
    signOutButton);

  bar.prepend(brand, who(page.who));
  bar.append(end);
  if (page.live) bar.before(h("div", { id: "banner", class: "banner", role: "status", "aria-live": "assertive", hidden: true }));
}
