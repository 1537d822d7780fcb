// An offer waiting for accept or decline: the ticket, its item (today's version: the offer has
// no item version; the case shows the ticket's) with what to have ready, its wait, the countdown
// to its expiry by the server's clock, and the chime when a new one arrives.
import { ApiError, post } from "../api.js";
import { item as loadItem } from "../catalog.js";
import { handlingFull, materialTags } from "../item-format.js";
import { bi, busy, durationPair, fill, h, named, secondsSince, secondsUntil, showError } from "../ui.js";
import { chime, unlockAudio } from "./chime.js";
import { $, categoryLetter, categoryName, priorityBadge, state } from "./state.js";

export function renderOffer() {
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
  if (isNew) fill($("offer-materials"));
  renderOfferItem();
  $("offer-accept").disabled = false;
  $("offer-decline").disabled = false;
  if (isNew) {
    chime();
    $("offer-accept").focus({ preventScroll: true });
  }
}

/** The offered item's name, 办件类型 and materials; again when a new catalog version is out. */
export function renderOfferItem() {
  const offer = state.view?.offer;
  if (!offer || state.offerTicket !== offer.ticket) return;
  loadItem(offer.itemCode).then((item) => {
    if (state.offerTicket !== offer.ticket) return;
    fill($("offer-item"), named(item.name));
    $("view-offer").dataset.itemVersion = item.version ? String(item.version) : "";
    const handling = $("offer-handling") ?? h("span", { class: "chip", id: "offer-handling" });
    fill(handling, bi(handlingFull(item)));
    if (!handling.isConnected) $("offer-meta").append(handling);
    fill($("offer-materials"), (item.materials ?? []).map((entry) =>
      h("li", { class: `offer-material ${entry.source === "dataSharing" ? "is-shared" : ""}`.trim() },
        named(entry.name), h("span", { class: "check-tags" }, materialTags(entry)))));
  }).catch(() => {});
}

export function tickOffer() {
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

/** Accept and decline; `applyView` shows the server's answer, `refresh` asks again after a conflict. */
export function wireOffer({ applyView, refresh }) {
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
}
