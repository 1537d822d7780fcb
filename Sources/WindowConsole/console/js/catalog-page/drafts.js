// Drafts: the list of open ones, a new one, and the open draft with its state, base version
// (and rebase), problems, field-level changes, comments, impact and the steps its state allows:
// edit or add an item, submit, approve, send back, discard, publish now or at a Shanghai time.
import { get, post } from "../api.js";
import { now } from "../clock.js";
import { text } from "../i18n.js";
import { bi, busy, fill, h, message, named, showError, toast } from "../ui.js";
import {
  $, changeTable, fact, hideBox, names, problemList, shanghaiInputToISO, shanghaiInputValue, shanghaiTime, showErrorIn, showInfoIn,
  state, stateBadge, valueNode,
} from "./common.js";

const OPEN = new Set(["editing", "submitted", "approved", "scheduled"]);
let hooks = { openEditor: () => {}, closeEditor: () => true, changed: () => {} };
let impactShownFor = null;
let actionsFor = null; // "id:state" the step controls were drawn for

const path = (id, rest = "") => `/api/v1/catalog/drafts/${id}${rest}`;

// ---------------------------------------------------------------------------------- the list

export async function loadDrafts() {
  const result = await get("/api/v1/catalog/drafts");
  state.drafts = result?.drafts ?? [];
  renderDrafts();
}

function renderDrafts() {
  $("drafts-count").textContent = String(state.drafts.length);
  fill($("drafts"), state.drafts.length ? state.drafts.map(draftEntry)
    : h("li", { class: "muted empty" }, bi(["没有未完成的草稿", "No open drafts"])));
}

function draftEntry(summary) {
  const open = state.view?.draft?.id === summary.id;
  const editors = names(summary.editors) || "—";
  return h("li", { class: `draft-entry ${open ? "is-open" : ""}`.trim(), dataset: { draft: String(summary.id), state: summary.state } },
    h("button", { type: "button", class: "draft-open", onclick: () => openDraft(summary.id).catch(showError) },
      h("span", { class: "draft-line" }, h("strong", { class: "mono" }, `#${summary.id}`), stateBadge(summary.state),
        h("span", { class: "muted small" }, bi([`基于第 ${summary.base} 版`, `on version ${summary.base}`]))),
      h("span", { class: "draft-note" }, summary.note || text(["（无说明）", "(no note)"])),
      h("span", { class: "muted small" }, bi([`创建：${summary.createdBy}　编辑：${editors}`, `by ${summary.createdBy}; edited by ${editors}`])),
      summary.changedItems?.length
        ? h("span", { class: "draft-items" }, summary.changedItems.map((code) => h("span", { class: "chip mono" }, code)))
        : h("span", { class: "muted small" }, bi(["尚无改动", "No changes yet"])),
      summary.publishAt ? h("span", { class: "small" }, bi([`定于 ${shanghaiTime(summary.publishAt)} 发布`, `to be published at ${shanghaiTime(summary.publishAt)} (Shanghai)`])) : null));
}

async function createDraft(event) {
  event.preventDefault();
  const note = $("new-draft-note").value.trim();
  const box = $("new-draft-message");
  if (!note) {
    $("new-draft-note").classList.add("is-invalid");
    showInfoIn(box, "请填写草稿说明 / Say what the draft is for", "error");
    return;
  }
  await busy($("new-draft-create"), async () => {
    try {
      const view = await post("/api/v1/catalog/drafts", { note });
      $("new-draft-form").reset();
      $("new-draft-form").hidden = true;
      $("new-draft").hidden = false;
      hideBox(box);
      toast(`已创建草稿 #${view.draft.id} / Draft #${view.draft.id} created`, "info");
      setView(view);
      await loadDrafts();
    } catch (error) {
      showErrorIn(box, error);
    }
  });
}

// ---------------------------------------------------------------------------------- the draft

