// 补正 in the clerk's workspace (docs/follow-up.md):
// - ending a case as 补正, what is missing, from the item's materials list: by default the required
//   ones not ticked in the checklist (免提交 materials are never asked for); the clerk may change it;
// - in the wrap-up, the reference (the case number) to read to the applicant, what is missing and
//   until when they may come back;
// - when the case in hand is a worker back with the materials, a banner with the earlier session's
//   notes, what was missing and the materials handed over then (viewable like this session's).
import { get } from "../api.js";
import { shanghaiDeadline, shanghaiTime } from "../follow-up-format.js";
import { text } from "../i18n.js";
import { badge, bi, fill, h, message, named, sizeText } from "../ui.js";
import { $, state, store } from "./state.js";

// ------------------------------------------------------------------------------------ ending as 补正

/** The item's materials the applicant brings (not the 免提交 ones), with their place in the checklist. */
function candidates() {
  return (state.caseItem?.materials ?? []).map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.source !== "dataSharing");
}

/** The clerk's own choices in the missing list (index → missing), kept across a reload. */
function choices() {
  return state.caseSession === null ? {} : store.get(`missing.${state.caseSession}`, {});
}

function missingByDefault(entry, index, ticks) {
  return !ticks[index] && entry.required !== false;
}

function isMissing(entry, index, ticks, chosen) {
  return typeof chosen[index] === "boolean" ? chosen[index] : missingByDefault(entry, index, ticks);
}

/** Whether the item has materials the applicant could be missing. */
export function canMiss() {
  return candidates().length > 0;
}

/** The names (`material.name.zh`) to send as `missingMaterials`. */
export function missingNames() {
  if (state.caseSession === null) return [];
  const ticks = store.get(`check.${state.caseSession}`, {});
  const chosen = choices();
  return candidates().filter(({ entry, index }) => isMissing(entry, index, ticks, chosen)).map(({ entry }) => entry.name.zh);
}

/** The case ended: its choices are forgotten. */
export function forgetMissing(session) {
  store.remove(`missing.${session}`);
}

/** The missing list under the outcome buttons, shown while 补正 is the chosen outcome. */
export function renderMissing() {
  const box = $("missing-box");
  if (!box) return;
  const show = state.outcome === "needs-materials" && state.caseSession !== null;
  box.hidden = !show;
  if (!show) return;
  const title = h("div", { class: "missing-title" }, bi(["缺少的材料（将告知办事人）", "Missing materials (the applicant is told)"]));
  if (!state.caseItem) {
    fill(box, title, h("p", { class: "muted" }, bi("material.loading")));
    return;
  }
  const list = candidates();
  if (list.length === 0) {
    fill(box, title, h("p", { class: "muted" }, bi(["本事项无需办事人提交材料", "The applicant brings nothing for this item"])));
    return;
  }
  const session = state.caseSession;
  const ticks = store.get(`check.${session}`, {});
  const chosen = choices();
  fill(box, title,
    h("div", { class: "missing-list", role: "group", "aria-label": text(["缺少的材料", "Missing materials"]) }, list.map(({ entry, index }) => {
      const missing = isMissing(entry, index, ticks, chosen);
      const input = h("input", { type: "checkbox", value: entry.name.zh, dataset: { index: String(index) } });
      input.checked = missing;
      const label = h("label", { class: `missing-choice ${missing ? "is-missing" : ""}`.trim(), dataset: { name: entry.name.zh } }, input, named(entry.name));
      input.addEventListener("change", () => {
        const current = store.get(`missing.${session}`, {});
        current[index] = input.checked;
        store.set(`missing.${session}`, current);
        label.classList.toggle("is-missing", input.checked);
        if (state.confirmArmed) {
          state.confirmArmed = false;
          $("end-warning").hidden = true;
        }
      });
      return label;
    })),
    h("p", { class: "hint" }, bi(["默认为材料清单中未勾选的必需材料，可在此增减。", "By default the required materials not ticked in the checklist; change it here."])));
}

