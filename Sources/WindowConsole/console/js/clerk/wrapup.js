// After a case: the wrap-up countdown until the clerk is ready again, with the last case's
// outcome and case number, and the button to be ready sooner.
import { ApiError, get, post } from "../api.js";
import { item as loadItem } from "../catalog.js";
import { badge, bi, busy, clockText, fill, h, named, secondsUntil, showError } from "../ui.js";
import { clearCorrection, showCorrection } from "./correction.js";
import { $, state, store } from "./state.js";

export function renderWrapUp() {
  const last = store.get("lastSession", null);
  const box = $("last-case");
  if (!last) {
    box.hidden = true;
    return;
  }
  if (state.lastCaseLoadedFor === last.id) return;
  state.lastCaseLoadedFor = last.id;
  clearCorrection();
  box.hidden = false;
  fill(box, h("span", { class: "muted" }, bi("wrap.last")), h("strong", { class: "mono" }, last.number), h("span", { class: "last-item" }, last.itemCode));
  loadItem(last.itemCode, last.itemVersion ?? undefined).then((item) => {
    const name = box.querySelector(".last-item");
    if (name) fill(name, named(item.name));
  }).catch(() => {});
  get(`/api/v1/sessions/${last.id}`).then((detail) => {
    if (state.lastCaseLoadedFor !== last.id) return;
    if (detail.outcome) box.append(badge(`outcome.${detail.outcome}`, `result result-${detail.outcome}`));
    if (detail.caseNumber) {
      box.append(h("span", { class: "case-number" }, h("span", { class: "muted" }, bi("wrap.caseNumber")), " ", h("strong", { class: "mono", id: "last-case-number" }, detail.caseNumber)));
    }
    if (detail.outcome === "needs-materials") showCorrection(last.id, detail); // the reference to read to the applicant
  }).catch(() => {});
}

export function tickWrapUp() {
  const view = state.view;
  if (!view || view.state !== "wrap-up" || !view.wrapUpUntil) return;
  const left = Math.max(0, secondsUntil(view.wrapUpUntil));
  const total = Math.max(1, (Date.parse(view.wrapUpUntil) - Date.parse(view.stateSince)) / 1000);
  $("wrapup-seconds").textContent = clockText(left);
  $("wrapup-progress").value = Math.round((left / total) * 1000);
}

/** Ready; `applyView` shows the server's answer, `refresh` asks again after a conflict. */
export function wireWrapUp({ applyView, refresh }) {
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
}