/** Opens a draft by id. */
export async function openDraft(id) {
  const view = await get(path(id));
  setView(view);
  $("draft").scrollIntoView({ block: "start", behavior: "smooth" });
}

/** Shows a draft as the server answered it (after any step on it). */
export function setView(view) {
  const previous = state.view?.draft;
  state.view = view;
  if (!view) {
    $("draft").hidden = true;
    history.replaceState(null, "", location.pathname);
  } else {
    if (previous?.id !== view.draft.id || previous?.state !== view.draft.state) {
      fill($("rebase-conflicts"));
      $("rebase-conflicts").hidden = true;
      hideBox($("draft-message"));
    }
    history.replaceState(null, "", `${location.pathname}#draft=${view.draft.id}`);
    renderDraft();
  }
  renderDrafts();
  hooks.changed();
}

/** Asks for the open draft again (another manager acted, or a version was published). */
export async function reloadDraft() {
  const id = state.view?.draft?.id;
  if (!id) return;
  const view = await get(path(id));
  if (state.view?.draft?.id === id) setView(view);
}

function mayApprove(draft) {
  if (state.policy.onePersonPublish) return true;
  const me = state.account?.id;
  return !draft.editors.some((person) => person.account === me) && draft.submittedBy?.account !== me;
}

function renderDraft() {
  const { draft, changes, problems, currentVersion } = state.view;
  const panel = $("draft");
  panel.hidden = false;
  panel.dataset.draft = String(draft.id);
  panel.dataset.state = draft.state;
  $("draft-id").textContent = `#${draft.id}`;
  fill($("draft-state"), stateBadge(draft.state));

  fill($("draft-facts"),
    fact(["说明", "Note"], draft.note || text(["（无说明）", "(no note)"])),
    fact(["基础版本", "Base version"], h("span", { id: "draft-base", class: "mono" }, String(draft.base))),
    fact(["当前版本", "Current version"], h("span", { class: "mono" }, String(currentVersion))),
    fact(["创建", "Created"], `${draft.createdBy?.username ?? ""} · ${shanghaiTime(draft.createdAt)}`),
    fact(["编辑人", "Editors"], names(draft.editors) || null),
    fact(["提交人", "Submitted by"], draft.submittedBy?.username),
    fact(["审核人", "Approved by"], draft.approvedBy?.username),
    fact(["定时发布（上海）", "Publish at (Shanghai)"], draft.publishAt ? shanghaiTime(draft.publishAt) : null),
    fact(["已发布为", "Published as"], draft.publishedVersion ? bi([`第 ${draft.publishedVersion} 版`, `version ${draft.publishedVersion}`]) : null),
    fact(["回滚到", "Restores"], draft.rollbackOf ? bi([`第 ${draft.rollbackOf} 版`, `version ${draft.rollbackOf}`]) : null));

  renderRebase(draft, currentVersion);
  fill($("draft-comments"), (draft.comments ?? []).map((comment) => h("li", { class: "comment" },
    h("span", { class: "muted small" }, `${comment.by?.username ?? ""} · ${shanghaiTime(comment.at)}`), " ",
    h("span", { class: "comment-text" }, comment.text))));

  $("draft-problems-count").textContent = String(problems.length);
  fill($("draft-problems"), problems.length ? problemList(problems)
    : h("p", { class: "muted ok-text" }, bi(["没有问题", "No problems"])));
  $("draft-changes-count").textContent = String(changes.length);
  fill($("draft-changes"), changeTable(changes, ["草稿尚无改动", "The draft changes nothing yet"]));

  renderActions(draft);
  if (!OPEN.has(draft.state)) {
    $("draft-impact").hidden = true;
  } else if ((draft.state === "approved" || draft.state === "scheduled") && impactShownFor !== `${draft.id}:${draft.updatedAt}`) {
    showImpact(draft.id).catch(() => {});
  }
}