// ------------------------------------------------------------------------------------ the wrap-up

/** The 补正's reference, missing list and deadline, for the clerk to read to the applicant. */
export function showCorrection(sessionId, detail, attempt = 0) {
  const box = $("last-correction");
  if (!box || state.lastCaseLoadedFor !== sessionId) return;
  const correction = detail.correction;
  if (!correction && attempt < 5) {
    // The case is opened right after the session ends: ask again shortly.
    setTimeout(() => {
      get(`/api/v1/sessions/${sessionId}`).then((again) => showCorrection(sessionId, again, attempt + 1)).catch(() => {});
    }, 800);
    return;
  }
  const reference = correction?.reference ?? detail.caseNumber;
  if (!reference) return;
  box.hidden = false;
  box.dataset.reference = reference;
  const missing = correction?.missing ?? [];
  fill(box,
    h("div", { class: "correction-label" }, bi(["补正编号：请告知办事人，凭此编号到任一自助终端取号补齐材料", "Reference: read it to the applicant, who comes back with it at any kiosk"])),
    h("strong", { id: "correction-reference", class: "mono correction-reference" }, reference),
    h("div", { class: "correction-missing" }, h("span", { class: "muted" }, bi(["缺少", "Missing"])), " ",
      missing.length ? h("ul", { id: "correction-missing", class: "inline-list" }, missing.map((name) => h("li", {}, name)))
        : h("span", { id: "correction-missing", class: "muted" }, bi(["未列明", "none listed"]))),
    correction?.returnBy ? h("div", { class: "correction-due" }, h("span", { class: "muted" }, bi(["补正期限", "Return by"])), " ",
      h("strong", { class: "mono", id: "correction-return-by" }, shanghaiDeadline(correction.returnBy)), " ", h("span", { class: "muted small" }, bi(["上海时间", "Shanghai time"]))) : null);
}

/** A new last case: its 补正 box starts empty. */
export function clearCorrection() {
  const box = $("last-correction");
  if (!box) return;
  box.hidden = true;
  delete box.dataset.reference;
  fill(box);
}

// ------------------------------------------------------------------------------------ a return

const earlierBlobs = new Map(); // material id → object URL, for the earlier session's materials
let shownReturnOf = null;

/** The banner of a worker back with the materials, for the case in hand (nothing when it is not a return). */
export function renderReturn(session) {
  const banner = $("return-banner");
  if (!banner) return;
  if (!session.returnOf) {
    clearReturn();
    return;
  }
  if (shownReturnOf === session.returnOf) return;
  clearReturn();
  shownReturnOf = session.returnOf;
  banner.hidden = false;
  banner.dataset.returnOf = String(session.returnOf);
  fill(banner, h("h3", { class: "return-title" }, bi(["补正回来", "Back with materials"])), h("p", { class: "muted" }, bi("material.loading")));
  get(`/api/v1/sessions/${session.returnOf}`).then((earlier) => {
    if (shownReturnOf !== session.returnOf || state.caseSession !== session.id) return;
    fillReturn(banner, earlier);
  }).catch((error) => {
    if (shownReturnOf !== session.returnOf) return;
    fill(banner, h("h3", { class: "return-title" }, bi(["补正回来", "Back with materials"])),
      h("p", { class: "warning" }, bi(["上次办理的信息载入失败", "Could not load the earlier session"]), " ", message(error?.message ?? "")));
  });
}

