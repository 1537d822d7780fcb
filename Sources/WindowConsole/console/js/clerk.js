// The clerk's workspace. Everything shown comes from the server's ClerkView: on every (re)connection
// the server sends the current state first, so a reload or a dropped line puts the clerk back on
// the same offer or the same case. Actions go over REST (cookie + CSRF) and their answers are
// rendered too, so the page follows even before the live push arrives.
import { get, post, put, requireAccount, signOut, ApiError } from "./api.js";
import { categories as loadCategories, item as loadItem } from "./catalog.js";
import { Live } from "./live.js";
import { pair, text } from "./i18n.js";
import {
  badge, bi, busy, clockText, durationPair, fill, h, liveStatus, message, named, secondsSince, secondsUntil,
  showError, sizeText, timeText, toast,
} from "./ui.js";

const $ = (id) => document.getElementById(id);

const state = {
  account: null,
  view: null, // the latest ClerkView
  queues: [], // the latest QueueLine list
  queuesAt: Date.now(),
  categories: new Map(),
  caseSession: null, // id of the session the case panel shows
  materials: [],
  outcome: null,
  confirmArmed: false,
  viewing: null, // material id in the viewer
  blobs: new Map(), // material id → object URL
  offerTicket: null,
  offerTotal: 30,
  lastCaseLoadedFor: null,
};

// ---------------------------------------------------------------------------------------------
// Storage that survives a reload of this tab: notes being typed, ticked checklist lines, the last case.
// Keys carry the account, so another clerk signing in on the same tab starts clean.