function renderRebase(draft, currentVersion) {
  const box = $("draft-rebase");
  if (!OPEN.has(draft.state) || draft.base === currentVersion) {
    box.hidden = true;
    fill(box);
    return;
  }
  box.hidden = false;
  const note = bi([`需要变基：草稿基于第 ${draft.base} 版，当前已发布第 ${currentVersion} 版。`,
    `Needs a rebase: the draft is based on version ${draft.base}, version ${currentVersion} is published.`]);
  if (draft.state === "editing") {
    const button = h("button", { id: "rebase", type: "button", class: "btn btn-small btn-primary" }, bi(["变基到当前版本", "Rebase onto the current version"]));
    button.addEventListener("click", () => busy(button, () => rebase()));
    fill(box, note, " ", button);
  } else {
    fill(box, note, " ", bi(["请先退回编辑，再变基。", "Send it back to editing first, then rebase."]));
  }
}

async function rebase(resolution) {
  const id = state.view.draft.id;
  try {
    const view = await post(path(id, "/rebase"), resolution ? { resolution } : {});
    fill($("rebase-conflicts"));
    $("rebase-conflicts").hidden = true;
    setView(view);
    toast(`已变基到第 ${view.draft.base} 版 / Rebased onto version ${view.draft.base}`, "info");
  } catch (error) {
    if (error.code === "rebase_conflict") showConflicts(error);
    else showErrorIn($("draft-message"), error);
  }
}

function showConflicts(error) {
  const box = $("rebase-conflicts");
  box.hidden = false;
  const keep = h("button", { id: "rebase-keep-draft", type: "button", class: "btn btn-small btn-primary" }, bi(["全部保留草稿的值", "Keep the draft's values"]));
  const take = h("button", { id: "rebase-take-current", type: "button", class: "btn btn-small btn-secondary" }, bi(["全部采用当前发布的值", "Take the published values"]));
  keep.addEventListener("click", () => busy(keep, () => rebase("draft")));
  take.addEventListener("click", () => busy(take, () => rebase("current")));
  fill(box, h("div", { class: "form-message form-message-error" }, message(error.message)),
    h("table", { class: "table conflicts" },
      h("thead", {}, h("tr", {},
        h("th", {}, bi(["事项", "Item"])), h("th", {}, bi(["字段", "Field"])), h("th", {}, bi(["基础版本的值", "Base"])),
        h("th", {}, bi(["当前发布的值", "Published since"])), h("th", {}, bi(["草稿的值", "The draft's"])))),
      h("tbody", {}, (error.detail?.conflicts ?? []).map((conflict) => h("tr", { class: "conflict", dataset: { item: conflict.item, field: conflict.field } },
        h("td", { class: "mono" }, conflict.item),
        h("td", {}, named(conflict.label), h("div", { class: "mono small muted" }, conflict.field)),
        h("td", {}, valueNode(conflict.base)),
        h("td", {}, valueNode(conflict.current)),
        h("td", {}, valueNode(conflict.draft)))))),
    h("p", { class: "hint" }, bi(["选择适用于以上所有字段；其余改动照常合并。", "The choice applies to every field above; the other changes merge as they are."])),
    h("div", { class: "row-actions" }, keep, take));
}

// ---------------------------------------------------------------------------------- steps

/** A step on the draft: posts, shows the answer, or the error in the draft's message box. */
async function step(button, rest, body, done) {
  await busy(button, async () => {
    try {
      const view = await post(path(state.view.draft.id, rest), body);
      hideBox($("draft-message"));
      setView(view);
      if (done) toast(done, "info");
      await loadDrafts();
    } catch (error) {
      showErrorIn($("draft-message"), error);
    }
  });
}

function input(id, attrs, value) {
  const element = h("input", { id, type: "text", maxlength: "500", ...attrs });
  if (value !== undefined) element.value = value;
  return element;
}

function button(id, label, kind = "btn-secondary") {
  return h("button", { id, type: "button", class: `btn btn-small ${kind}` }, bi(label));
}

