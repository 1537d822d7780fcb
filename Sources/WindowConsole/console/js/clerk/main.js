// The clerk's workspace. Everything shown comes from the server's ClerkView: on every (re)connection
// the server sends the current state first, so a reload or a dropped line puts the clerk back on
// the same offer or the same case. Actions go over REST (cookie + CSRF) and their answers are
// rendered too, so the page follows even before the live push arrives.
//
// This module is the page's wiring: it applies what the server says, picks the view to show
// (idle, offer, case, wrap-up; each has its own module) and runs the clock and the connection.
import { get, put, requireAccount } from "../api.js";
import { forgetCurrent, categories as loadCategories } from "../catalog.js";
import { Live } from "../live.js";
import { warmUp } from "../rtc.js";
import { mountTopbar } from "../topbar.js";
import { pair, text } from "../i18n.js";
import { bi, busy, clockText, fill, liveStatus, secondsSince, showError, toast } from "../ui.js";
import { leaveCase, renderCase, tickCase, wireCase } from "./case.js";
import { unlockAudio } from "./chime.js";
import { wireEnding } from "./ending.js";
import { renderMaterials, wireViewer } from "./materials.js";
import { renderOffer, renderOfferItem, tickOffer, wireOffer } from "./offer.js";
import { renderIdle, renderIdleWaiting, renderQueues, renderSkills } from "./queues.js";
import { $, state, store } from "./state.js";
import { readyCamera, releaseCamera, videoLiveReopened, videoSignal, wireVideo } from "./video.js";
import { renderWrapUp, tickWrapUp, wireWrapUp } from "./wrapup.js";

let live = null; // the live connection, once open

// ---------------------------------------------------------------------------------------------
// Applying what the server says.

function applyView(view) {
  if (!view || typeof view !== "object") return;
  // An answer and a push cross on their ways here: the clerk as the ready answer left them must
  // not hide the offer pushed just after it.
  if (state.view && view.sequence < state.view.sequence) return;
  state.view = view;
  if (view.session) {
    store.set("lastSession", { id: view.session.id, number: view.session.number, itemCode: view.session.itemCode, itemVersion: view.session.itemVersion ?? null });
  }
  render();
}

function applyQueues(lines) {
  state.queues = Array.isArray(lines) ? lines : [];
  state.queuesAt = Date.now();
  renderQueues();
  renderIdleWaiting();
}

/**
 * A new catalog version is out: today's items are forgotten and what shows them (an open offer,
 * the skills' names) is drawn again. The case in hand keeps its ticket's item version.
 */
async function applyCatalog(data) {
  forgetCurrent();
  $("work").dataset.catalogVersion = String(data?.version ?? "");
  try {
    state.categories = await loadCategories();
  } catch {
    // keep the names we had
  }
  if (!state.view) return;
  renderSkills();
  renderQueues();
  if (state.view.state === "offered" && state.view.offer) renderOfferItem();
  const version = Number.isInteger(data?.version) ? data.version : null;
  toast(version ? `事项目录已更新为第 ${version} 版 / The catalog was updated to version ${version}` : text("catalog.updated"), "info");
}

function applyMaterials(data) {
  if (!data || data.session !== state.caseSession) return;
  state.materials = data.materials ?? [];
  renderMaterials();
}

// ---------------------------------------------------------------------------------------------
// Rendering.

function render() {
  const view = state.view;
  if (!view) return;
  document.body.classList.remove("is-loading");
  document.body.dataset.state = view.state;

  $("me-name").textContent = view.displayName;
  $("me-window").textContent = view.window;
  fill($("state-badge"), bi(`state.${view.state}`));
  $("state-badge").className = `badge state-${view.state}`;
  renderStateControl();
  renderSkills();
  renderQueues();

  const showing = view.state === "offered" && view.offer ? "offer"
    : view.state === "in-session" && view.session ? "case"
    : view.state === "wrap-up" ? "wrapup"
    : "idle";
  for (const name of ["idle", "offer", "case", "wrapup"]) $(`view-${name}`).hidden = name !== showing;

  if (showing !== "case") leaveCase();
  if (showing === "offer") readyCamera();
  else if (showing !== "case") releaseCamera();
  if (showing === "idle") renderIdle();
  if (showing === "offer") renderOffer();
  else state.offerTicket = null;
  if (showing === "case") renderCase();
  if (showing === "wrapup") renderWrapUp();
  updateTitle(showing);
  tick();
}