function fillReturn(banner, earlier) {
  const reference = earlier.correction?.reference ?? earlier.caseNumber ?? `#${earlier.id}`;
  const missing = earlier.correction?.missing ?? [];
  const materials = [...(earlier.materials ?? [])].sort((a, b) => a.id - b.id);
  const preview = h("div", { class: "return-preview", id: "return-preview", hidden: true });
  fill(banner,
    h("h3", { class: "return-title" }, h("span", { class: "bi" },
      h("span", { class: "zh" }, `补正回来：原编号 ${reference}`), h("span", { class: "en", lang: "en" }, `Back with materials for ${reference}`))),
    h("div", { class: "return-grid" },
      h("div", { class: "return-block" },
        h("div", { class: "return-label" }, bi(["缺少的材料", "What was missing"])),
        missing.length ? h("ul", { id: "return-missing", class: "return-missing" }, missing.map((name) => h("li", {}, name)))
          : h("p", { id: "return-missing", class: "muted" }, bi(["未列明", "None listed"]))),
      h("div", { class: "return-block" },
        h("div", { class: "return-label" }, bi(["上次办理备注", "Earlier notes"])),
        h("p", { id: "return-notes", class: "return-notes" }, earlier.notes ?? h("span", { class: "muted" }, bi("none"))),
        earlier.endedAt ? h("div", { class: "muted small" }, bi([`上次办理于 ${shanghaiTime(earlier.endedAt)}（上海时间）`, `ended ${shanghaiTime(earlier.endedAt)} (Shanghai)`])) : null),
      h("div", { class: "return-block" },
        h("div", { class: "return-label" }, bi(["上次提交的材料", "Materials handed over last time"])),
        materials.length ? h("ul", { id: "return-materials", class: "return-materials" }, materials.map((material) => earlierRow(earlier.id, material, preview)))
          : h("p", { id: "return-materials", class: "muted" }, bi(["上次未提交材料", "Nothing was handed over"])))),
    preview);
}

function earlierRow(sessionId, material, preview) {
  const view = h("button", { type: "button", class: "btn btn-small btn-secondary act-view-earlier" }, bi("material.view"));
  view.addEventListener("click", () => showEarlier(sessionId, material, preview));
  return h("li", { class: "return-material", dataset: { id: String(material.id), status: material.status } },
    h("span", { class: "return-material-name" }, material.name),
    badge(`material.${material.status}`, `status-${material.status} small`),
    material.reason ? h("span", { class: "material-reason" }, ` ${material.reason}`) : null,
    h("span", { class: "muted small" }, ` ${sizeText(material.size)}`),
    view);
}

async function showEarlier(sessionId, material, preview) {
  preview.hidden = false;
  preview.dataset.id = String(material.id);
  fill(preview, h("p", { class: "muted" }, bi("material.loading")));
  let url = earlierBlobs.get(material.id);
  if (!url) {
    try {
      const blob = await get(`/api/v1/sessions/${sessionId}/materials/${material.id}`, { as: "blob" });
      url = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: material.contentType }));
      earlierBlobs.set(material.id, url);
    } catch (error) {
      if (preview.dataset.id === String(material.id)) fill(preview, h("p", { class: "warning" }, message(error?.message || text("material.loadFailed"))));
      return;
    }
  }
  if (preview.dataset.id !== String(material.id) || shownReturnOf !== sessionId) return;
  const close = h("button", { type: "button", class: "btn btn-small btn-ghost" }, bi("material.hide"));
  close.addEventListener("click", () => {
    preview.hidden = true;
    fill(preview);
  });
  const head = h("div", { class: "return-preview-head" }, h("strong", {}, material.name), h("span", { class: "spacer" }),
    h("a", { class: "btn btn-small btn-secondary", href: url, target: "_blank", rel: "noopener" },
      bi(material.contentType === "application/pdf" ? "material.openPdf" : ["新标签页打开", "Open in new tab"])), close);
  fill(preview, head, material.contentType === "application/pdf"
    ? h("a", { class: "pdf-link", href: url, target: "_blank", rel: "noopener" }, h("span", { class: "file-icon is-pdf big" }, "PDF"), bi("material.openPdf"))
    : h("img", { src: url, alt: material.name, class: "return-image" }));
}

/** The case in hand is no longer a return (or a new one starts): the banner goes, its files are let go. */
export function clearReturn() {
  shownReturnOf = null;
  for (const url of earlierBlobs.values()) URL.revokeObjectURL(url);
  earlierBlobs.clear();
  const banner = $("return-banner");
  if (!banner) return;
  banner.hidden = true;
  delete banner.dataset.returnOf;
  fill(banner);
}