/** Values typed in the step inputs survive a redraw of the draft (a live update). */
function typedValues() {
  const values = {};
  for (const element of $("draft-actions").querySelectorAll("input[id], select[id]")) values[element.id] = element.value;
  return values;
}

function renderActions(draft) {
  const key = `${draft.id}:${draft.state}`;
  const typed = actionsFor === key ? typedValues() : {};
  actionsFor = key;
  const keep = (id, fallback) => (id in typed ? typed[id] : fallback);
  const groups = [];
  const group = (title, ...children) => groups.push(h("div", { class: "action-group" }, h("h4", { class: "action-title" }, bi(title)), ...children));

  if (draft.state === "editing") {
    const select = h("select", { id: "edit-code", "aria-label": text(["选择事项", "Choose an item"]) },
      draft.document.items.map((item) => h("option", { value: item.code }, `${item.code} ${item.name.zh} / ${item.name.en}`)));
    if (typed["edit-code"]) select.value = typed["edit-code"];
    const edit = button("edit-item", ["编辑", "Edit"], "btn-primary");
    edit.addEventListener("click", () => hooks.openEditor(select.value));
    const code = input("add-code", { placeholder: "JZZ-009", maxlength: "16", "aria-label": text(["新事项编码", "New item's code"]), class: "mono" }, keep("add-code", ""));
    const add = button("add-item", ["新增事项", "Add an item"]);
    add.addEventListener("click", () => {
      const value = code.value.trim().toUpperCase();
      if (!value) {
        code.classList.add("is-invalid");
        return;
      }
      hooks.openEditor(value, { isNew: !draft.document.items.some((item) => item.code === value) });
    });
    group(["编辑事项", "Edit an item"], h("div", { class: "row-actions" }, select, edit), h("div", { class: "row-actions" }, code, add));

    const note = input("submit-note", { placeholder: text(["修改原因（必填）", "Why (required)"]), "aria-label": text(["提交说明", "Note"]) }, keep("submit-note", draft.note));
    const submit = button("submit", ["提交审核", "Submit for review"], "btn-primary");
    submit.addEventListener("click", () => {
      if (!note.value.trim()) {
        note.classList.add("is-invalid");
        showInfoIn($("draft-message"), "请说明修改原因 / say why (a note is required)", "error");
        return;
      }
      step(submit, "/submit", { note: note.value.trim() }, "已提交审核 / Submitted for review");
    });
    group(["提交审核", "Submit for review"], h("div", { class: "row-actions" }, note, submit),
      h("p", { class: "hint" }, bi(["提交后须由另一位未修改此草稿的管理员审核。", "Another manager who made no edit must then approve it."])));
  }

  if (draft.state === "submitted") {
    if (mayApprove(draft)) {
      const approve = button("approve", ["批准", "Approve"], "btn-primary");
      approve.addEventListener("click", () => step(approve, "/approve", {}, "已批准 / Approved"));
      group(["审核", "Review"], h("div", { class: "row-actions" }, approve));
    } else {
      group(["审核", "Review"], h("p", { id: "approve-refused", class: "warning" },
        bi(["您修改或提交了此草稿，须由另一位管理员审核批准。", "You edited or submitted this draft: another manager must approve it."])));
    }
  }

  if (draft.state === "approved" || draft.state === "scheduled") {
    const publishNow = button("publish-now", ["立即发布", "Publish now"], "btn-primary");
    publishNow.addEventListener("click", () => publish(publishNow, {}));
    const at = h("input", { id: "publish-at", type: "datetime-local", "aria-label": text(["发布时间（上海时间）", "Publish at (Shanghai time)"]) });
    at.value = keep("publish-at", shanghaiInputValue(Math.ceil((now() + 3600_000) / 600_000) * 600_000));
    const schedule = button("publish-schedule", ["定时发布", "Publish at this time"]);
    schedule.addEventListener("click", () => {
      const iso = shanghaiInputToISO(at.value);
      if (!iso || Date.parse(iso) <= now()) {
        at.classList.add("is-invalid");
        showInfoIn($("draft-message"), "请选择晚于现在的上海时间 / choose a Shanghai time in the future", "error");
        return;
      }
      at.classList.remove("is-invalid");
      publish(schedule, { at: iso });
    });
    group(["发布", "Publish"],
      draft.state === "scheduled" ? h("p", { class: "hint" }, bi([`已排期：${shanghaiTime(draft.publishAt)}（上海时间）发布`, `Scheduled for ${shanghaiTime(draft.publishAt)} Shanghai time`])) : null,
      h("div", { class: "row-actions" }, publishNow),
      h("div", { class: "row-actions" }, at, h("span", { class: "muted small" }, bi(["上海时间", "Shanghai time"])), schedule),
      h("div", { id: "strands-confirm", class: "warning", hidden: true }));
  }

  if (OPEN.has(draft.state)) {
    const impact = button("impact", ["查看影响", "Show the impact"]);
    impact.addEventListener("click", () => busy(impact, () => showImpact(draft.id).catch((error) => showErrorIn($("draft-message"), error))));
    const other = [impact];
    if (draft.state !== "editing") {
      const comment = input("send-back-comment", { placeholder: text(["退回原因（必填）", "Why (required)"]), "aria-label": text(["退回原因", "Why it goes back"]) }, keep("send-back-comment", ""));
      const back = button("send-back", ["退回修改", "Send back"]);
      back.addEventListener("click", () => {
        if (!comment.value.trim()) {
          comment.classList.add("is-invalid");
          showInfoIn($("draft-message"), "退回须写明原因 / say why it goes back", "error");
          return;
        }
        step(back, "/send-back", { comment: comment.value.trim() }, "已退回编辑 / Sent back to editing");
      });
      group(["退回", "Send back"], h("div", { class: "row-actions" }, comment, back));
    }
    const discard = button("discard", ["放弃草稿", "Discard the draft"], "btn-reject");
    discard.addEventListener("click", () => {
      if (!discard.dataset.armed) {
        discard.dataset.armed = "1";
        fill(discard, bi(["确认放弃？", "Really discard?"]));
        return;
      }
      step(discard, "/discard", {}, "草稿已放弃 / Draft discarded");
    });
    other.push(discard);
    group(["其他", "More"], h("div", { class: "row-actions" }, other));
  }

  if (draft.state === "published") {
    group(["已发布", "Published"], h("p", {}, bi([`此草稿已发布为第 ${draft.publishedVersion} 版。`, `This draft was published as version ${draft.publishedVersion}.`])));
  }
  if (draft.state === "discarded") group(["已放弃", "Discarded"], h("p", { class: "muted" }, bi(["此草稿已放弃。", "This draft was discarded."])));
  fill($("draft-actions"), groups);
}