function renderStateControl() {
  const current = state.view.state;
  const chosen = current === "away" ? "break" : current === "available" || current === "offline" ? current : null;
  const locked = current === "offered" || current === "in-session";
  for (const button of $("state-control").querySelectorAll("button")) {
    const pressed = button.dataset.choice === chosen;
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    button.disabled = locked;
    button.title = locked ? text(["办理中不能切换状态", "You cannot change state during a case"]) : "";
  }
}

// ---------------------------------------------------------------------------------------------
// Timers and title.

function tick() {
  const view = state.view;
  if (!view) return;
  $("state-timer").textContent = clockText(secondsSince(view.stateSince));
  tickOffer();
  tickWrapUp();
  tickCase();
}

function updateTitle(showing) {
  const base = "工作人员工作台 / Clerk workspace";
  if (showing === "offer") document.title = `【派单 ${state.view.offer.number}】${base}`;
  else if (showing === "case") document.title = `${state.view.session.number} 办理中 · ${base}`;
  else document.title = `${pair(`state.${state.view.state}`)[0]} · ${base}`;
}

// ---------------------------------------------------------------------------------------------
// Wiring.

async function setState(choice, button) {
  unlockAudio();
  await busy(button, async () => {
    try {
      applyView(await put("/api/v1/clerk/state", { state: choice }));
    } catch (error) {
      showError(error);
    }
  });
}

function wire() {
  for (const button of $("state-control").querySelectorAll("button")) {
    button.addEventListener("click", () => setState(button.dataset.choice, button));
  }
  $("idle-go").addEventListener("click", (event) => setState("available", event.currentTarget));

  wireOffer({ applyView, refresh });
  wireEnding({ applyView });
  wireCase();
  wireViewer();
  wireVideo({ send: (message) => live?.send(message) ?? false });
  wireWrapUp({ applyView, refresh });
  setInterval(tick, 250);
  setInterval(renderQueues, 5000); // longest waits keep growing between pushes
}

/** Fetches the clerk's state over REST (after a conflict: someone else moved first). */
async function refresh() {
  try {
    applyView(await get("/api/v1/clerk"));
  } catch {
    // the live connection will bring it
  }
}

async function main() {
  state.account = await requireAccount(["clerk"]);
  wire();
  warmUp();
  try {
    state.categories = await loadCategories();
  } catch {
    state.categories = new Map();
  }
  let everOpen = false;
  live = new Live({
    onMessage(type, data) {
      switch (type) {
        case "clerk": applyView(data); break;
        case "queues": applyQueues(data); break;
        case "materials": applyMaterials(data); break;
        case "catalog": applyCatalog(data); break;
        case "signal": videoSignal(data); break;
        case "error": if (data?.message) toast(data.message, "error"); break;
        default: break; // future messages
      }
    },
    onStatus(status) {
      liveStatus({ ...status, onRetry: () => live.retryNow() });
      if (status.state === "open") {
        if (everOpen) videoLiveReopened();
        everOpen = true;
      }
      if (status.state === "open" && state.caseSession !== null) {
        // Materials uploaded while we were away are not in the snapshot: ask for them.
        const session = state.caseSession;
        get(`/api/v1/sessions/${session}`).then((detail) => applyMaterials({ session, materials: detail.materials })).catch(() => {});
      }
    },
  });
  window.rwLive = live;
  live.start();
  window.addEventListener("pagehide", () => live.stop());
}

mountTopbar();
main().catch((error) => {
  console.error(error);
  showError(error);
});