const key = (name) => `rw.${state.account?.id ?? 0}.${name}`;
const store = {
  get(name, fallback) {
    try {
      const raw = sessionStorage.getItem(key(name));
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(name, value) {
    try {
      sessionStorage.setItem(key(name), JSON.stringify(value));
    } catch {
      // storage full or disabled: the page still works, it just forgets on reload
    }
  },
  remove(name) {
    try {
      sessionStorage.removeItem(key(name));
    } catch {
      // ignore
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Applying what the server says.

function applyView(view) {
  if (!view || typeof view !== "object") return;
  state.view = view;
  if (view.session) {
    store.set("lastSession", { id: view.session.id, number: view.session.number, itemCode: view.session.itemCode });
  }
  render();
}

function applyQueues(lines) {
  state.queues = Array.isArray(lines) ? lines : [];
  state.queuesAt = Date.now();
  renderQueues();
  renderIdleWaiting();
}

function applyMaterials(data) {
  if (!data || data.session !== state.caseSession) return;
  state.materials = data.materials ?? [];
  renderMaterials();
}

// ---------------------------------------------------------------------------------------------
// Rendering.

function categoryName(code) {
  const category = state.categories.get(code);
  return category ? named(category.name) : bi([code, ""]);
}

function categoryLetter(code) {
  return state.categories.get(code)?.letter ?? "";
}

function priorityBadge(reason) {
  if (!reason) return null;
  return badge(`priority.${reason}`, `priority priority-${reason}`);
}

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

function renderSkills() {
  const list = $("skills");
  const skills = state.view.skills ?? [];
  fill(list, skills.length === 0
    ? h("li", { class: "muted" }, bi("queues.empty"))
    : skills.map((code) => h("li", { class: "tag" }, h("span", { class: "letter" }, categoryLetter(code)), categoryName(code))));
}

function renderQueues() {
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

function renderIdle() {
  const current = state.view.state;
  const kind = current === "available" ? "available" : current === "away" ? "away" : "offline";
  $("view-idle").dataset.kind = kind;
  fill($("idle-title"), bi(`idle.${kind}.title`));
  fill($("idle-body"), bi(`idle.${kind}.body`));
  $("idle-go").hidden = kind === "available";
  renderIdleWaiting();
}

function renderIdleWaiting() {
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

// --- Offer -----------------------------------------------------------------------------------

function renderOffer() {
  const offer = state.view.offer;
  const isNew = state.offerTicket !== offer.ticket;
  state.offerTicket = offer.ticket;
  state.offerTotal = Math.max(1, (Date.parse(offer.expiresAt) - Date.parse(offer.madeAt)) / 1000);
  $("view-offer").dataset.ticket = String(offer.ticket);
  $("offer-number").textContent = offer.number;
  fill($("offer-item"), bi([offer.itemCode, ""]));
  fill($("offer-meta"),
    h("span", { class: "chip" }, h("span", { class: "letter" }, categoryLetter(offer.category)), categoryName(offer.category)),
    h("span", { class: "chip mono" }, offer.itemCode),
    priorityBadge(offer.priorityReason),
    h("span", { class: "chip", id: "offer-waited" }));
  loadItem(offer.itemCode).then((item) => {
    if (state.offerTicket === offer.ticket) fill($("offer-item"), named(item.name));
  }).catch(() => {});
  $("offer-accept").disabled = false;
  $("offer-decline").disabled = false;
  if (isNew) {
    chime();
    $("offer-accept").focus({ preventScroll: true });
  }
}

function tickOffer() {
  const offer = state.view?.offer;
  if (!offer || $("view-offer").hidden) return;
  const left = Math.max(0, secondsUntil(offer.expiresAt));
  $("offer-seconds").textContent = String(Math.ceil(left));
  $("offer-progress").value = Math.round((left / state.offerTotal) * 1000);
  $("view-offer").classList.toggle("is-urgent", left <= 10);
  const waited = $("offer-waited");
  if (waited) {
    // waitedSeconds was measured when the view was made (at the offer, or at a later push).
    const [zh, en] = durationPair(offer.waitedSeconds + Math.max(0, secondsSince(offer.madeAt)));
    fill(waited, h("span", { class: "bi" }, h("span", { class: "zh" }, `已等候 ${zh}`), h("span", { class: "en", lang: "en" }, `waited ${en}`)));
  }
}

// --- Case ------------------------------------------------------------------------------------

function renderCase() {
  const session = state.view.session;
  if (state.caseSession !== session.id) startCase(session);
  $("view-case").dataset.session = String(session.id);
  $("case-number").textContent = session.number;
  fill($("case-state"), badge(`session.${session.state}`, `session-${session.state}`));
  fill($("case-kiosk"), h("span", { class: `presence ${session.kioskPresent ? "is-here" : "is-gone"}` },
    bi(session.kioskPresent ? "case.kioskHere" : "case.kioskGone")));
}

function startCase(session) {
  leaveCase();
  state.caseSession = session.id;
  state.caseCategory = null;
  state.materials = [];
  state.outcome = null;
  state.confirmArmed = false;
  fill($("case-item"), bi([session.itemCode, ""]));
  fill($("case-meta"), h("span", { class: "chip mono" }, session.itemCode), priorityBadge(session.priorityReason),
    session.idNumberMasked ? h("span", { class: "chip mono" }, `${pair("case.idNumber")[0]} ${session.idNumberMasked}`) : null);
  fill($("checklist"), h("li", { class: "muted" }, bi("material.loading")));
  fill($("guide"));
  fill($("item-facts"));
  $("notes").value = store.get(`notes.${session.id}`, "");
  $("transfer").open = false;
  renderOutcomes();
  renderMaterials();

  loadItem(session.itemCode).then((item) => {
    if (state.caseSession === session.id) renderItem(item, session);
  }).catch(() => {
    if (state.caseSession === session.id) fill($("checklist"), h("li", { class: "muted" }, bi("case.noItem")));
  });
  get(`/api/v1/sessions/${session.id}`).then((detail) => {
    if (state.caseSession !== session.id) return;
    state.materials = detail.materials ?? [];
    if (!$("notes").value && detail.notes) $("notes").value = detail.notes;
    renderMaterials();
  }).catch(showError);
  loadTransferTargets();
}

function leaveCase() {
  if (state.caseSession === null) return;
  state.caseSession = null;
  closeViewer();
  for (const url of state.blobs.values()) URL.revokeObjectURL(url);
  state.blobs.clear();
}

function renderItem(item, session) {
  state.caseCategory = item.category;
  fill($("case-item"), named(item.name));
  fill($("case-meta"),
    h("span", { class: "chip mono" }, item.code),
    h("span", { class: "chip" }, h("span", { class: "letter" }, categoryLetter(item.category)), categoryName(item.category)),
    item.department ? h("span", { class: "chip" }, named(item.department)) : null,
    h("span", { class: "chip" }, bi([`预计 ${item.expectedMinutes} 分钟`, `${item.expectedMinutes} min expected`])),
    priorityBadge(session.priorityReason),
    session.idNumberMasked ? h("span", { class: "chip mono" }, `${pair("case.idNumber")[0]} ${session.idNumberMasked}`) : null);

  const ticks = store.get(`check.${session.id}`, {});
  fill($("checklist"), (item.materials ?? []).map((entry, index) => {
    const box = h("input", { type: "checkbox", id: `check-${index}` });
    box.checked = Boolean(ticks[index]);
    box.addEventListener("change", () => {
      const current = store.get(`check.${session.id}`, {});
      current[index] = box.checked;
      store.set(`check.${session.id}`, current);
      line.classList.toggle("is-checked", box.checked);
    });
    const line = h("li", { class: `check ${box.checked ? "is-checked" : ""}` },
      box,
      h("label", { for: `check-${index}` },
        named(entry.name),
        h("span", { class: "check-tags" },
          badge(entry.form === "copy" ? "material.copy" : "material.original", "tag-form"),
          badge(entry.required ? "material.required" : "material.optional", entry.required ? "tag-required" : "tag-optional"))));
    return line;
  }));
  if ((item.materials ?? []).length === 0) fill($("checklist"), h("li", { class: "muted" }, bi(["本事项无需材料", "No materials needed"])));

  const guide = item.guide ?? {};
  fill($("guide"), guide.zh ? h("p", { lang: "zh-CN" }, guide.zh) : null, guide.en ? h("p", { class: "en-block", lang: "en" }, guide.en) : null);

  const facts = [];
  const fact = (label, value) => {
    if (!value) return;
    facts.push(h("div", { class: "fact" }, h("dt", {}, bi(label)), h("dd", {}, value)));
  };
  fact(["受理条件", "Conditions"], item.conditions?.zh || item.conditions?.en ? named(item.conditions) : null);
  if (item.fee) {
    const fee = item.fee.yuan > 0 ? `¥${item.fee.yuan}` : null;
    fact(["收费", "Fee"], h("span", {}, fee ? `${fee} ` : "", item.fee.note ? named(item.fee.note) : bi(["不收费", "Free"])));
  }
  fact(["设定依据", "Legal basis"], typeof item.legalBasis === "string" ? item.legalBasis : item.legalBasis ? named(item.legalBasis) : null);
  fill($("item-facts"), facts);
}

// --- Materials -------------------------------------------------------------------------------

const REASONS = ["reason.illegible", "reason.incomplete", "reason.expired", "reason.wrongDocument", "reason.notOriginal"];

function sortedMaterials() {
  return [...state.materials].sort((a, b) => a.id - b.id);
}

function renderMaterials() {
  const list = $("material-list");
  const materials = sortedMaterials();
  const reviewed = materials.filter((m) => m.status !== "pending").length;
  $("materials-count").textContent = materials.length ? `${reviewed}/${materials.length}` : "";
  $("materials-count").title = text(["已审核 / 总数", "Reviewed / total"]);
  if (materials.length === 0) {
    fill(list, h("li", { class: "empty muted" }, bi("material.none")));
  } else {
    // Keep rows that exist (a reason being typed must survive a live update); update their status.
    const existing = new Map([...list.querySelectorAll("li.material")].map((li) => [Number(li.dataset.id), li]));
    list.replaceChildren(...materials.map((material) => {
      const row = existing.get(material.id) ?? materialRow(material);
      updateReviewable(row, material);
      return row;
    }));
  }
  if (state.viewing !== null) {
    const shown = materials.find((m) => m.id === state.viewing);
    if (shown) updateViewer(shown);
    else closeViewer();
  }
  renderOutcomes();
}

/**
 * Accept and reject buttons with the reason form, for a list row or the viewer. The element
 * returned holds the status badge, the reason and the controls; updateReviewable() refreshes it.
 */
function reviewControls(materialId) {
  const acceptButton = h("button", { type: "button", class: "btn btn-small btn-accept act-accept" }, bi("material.accept"));
  const rejectButton = h("button", { type: "button", class: "btn btn-small btn-reject act-reject" }, bi("material.reject"));
  const reason = h("input", { type: "text", class: "reject-reason", maxlength: 500, placeholder: text("material.reason"), "aria-label": text("material.reason") });
  const chips = REASONS.map((key) => h("button", { type: "button", class: "reason-chip", onclick: () => {
    reason.value = reason.value ? `${reason.value}；${pair(key)[0]}` : pair(key)[0];
    reason.classList.remove("is-invalid");
    reason.focus();
  } }, bi(key)));
  const confirm = h("button", { type: "submit", class: "btn btn-small btn-reject act-confirm-reject" }, bi("material.confirmReject"));
  const cancel = h("button", { type: "button", class: "btn btn-small btn-ghost" }, bi("material.cancel"));
  const form = h("form", { class: "reject-form", hidden: true, novalidate: true },
    h("div", { class: "reason-chips" }, chips), h("div", { class: "reject-row" }, reason, confirm, cancel));

  acceptButton.addEventListener("click", () => busy(acceptButton, () => review(materialId, "accepted")));
  rejectButton.addEventListener("click", () => {
    form.hidden = !form.hidden;
    if (!form.hidden) reason.focus();
  });
  cancel.addEventListener("click", () => {
    form.hidden = true;
    reason.value = "";
    reason.classList.remove("is-invalid");
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const why = reason.value.trim();
    if (!why) {
      reason.classList.add("is-invalid");
      toast(text("material.reasonRequired"), "error");
      reason.focus();
      return;
    }
    reason.classList.remove("is-invalid");
    busy(confirm, async () => {
      if (await review(materialId, "rejected", why)) {
        form.hidden = true;
        reason.value = "";
      }
    });
  });
  return { buttons: [acceptButton, rejectButton], form };
}

function materialRow(material) {
  const isPdf = material.contentType === "application/pdf";
  const viewButton = h("button", { type: "button", class: "btn btn-small btn-secondary act-view" }, bi("material.view"));
  viewButton.addEventListener("click", () => openViewer(material.id));
  const controls = reviewControls(material.id);
  return h("li", { class: "material", dataset: { id: material.id } },
    h("div", { class: "material-main" },
      h("span", { class: `file-icon ${isPdf ? "is-pdf" : "is-image"}`, "aria-hidden": "true" }, isPdf ? "PDF" : "IMG"),
      h("div", { class: "material-text" },
        h("div", { class: "material-name" }, material.name),
        h("div", { class: "material-sub muted" }, `${(material.contentType.split("/")[1] ?? "").toUpperCase()} · ${sizeText(material.size)} · ${timeText(material.uploadedAt)}`),
        h("div", { class: "material-reason" })),
      h("span", { class: "material-status" }),
      h("div", { class: "material-actions" }, viewButton, controls.buttons)),
    controls.form);
}

/** Refreshes status, reason and buttons inside a row or the viewer. */
function updateReviewable(container, material) {
  container.dataset.status = material.status;
  const status = container.querySelector(".material-status");
  if (status) fill(status, badge(`material.${material.status}`, `status-${material.status}`));
  const reason = container.querySelector(".material-reason");
  if (reason) {
    if (material.status === "rejected" && material.reason) fill(reason, `退回原因 Reason: ${material.reason}`);
    else fill(reason);
  }
  const accept = container.querySelector(".act-accept");
  if (accept) accept.disabled = material.status === "accepted";
}

async function review(materialId, status, reason) {
  const session = state.caseSession;
  try {
    const updated = await post(`/api/v1/sessions/${session}/materials/${materialId}/review`, reason ? { status, reason } : { status });
    if (state.caseSession === session && updated?.id !== undefined) {
      state.materials = state.materials.map((m) => (m.id === updated.id ? updated : m));
      renderMaterials();
    }
    return true;
  } catch (error) {
    showError(error);
    return false;
  }
}

/** The viewer: the file large enough to read, with the same review controls. */
async function openViewer(materialId) {
  const material = state.materials.find((m) => m.id === materialId);
  const session = state.caseSession;
  if (!material) return;
  state.viewing = materialId;
  const dialog = $("viewer");
  const materials = sortedMaterials();
  const index = materials.findIndex((m) => m.id === materialId);
  $("viewer-position").textContent = `${index + 1} / ${materials.length}`;
  $("viewer-prev").disabled = index <= 0;
  $("viewer-next").disabled = index >= materials.length - 1;
  $("viewer-name").textContent = material.name;
  $("viewer-open").hidden = true;
  const controls = reviewControls(material.id);
  const reviewBox = $("viewer-review");
  fill(reviewBox, h("div", { class: "material-reason" }), h("div", { class: "viewer-actions" }, controls.buttons), controls.form);
  reviewBox.dataset.id = String(material.id);
  updateViewer(material);
  fill($("viewer-body"), h("p", { class: "muted" }, bi("material.loading")));
  if (!dialog.open) dialog.showModal();

  let url = state.blobs.get(materialId);
  if (!url) {
    try {
      const blob = await get(`/api/v1/sessions/${session}/materials/${materialId}`, { as: "blob" });
      if (state.caseSession !== session) return;
      url = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: material.contentType }));
      state.blobs.set(materialId, url);
    } catch (error) {
      if (state.viewing === materialId) fill($("viewer-body"), h("p", { class: "warning" }, message(error.message || text("material.loadFailed"))));
      return;
    }
  }
  if (state.viewing !== materialId) return;
  const open = $("viewer-open");
  open.href = url;
  open.hidden = false;
  if (material.contentType === "application/pdf") {
    fill(open, bi("material.openPdf"));
    fill($("viewer-body"), h("a", { class: "pdf-link", href: url, target: "_blank", rel: "noopener" },
      h("span", { class: "file-icon is-pdf big" }, "PDF"),
      h("span", {}, bi("material.openPdf"), h("span", { class: "muted" }, ` ${material.name} · ${sizeText(material.size)}`))));
  } else {
    fill(open, bi(["新标签页打开", "Open in new tab"]));
    fill($("viewer-body"), h("a", { href: url, target: "_blank", rel: "noopener", title: text("material.openFull") },
      h("img", { src: url, alt: material.name, class: "viewer-image" })));
  }
}

function updateViewer(material) {
  fill($("viewer-status"), badge(`material.${material.status}`, `status-${material.status}`));
  updateReviewable($("viewer-review"), material);
}

function stepViewer(delta) {
  const materials = sortedMaterials();
  const index = materials.findIndex((m) => m.id === state.viewing);
  const next = materials[index + delta];
  if (next) openViewer(next.id);
}

function closeViewer() {
  state.viewing = null;
  const dialog = $("viewer");
  if (dialog.open) dialog.close();
  fill($("viewer-body"));
  fill($("viewer-review"));
}

// --- Ending and transferring -----------------------------------------------------------------

function renderOutcomes() {
  for (const button of $("outcomes").querySelectorAll("button")) {
    button.setAttribute("aria-checked", button.dataset.outcome === state.outcome ? "true" : "false");
  }
  $("end-session").disabled = state.outcome === null;
  const pending = state.materials.filter((m) => m.status === "pending").length;
  const warn = state.confirmArmed && state.outcome === "completed" && pending > 0;
  $("end-warning").hidden = !warn;
  if (warn) fill($("end-warning"), bi("case.pendingWarning"));
  if (!warn) state.confirmArmed = false;
}

async function endSession(button) {
  const session = state.caseSession;
  if (session === null || !state.outcome) return;
  const pending = state.materials.filter((m) => m.status === "pending").length;
  if (state.outcome === "completed" && pending > 0 && !state.confirmArmed) {
    state.confirmArmed = true;
    renderOutcomes();
    return;
  }
  const notes = $("notes").value.trim();
  await busy(button, async () => {
    try {
      const view = await post(`/api/v1/sessions/${session}/end`, notes ? { outcome: state.outcome, notes } : { outcome: state.outcome });
      store.remove(`notes.${session}`);
      store.remove(`check.${session}`);
      applyView(view);
    } catch (error) {
      showError(error);
    }
  });
}

async function loadTransferTargets() {
  const select = $("transfer-target");
  const chosen = select.value;
  const options = [h("option", { value: "" }, text("case.chooseTarget"))];
  const skills = h("optgroup", { label: text("case.toSkill") });
  for (const [code, category] of state.categories) {
    skills.append(h("option", { value: `category:${code}` }, `${category.letter} · ${category.name.zh} / ${category.name.en}`));
  }
  options.push(skills);
  try {
    const colleagues = await get("/api/v1/clerk/colleagues");
    const list = Array.isArray(colleagues) ? colleagues : colleagues?.clerks ?? [];
    const group = h("optgroup", { label: text("case.toClerk") });
    for (const colleague of list) {
      if (colleague.id === state.view?.id) continue;
      // The server has the last word (a clerk may serve single items beyond their skills);
      // colleagues without the case's skill are marked, not hidden.
      const skilled = !state.caseCategory || (colleague.skills ?? []).includes(state.caseCategory);
      const [zh, en] = pair(`state.${colleague.state}`);
      group.append(h("option", { value: `clerk:${colleague.id}` },
        `${colleague.displayName} · 窗口 ${colleague.window} · ${zh} / ${en}${skilled ? "" : " · 无此技能 / lacks the skill"}`));
    }
    if (group.children.length) options.push(group);
  } catch {
    // no colleagues list: transfer to a skill still works
  }
  fill(select, options);
  if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
}

async function transfer(button) {
  const session = state.caseSession;
  const target = $("transfer-target").value;
  if (session === null) return;
  if (!target) {
    toast(text("case.chooseTarget"), "error");
    $("transfer-target").focus();
    return;
  }
  const [kind, value] = target.split(":");
  const body = kind === "clerk" ? { clerk: Number(value) } : { category: value };
  const notes = $("notes").value.trim();
  if (notes) body.notes = notes;
  await busy(button, async () => {
    try {
      const view = await post(`/api/v1/sessions/${session}/transfer`, body);
      store.remove(`notes.${session}`);
      store.remove(`check.${session}`);
      toast(text("case.transferred"), "info");
      applyView(view);
    } catch (error) {
      showError(error);
    }
  });
}

// --- Wrap-up ---------------------------------------------------------------------------------

function renderWrapUp() {
  const last = store.get("lastSession", null);
  const box = $("last-case");
  if (!last) {
    box.hidden = true;
    return;
  }
  if (state.lastCaseLoadedFor === last.id) return;
  state.lastCaseLoadedFor = last.id;
  box.hidden = false;
  fill(box, h("span", { class: "muted" }, bi("wrap.last")), h("strong", { class: "mono" }, last.number), h("span", { class: "last-item" }, last.itemCode));
  loadItem(last.itemCode).then((item) => {
    const name = box.querySelector(".last-item");
    if (name) fill(name, named(item.name));
  }).catch(() => {});
  get(`/api/v1/sessions/${last.id}`).then((detail) => {
    if (state.lastCaseLoadedFor !== last.id) return;
    if (detail.outcome) box.append(badge(`outcome.${detail.outcome}`, `result result-${detail.outcome}`));
    if (detail.caseNumber) {
      box.append(h("span", { class: "case-number" }, h("span", { class: "muted" }, bi("wrap.caseNumber")), " ", h("strong", { class: "mono", id: "last-case-number" }, detail.caseNumber)));
    }
  }).catch(() => {});
}

function tickWrapUp() {
  const view = state.view;
  if (!view || view.state !== "wrap-up" || !view.wrapUpUntil) return;
  const left = Math.max(0, secondsUntil(view.wrapUpUntil));
  const total = Math.max(1, (Date.parse(view.wrapUpUntil) - Date.parse(view.stateSince)) / 1000);
  $("wrapup-seconds").textContent = clockText(left);
  $("wrapup-progress").value = Math.round((left / total) * 1000);
}

// ---------------------------------------------------------------------------------------------
// Timers, title and sound.

function tick() {
  const view = state.view;
  if (!view) return;
  $("state-timer").textContent = clockText(secondsSince(view.stateSince));
  tickOffer();
  tickWrapUp();
  if (view.session && !$("view-case").hidden) $("case-timer").textContent = clockText(secondsSince(view.session.startedAt));
}

function updateTitle(showing) {
  const base = "坐席工作台 / Clerk workspace";
  if (showing === "offer") document.title = `【派单 ${state.view.offer.number}】${base}`;
  else if (showing === "case") document.title = `${state.view.session.number} 办理中 · ${base}`;
  else document.title = `${pair(`state.${state.view.state}`)[0]} · ${base}`;
}

let audio = null;
function chime() {
  // A short two-tone chime so an offer is noticed when eyes are elsewhere (needs a prior click).
  try {
    audio ??= new AudioContext();
    if (audio.state !== "running") return;
    const start = audio.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.18, 1175]]) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.18);
    }
  } catch {
    // no audio: the offer is still on screen
  }
}

