// The materials the applicant uploaded: the list with each one's review (accept, or reject with
// a reason), and the viewer dialog that shows one large enough to read, with the same controls.
import { get, post } from "../api.js";
import { pair, text } from "../i18n.js";
import { badge, bi, busy, fill, h, message, showError, sizeText, timeText, toast } from "../ui.js";
import { renderOutcomes } from "./ending.js";
import { $, state } from "./state.js";

const REASONS = ["reason.illegible", "reason.incomplete", "reason.expired", "reason.wrongDocument", "reason.notOriginal"];

function sortedMaterials() {
  return [...state.materials].sort((a, b) => a.id - b.id);
}

export function renderMaterials() {
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

export function closeViewer() {
  state.viewing = null;
  const dialog = $("viewer");
  if (dialog.open) dialog.close();
  fill($("viewer-body"));
  fill($("viewer-review"));
}

/** The viewer's buttons, its backdrop and the arrow keys. */
export function wireViewer() {
  $("viewer-close").addEventListener("click", closeViewer);
  $("viewer-prev").addEventListener("click", () => stepViewer(-1));
  $("viewer-next").addEventListener("click", () => stepViewer(1));
  $("viewer").addEventListener("close", () => {
    state.viewing = null;
  });
  $("viewer").addEventListener("click", (event) => {
    if (event.target === $("viewer")) closeViewer(); // a click on the backdrop
  });
  document.addEventListener("keydown", (event) => {
    if (state.viewing === null || event.target instanceof HTMLInputElement) return;
    if (event.key === "ArrowLeft") stepViewer(-1);
    if (event.key === "ArrowRight") stepViewer(1);
  });
}
