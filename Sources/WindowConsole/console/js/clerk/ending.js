// Ending the case in hand: the outcome (办结, 补正, 转线下) with a warning while materials wait
// for review, and transferring it to a skill or a colleague with the notes.
import { get, post } from "../api.js";
import { pair, text } from "../i18n.js";
import { bi, busy, fill, h, showError, toast } from "../ui.js";
import { canMiss, forgetMissing, missingNames, renderMissing } from "./correction.js";
import { $, state, store } from "./state.js";

export function renderOutcomes() {
  for (const button of $("outcomes").querySelectorAll("button")) {
    button.setAttribute("aria-checked", button.dataset.outcome === state.outcome ? "true" : "false");
  }
  $("end-session").disabled = state.outcome === null;
  const pending = state.materials.filter((m) => m.status === "pending").length;
  const pendingWarn = state.confirmArmed && state.outcome === "completed" && pending > 0;
  // 补正 with nothing marked missing: most likely a slip, so the end button asks to be clicked again.
  const missingWarn = state.confirmArmed && state.outcome === "needs-materials" && canMiss() && missingNames().length === 0;
  const warn = pendingWarn || missingWarn;
  $("end-warning").hidden = !warn;
  if (pendingWarn) fill($("end-warning"), bi("case.pendingWarning"));
  if (missingWarn) fill($("end-warning"), bi(["未勾选缺少的材料。仍要以补正结束请再次点击。", "Nothing is marked missing. Click again to end as needs-materials anyway."]));
  if (!warn) state.confirmArmed = false;
  renderMissing();
}

async function endSession(button, applyView) {
  const session = state.caseSession;
  if (session === null || !state.outcome) return;
  const pending = state.materials.filter((m) => m.status === "pending").length;
  if (state.outcome === "completed" && pending > 0 && !state.confirmArmed) {
    state.confirmArmed = true;
    renderOutcomes();
    return;
  }
  const missing = state.outcome === "needs-materials" ? missingNames() : [];
  if (state.outcome === "needs-materials" && missing.length === 0 && canMiss() && !state.confirmArmed) {
    state.confirmArmed = true;
    renderOutcomes();
    return;
  }
  const notes = $("notes").value.trim();
  const body = { outcome: state.outcome };
  if (notes) body.notes = notes;
  if (missing.length) body.missingMaterials = missing; // names from the item's materials list (补正)
  await busy(button, async () => {
    try {
      const view = await post(`/api/v1/sessions/${session}/end`, body);
      store.remove(`notes.${session}`);
      store.remove(`check.${session}`);
      forgetMissing(session);
      applyView(view);
    } catch (error) {
      showError(error);
    }
  });
}

export async function loadTransferTargets() {
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

async function transfer(button, applyView) {
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
      forgetMissing(session);
      toast(text("case.transferred"), "info");
      applyView(view);
    } catch (error) {
      showError(error);
    }
  });
}

/** The outcome choice, the end button and the transfer; `applyView` shows the server's answer. */
export function wireEnding({ applyView }) {
  for (const button of $("outcomes").querySelectorAll("button")) {
    button.addEventListener("click", () => {
      state.outcome = button.dataset.outcome;
      state.confirmArmed = false;
      renderOutcomes();
    });
  }
  $("end-session").addEventListener("click", (event) => endSession(event.currentTarget, applyView));
  $("transfer-go").addEventListener("click", (event) => transfer(event.currentTarget, applyView));
  $("transfer").addEventListener("toggle", () => {
    if ($("transfer").open) loadTransferTargets();
  });
}