function unlockAudio() {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") audio.resume();
  } catch {
    // ignore
  }
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
  $("sign-out").addEventListener("click", () => signOut());

  $("offer-accept").addEventListener("click", (event) => {
    const ticket = state.view?.offer?.ticket;
    if (ticket === undefined) return;
    unlockAudio();
    busy(event.currentTarget, async () => {
      $("offer-decline").disabled = true;
      try {
        applyView(await post("/api/v1/clerk/offer/accept", { ticket }));
      } catch (error) {
        showError(error);
        if (error instanceof ApiError && error.status === 409) refresh();
      } finally {
        $("offer-decline").disabled = false;
      }
    });
  });
  $("offer-decline").addEventListener("click", (event) => {
    const ticket = state.view?.offer?.ticket;
    if (ticket === undefined) return;
    busy(event.currentTarget, async () => {
      try {
        applyView(await post("/api/v1/clerk/offer/decline", { ticket }));
      } catch (error) {
        showError(error);
      }
    });
  });

  for (const button of $("outcomes").querySelectorAll("button")) {
    button.addEventListener("click", () => {
      state.outcome = button.dataset.outcome;
      state.confirmArmed = false;
      renderOutcomes();
    });
  }
  $("end-session").addEventListener("click", (event) => endSession(event.currentTarget));
  $("transfer-go").addEventListener("click", (event) => transfer(event.currentTarget));
  $("transfer").addEventListener("toggle", () => {
    if ($("transfer").open) loadTransferTargets();
  });
  $("notes").addEventListener("input", () => {
    if (state.caseSession !== null) store.set(`notes.${state.caseSession}`, $("notes").value);
  });
  $("viewer-close").addEventListener("click", closeViewer);
  $("viewer-prev").addEventListener("click", () => stepViewer(-1));
  $("viewer-next").addEventListener("click", () => stepViewer(1));
  $("viewer").addEventListener("close", () => {
    state.viewing = null;
  });
  $("viewer").addEventListener("click", (event) => {
    if (event.target === $("viewer")) closeViewer(); // a click on the backdrop
  });
  $("ready").addEventListener("click", (event) => {
    busy(event.currentTarget, async () => {
      try {
        applyView(await post("/api/v1/clerk/ready"));
      } catch (error) {
        showError(error);
        if (error instanceof ApiError && error.status === 409) refresh();
      }
    });
  });
  document.addEventListener("keydown", (event) => {
    if (state.viewing === null || event.target instanceof HTMLInputElement) return;
    if (event.key === "ArrowLeft") stepViewer(-1);
    if (event.key === "ArrowRight") stepViewer(1);
  });
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
  try {
    state.categories = await loadCategories();
  } catch {
    state.categories = new Map();
  }
  const live = new Live({
    onMessage(type, data) {
      switch (type) {
        case "clerk": applyView(data); break;
        case "queues": applyQueues(data); break;
        case "materials": applyMaterials(data); break;
        case "error": if (data?.message) toast(data.message, "error"); break;
        default: break; // signaling and future messages
      }
    },
    onStatus(status) {
      liveStatus({ ...status, onRetry: () => live.retryNow() });
      if (status.state === "open" && state.caseSession !== null) {
        // Materials uploaded while we were away are not in the snapshot: ask for them.
        const session = state.caseSession;
        get(`/api/v1/sessions/${session}`).then((detail) => applyMaterials({ session, materials: detail.materials })).catch(() => {});
      }
    },
  });
  live.start();
  window.addEventListener("pagehide", () => live.stop());
}

main().catch((error) => {
  console.error(error);
  showError(error);
});
