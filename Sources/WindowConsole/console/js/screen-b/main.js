// Screen B: the kiosk's second screen, the worker's side of the video call. It is paired with one
// kiosk by a one-time link (#pair=CODE, exchanged for an httpOnly cookie), then follows what the
// kiosk's screen A follows over the live connection: idle, or the ticket and, in a session, the
// call with the clerk. A revoked pairing (4401, or 401 from /me) shows the not-paired screen and
// nothing else happens.
import { ApiError, get, post, setCsrfToken } from "../api.js";
import { Live } from "../live.js";
import { warmUp } from "../rtc.js";
import { bi, fill } from "../ui.js";
import { ScreenBCall } from "./call.js";
import { renderSite, renderTicket } from "./idle.js";

const $ = (id) => document.getElementById(id);
const VIEWS = ["loading", "unpaired", "idle", "consent", "call"];

const page = {
  me: null,
  ticket: null,
  live: null,
  call: null,
  unpaired: false,
};

function show(view) {
  document.body.dataset.view = view;
  for (const name of VIEWS) $(`view-${name}`).hidden = name !== view;
}

const UNPAIRED = {
  unpaired: [["未配对", "Not paired"], ["请在自助终端上打开本屏幕的配对链接。", "Open this screen's pairing link from the kiosk."]],
  invalid: [["配对链接无效或已过期", "The pairing link is invalid or has expired"], ["请在自助终端上重新生成配对链接。", "Make a new pairing link on the kiosk."]],
  revoked: [["未配对", "Not paired"], ["此屏幕的配对已失效（已被撤销，或终端已配对了另一屏幕）。", "This screen's pairing has ended (revoked, or the kiosk paired another screen)."]],
};

function showUnpaired(reason) {
  page.unpaired = true;
  page.live?.stop();
  page.call?.end();
  setCsrfToken(null);
  const [title, body] = UNPAIRED[reason] ?? UNPAIRED.unpaired;
  $("view-unpaired").dataset.reason = reason;
  fill($("unpaired-title"), bi(title));
  fill($("unpaired-body"), bi(body));
  fill($("site-name"));
  show("unpaired");
}

/** Pairs with the code in the fragment (then drops it from the address), or asks who we are. */
async function identify() {
  const code = new URLSearchParams(location.hash.replace(/^#/, "")).get("pair");
  if (code) {
    history.replaceState(null, "", location.pathname + location.search);
    try {
      return await post("/api/v1/screen-b/pair", { code }, { redirectOn401: false });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400 || error.status === 401)) {
        showUnpaired("invalid");
        return null;
      }
      throw error;
    }
  }
  try {
    return await get("/api/v1/screen-b/me", { redirectOn401: false });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
      showUnpaired("unpaired");
      return null;
    }
    throw error;
  }
}

function applyMe(me) {
  page.me = me;
  setCsrfToken(me.csrf);
  renderSite(me.site);
}

function applyTicket(ticket) {
  page.ticket = ticket;
  renderTicket(ticket);
  if (!page.call.follow(ticket)) show("idle");
}

function onMessage(type, data) {
  if (page.unpaired) return;
  switch (type) {
    case "idle": applyTicket(null); break;
    case "ticket": applyTicket(data); break;
    case "signal": page.call.receive(data); break;
    case "capture": page.call.capture(data); break;
    default: break;
  }
}

async function onUnauthorized({ code }) {
  if (code === 4401) {
    showUnpaired("revoked");
    return true;
  }
  try {
    await get("/api/v1/screen-b/me", { redirectOn401: false });
    return false; // still paired: the refusal was something else; retry
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
      showUnpaired("revoked");
      return true;
    }
    return false;
  }
}

function tickClock() {
  $("clock").textContent = new Date().toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false });
}

async function main() {
  // A pairing link opened in this tab while it is already showing: start over with it.
  window.addEventListener("hashchange", () => {
    if (new URLSearchParams(location.hash.replace(/^#/, "")).has("pair")) location.reload();
  });
  show("loading");
  tickClock();
  setInterval(tickClock, 10000);
  const me = await identify();
  if (!me) return;
  applyMe(me);
  show("idle");
  renderTicket(null);
  warmUp();

  let everOpen = false;
  const live = new Live({
    onMessage,
    onUnauthorized,
    onStatus(status) {
      $("conn").dataset.state = status.state;
      fill($("conn"), bi(status.state === "open" ? ["已连接", "Online"] : ["正在连接…", "Connecting…"]));
      if (status.state === "open") {
        if (everOpen) page.call.liveReopened();
        everOpen = true;
      }
    },
  });
  page.live = live;
  page.call = new ScreenBCall({ send: (message) => live.send(message), show });
  window.rwLive = live;
  live.start();
  window.addEventListener("pagehide", () => {
    page.call.end();
    live.stop();
  });
  // The site's "open now" and the hours of a new day.
  setInterval(async () => {
    if (page.unpaired) return;
    try {
      applyMe(await get("/api/v1/screen-b/me", { redirectOn401: false }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) showUnpaired("revoked");
    }
  }, 60000);
}

main().catch((error) => {
  console.error(error);
  show("unpaired");
  $("view-unpaired").dataset.reason = "error";
  fill($("unpaired-title"), bi(["无法连接服务器", "Cannot reach the server"]));
  fill($("unpaired-body"), bi(["请稍后刷新本页面。", "Reload this page in a moment."]));
});