async function publish(trigger, body) {
  await busy(trigger, async () => {
    const id = state.view.draft.id;
    try {
      const view = await post(path(id, "/publish"), body);
      hideBox($("draft-message"));
      setView(view);
      toast(view.draft.state === "scheduled"
        ? `已排期，将于 ${shanghaiTime(view.draft.publishAt)} 发布 / Scheduled for ${shanghaiTime(view.draft.publishAt)} (Shanghai)`
        : `已发布为第 ${view.draft.publishedVersion} 版 / Published as version ${view.draft.publishedVersion}`, "info");
      await loadDrafts();
    } catch (error) {
      const box = $("strands-confirm");
      if (error.code === "strands_category" && box) {
        hideBox($("draft-message"));
        const confirm = h("button", { id: "publish-confirm", type: "button", class: "btn btn-small btn-reject" }, bi(["仍然发布", "Publish anyway"]));
        const cancel = h("button", { type: "button", class: "btn btn-small btn-ghost" }, bi(["取消", "Cancel"]));
        confirm.addEventListener("click", () => publish(confirm, { ...body, confirmStranding: true }));
        cancel.addEventListener("click", () => { box.hidden = true; fill(box); });
        box.hidden = false;
        fill(box, h("p", {}, message(error.message)), h("div", { class: "row-actions" }, confirm, cancel));
        showImpact(id).catch(() => {});
      } else {
        showErrorIn($("draft-message"), error);
      }
    }
  });
}

