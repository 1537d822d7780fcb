// The case in hand: its header (ticket, item, state, the applicant's kiosk, elapsed time), the
// item's checklist, guide and facts, and the notes, kept across a reload until the case ends.
// The item is the version the ticket was issued under (`session.itemVersion`): a catalog
// published during the wait or the call changes nothing here.
import { get } from "../api.js";
import { item as loadItem } from "../catalog.js";
import { pair } from "../i18n.js";
import { deliveryPair, department, handlingFull, limitPair, materialTags } from "../item-format.js";
import { badge, bi, clockText, fill, h, named, secondsSince, showError } from "../ui.js";
import { loadTransferTargets, renderOutcomes } from "./ending.js";
import { clearReturn, renderMissing, renderReturn } from "./correction.js";
import { closeViewer, renderMaterials } from "./materials.js";
import { $, categoryLetter, categoryName, priorityBadge, state, store } from "./state.js";
import { showVideo, stopVideo } from "./video.js";

export function renderCase() {
  const session = state.view.session;
  if (state.caseSession !== session.id) startCase(session);
  $("view-case").dataset.session = String(session.id);
  $("case-number").textContent = session.number;
  fill($("case-state"), badge(`session.${session.state}`, `session-${session.state}`));
  fill($("case-kiosk"), h("span", { class: `presence ${session.kioskPresent ? "is-here" : "is-gone"}` },
    bi(session.kioskPresent ? "case.kioskHere" : "case.kioskGone")));
  showVideo(session);
}

function startCase(session) {
  leaveCase();
  state.caseSession = session.id;
  state.caseCategory = null;
  state.caseItem = null;
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
  renderReturn(session); // a worker back with a 补正's materials: the earlier session

  $("view-case").dataset.itemVersion = session.itemVersion ? String(session.itemVersion) : "";
  loadItem(session.itemCode, session.itemVersion ?? undefined).then((item) => {
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

export function leaveCase() {
  if (state.caseSession === null) return;
  state.caseSession = null;
  state.caseItem = null;
  clearReturn();
  stopVideo();
  closeViewer();
  for (const url of state.blobs.values()) URL.revokeObjectURL(url);
  state.blobs.clear();
}

function renderItem(item, session) {
  state.caseCategory = item.category;
  state.caseItem = item;
  fill($("case-item"), named(item.name));
  fill($("case-meta"),
    h("span", { class: "chip mono" }, item.code),
    h("span", { class: "chip" }, h("span", { class: "letter" }, categoryLetter(item.category)), categoryName(item.category)),
    item.department ? h("span", { class: "chip case-department" }, department(item)) : null,
    h("span", { class: `chip case-handling handling-${item.handlingType ?? "immediate"}` }, bi(handlingFull(item))),
    h("span", { class: "chip" }, bi([`预计 ${item.expectedMinutes} 分钟`, `${item.expectedMinutes} min expected`])),
    item.version ? h("span", { class: "chip case-version" }, bi([`事项第 ${item.version} 版`, `item version ${item.version}`])) : null,
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
      renderMissing(); // what is not ticked is what a 补正 names as missing, by default
    });
    const shared = entry.source === "dataSharing";
    const line = h("li", { class: `check ${box.checked ? "is-checked" : ""} ${shared ? "is-shared" : ""}`.trim(), dataset: { source: entry.source ?? "applicant" } },
      box,
      h("label", { for: `check-${index}` },
        named(entry.name),
        h("span", { class: "check-tags" }, materialTags(entry))));
    return line;
  }));
  if ((item.materials ?? []).length === 0) fill($("checklist"), h("li", { class: "muted" }, bi(["本事项无需材料", "No materials needed"])));
  renderMissing();

  const guide = item.guide ?? {};
  fill($("guide"), guide.zh ? h("p", { lang: "zh-CN" }, guide.zh) : null, guide.en ? h("p", { class: "en-block", lang: "en" }, guide.en) : null);

  const facts = [];
  const fact = (label, value, kind) => {
    if (!value) return;
    facts.push(h("div", { class: "fact", dataset: kind ? { fact: kind } : undefined }, h("dt", {}, bi(label)), h("dd", {}, value)));
  };
  fact(["办件类型", "Handling"], bi(handlingFull(item)), "handling");
  if (item.legalTimeLimit?.days) fact(["法定办结时限", "Legal time limit"], bi(limitPair(item.legalTimeLimit)), "legal-limit");
  if (item.result) {
    const [zh, en] = deliveryPair(item.result.delivery);
    fact(["办理结果", "Result"], h("span", {}, named(item.result.name), " ", h("span", { class: "muted" }, bi([`（${zh}）`, `(${en})`]))), "result");
  }
  if (item.department) {
    fact(["实施主体", "Department"], h("span", {}, department(item),
      item.departmentRole === "entrusted" ? h("span", { class: "muted" }, " ", bi("role.entrusted")) : null), "department");
  }
  fact(["受理条件", "Conditions"], item.conditions?.zh || item.conditions?.en ? named(item.conditions) : null);
  if (item.fee) {
    const fee = item.fee.yuan > 0 ? `¥${item.fee.yuan}` : null;
    fact(["收费", "Fee"], h("span", {}, fee ? `${fee} ` : "", item.fee.note ? named(item.fee.note) : bi(["不收费", "Free"])));
  }
  fact(["设定依据", "Legal basis"], typeof item.legalBasis === "string" ? item.legalBasis : item.legalBasis ? named(item.legalBasis) : null);
  if (item.consultPhone) fact(["咨询电话", "Enquiries"], h("span", { class: "mono" }, item.consultPhone));
  fill($("item-facts"), facts);
}

export function tickCase() {
  const view = state.view;
  if (view.session && !$("view-case").hidden) $("case-timer").textContent = clockText(secondsSince(view.session.startedAt));
}

/** Notes typed during the case survive a reload of the tab. */
export function wireCase() {
  $("notes").addEventListener("input", () => {
    if (state.caseSession !== null) store.set(`notes.${state.caseSession}`, $("notes").value);
  });
}