// ---------------------------------------------------------------------------------- impact

function categoryName(code) {
  const category = (state.view?.draft?.document?.categories ?? state.categories).find((entry) => entry.code === code)
    ?? state.categories.find((entry) => entry.code === code);
  return category ? h("span", { class: "chip" }, h("span", { class: "letter" }, category.letter), named(category.name)) : h("span", { class: "chip mono" }, code);
}

async function showImpact(id) {
  const impact = await get(path(id, "/impact"));
  if (state.view?.draft?.id !== id) return;
  impactShownFor = `${id}:${state.view.draft.updatedAt}`;
  const box = $("draft-impact");
  box.hidden = false;
  const waiting = impact.waitingByChangedItem ?? [];
  const section = (title, content) => h("div", { class: "impact-part" }, h("h4", { class: "action-title" }, bi(title)), content);
  const none = () => h("span", { class: "muted" }, bi("none"));
  fill(box, h("h3", { class: "panel-title" }, bi(["发布影响", "What publishing does"])),
    section(["改动事项的等候人数（保留原版本材料与指南）", "Waiting per changed item (they keep their version's materials and guide)"],
      waiting.length ? h("ul", { class: "impact-list", id: "impact-waiting" }, waiting.map((entry) =>
        h("li", { dataset: { item: entry.item } }, h("span", { class: "chip mono" }, entry.item), " ", bi([`${entry.waiting} 人等候`, `${entry.waiting} waiting`])))) : none()),
    section(["无工作人员具备技能的分类", "Categories no clerk is skilled for"],
      impact.strandedCategories?.length ? h("div", { class: "impact-list", id: "impact-stranded" }, impact.strandedCategories.map(categoryName)) : none()),
    section(["暂停或停用但仍有人等候（仍会办理）", "Suspended or retired with people waiting (they are still served)"],
      impact.suspendedWithWaiting?.length ? h("ul", { class: "impact-list" }, impact.suspendedWithWaiting.map((entry) =>
        h("li", {}, h("span", { class: "chip mono" }, entry.item), " ", bi([`${entry.waiting} 人等候`, `${entry.waiting} waiting`])))) : none()),
    section(["改变分类的事项（等候者随之移动）", "Items moving to another category (their waiting tickets move along)"],
      impact.recategorized?.length ? h("div", { class: "impact-list" }, impact.recategorized.map((code) => h("span", { class: "chip mono" }, code))) : none()));
}

// ---------------------------------------------------------------------------------- wiring

export function wireDrafts(given) {
  hooks = { ...hooks, ...given };
  $("new-draft").addEventListener("click", () => {
    $("new-draft-form").hidden = false;
    $("new-draft").hidden = true;
    $("new-draft-note").focus();
  });
  $("new-draft-cancel").addEventListener("click", () => {
    $("new-draft-form").reset();
    $("new-draft-form").hidden = true;
    $("new-draft").hidden = false;
    hideBox($("new-draft-message"));
  });
  $("new-draft-note").addEventListener("input", () => $("new-draft-note").classList.remove("is-invalid"));
  $("new-draft-form").addEventListener("submit", createDraft);
  $("draft-close").addEventListener("click", () => {
    if (!hooks.closeEditor()) return;
    setView(null);
  });
  $("draft-actions").addEventListener("input", (event) => event.target.classList?.remove("is-invalid"));
}
