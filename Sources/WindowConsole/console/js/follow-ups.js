// 差评 and 补正 follow-up (managers and admins; docs/follow-up.md). The list of cases, by kind
// (差评 / 补正) and state (open / overdue / all), overdue ones in red; and one case: what the
// applicant said, the 1·5·15 working-day deadlines with done/overdue marks, the call-back number
// (in full for the case owner only: the server masks it for everyone else), the steps taken, and
// the buttons of the next step with a note. The page asks again every 30 s; the filters and the
// open case live in the address (#kind=rating&state=overdue&case=12).
import { ApiError, get, post, requireAccount } from "./api.js";
import { allItems, item as loadItem } from "./catalog.js";
import { now } from "./clock.js";
import {
  CLASSIFICATIONS, DEADLINE_STATUS, KINDS, LEVELS, NEXT_STEPS,
  actionPair, byPair, deadlineStatus, deadlines, shanghaiDeadline, shanghaiTime, shanghaiToday, statePair,
} from "./follow-up-format.js";
import { text } from "./i18n.js";
import { mountTopbar } from "./topbar.js";
import { bi, busy, fill, h, message, named, showError, toast } from "./ui.js";

const $ = (id) => document.getElementById(id);
const EVERY_MS = 30000;

const state = {
  account: null,
  kind: "", // "", "rating" or "correction"
  filter: "open", // open, overdue, all
  cases: [],
  overdue: 0,
  items: new Map(), // code → item (today's), for names
  sites: new Map(), // id → site
  caseId: null,
  view: null, // the open case's FollowUpView
  asked: 0,
};

// ------------------------------------------------------------------------------------ labels

function itemLabel(code) {
  const item = state.items.get(code);
  return item ? h("span", {}, named(item.name), h("span", { class: "muted mono small" }, ` ${code}`)) : h("span", { class: "mono" }, code);
}

function siteLabel(id) {
  const site = state.sites.get(id);
  return site ? h("span", {}, named(site.name), h("span", { class: "muted mono small" }, ` ${site.code}`)) : h("span", { class: "mono" }, `#${id}`);
}

function stateBadge(kind, value) {
  return h("span", { class: `badge fu-state fu-state-${value}`, dataset: { state: value } }, bi(statePair(kind, value)));
}

function levelLabel(level) {
  if (!Number.isInteger(level)) return h("span", { class: "muted" }, "—");
  return h("span", { class: `fu-level fu-level-${level}`, dataset: { level: String(level) } },
    h("strong", { class: "mono" }, `${level}★`), " ", bi(LEVELS[level] ?? [String(level), ""]));
}

// ------------------------------------------------------------------------------------ the address

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const kind = params.get("kind") ?? "";
  const filter = params.get("state") ?? "open";
  const id = Number(params.get("case"));
  return {
    kind: ["rating", "correction"].includes(kind) ? kind : "",
    filter: ["open", "overdue", "all"].includes(filter) ? filter : "open",
    caseId: Number.isInteger(id) && id > 0 ? id : null,
  };
}

function hashFor({ kind = state.kind, filter = state.filter, caseId = state.caseId } = {}) {
  const params = new URLSearchParams();
  if (kind) params.set("kind", kind);
  params.set("state", filter);
  if (caseId) params.set("case", String(caseId));
  return `#${params.toString()}`;
}

async function applyHash() {
  const wanted = readHash();
  const listChanged = wanted.kind !== state.kind || wanted.filter !== state.filter;
  state.kind = wanted.kind;
  state.filter = wanted.filter;
  renderFilters();
  if (listChanged) await loadList().catch(showListError);
  if (wanted.caseId !== state.caseId) {
    if (wanted.caseId) await openCase(wanted.caseId);
    else closeCase();
  }
}

// ------------------------------------------------------------------------------------ the list

function renderFilters() {
  for (const button of $("kind-filter").querySelectorAll("button")) button.setAttribute("aria-pressed", String(button.dataset.kind === state.kind));
  for (const button of $("state-filter").querySelectorAll("button")) button.setAttribute("aria-pressed", String(button.dataset.state === state.filter));
}

function showListError(error) {
  const box = $("list-message");
  box.hidden = false;
  fill(box, message(error?.message || text("error.generic")));
}

async function loadList() {
  const params = new URLSearchParams({ state: state.filter });
  if (state.kind) params.set("kind", state.kind);
  const ticket = ++state.asked;
  const result = await get(`/api/v1/follow-ups?${params}`);
  if (ticket !== state.asked) return; // a newer filter was chosen meanwhile
  $("list-message").hidden = true;
  state.cases = result?.cases ?? [];
  state.overdue = Number(result?.overdue ?? 0);
  renderList();
}

function renderList() {
  const cases = [...state.cases].sort((a, b) => Number(b.overdue) - Number(a.overdue)
    || (Date.parse(a.nextDue ?? "") || Infinity) - (Date.parse(b.nextDue ?? "") || Infinity)
    || Date.parse(b.openedAt) - Date.parse(a.openedAt));
  $("cases-count").textContent = String(cases.length);
  const count = $("overdue-count");
  count.dataset.count = String(state.overdue);
  count.classList.toggle("is-alert", state.overdue > 0);
  fill(count, h("span", { class: "bi" },
    h("span", { class: "zh" }, `超期 ${state.overdue} 件`), h("span", { class: "en", lang: "en" }, `${state.overdue} overdue`)));
  if (cases.length === 0) {
    const empty = state.filter === "overdue" ? ["没有超期的跟进件", "Nothing is overdue"] : ["没有跟进件", "No cases"];
    fill($("cases-body"), h("tr", { class: "empty" }, h("td", { colspan: 10, class: "muted" }, bi(empty))));
    return;
  }
  fill($("cases-body"), cases.map((summary) => {
    const next = summary.nextStep ? NEXT_STEPS[summary.nextStep] ?? [summary.nextStep, summary.nextStep] : null;
    const row = h("tr", {
      class: [summary.overdue ? "is-overdue" : "", summary.id === state.caseId ? "is-chosen" : ""].join(" ").trim(),
      dataset: { id: String(summary.id), kind: summary.kind, state: summary.state, overdue: String(summary.overdue) },
    },
    h("td", { class: "mono" }, h("a", { class: "case-link", href: hashFor({ caseId: summary.id }) }, summary.caseNumber ?? `#${summary.id}`)),
    h("td", {}, bi(KINDS[summary.kind] ?? [summary.kind, ""])),
    h("td", {}, stateBadge(summary.kind, summary.state)),
    h("td", {}, itemLabel(summary.itemCode)),
    h("td", {}, summary.clerkName ?? `#${summary.clerk}`),
    h("td", {}, summary.kind === "rating" ? levelLabel(summary.level) : h("span", { class: "muted" }, "—")),
    h("td", { class: "mono nowrap" }, shanghaiTime(summary.openedAt)),
    h("td", { class: "fu-owner" }, summary.kind !== "rating" ? h("span", { class: "muted" }, "—")
      : summary.owner ?? h("span", { class: "muted" }, bi(["未签收", "Not signed"]))),
    h("td", { class: "fu-next" }, next ? bi(next) : h("span", { class: "muted" }, "—")),
    h("td", { class: "fu-due mono nowrap" }, summary.nextDue ? shanghaiDeadline(summary.nextDue) : "—",
      summary.overdue ? h("span", { class: "badge fu-overdue-mark" }, bi(["已超期", "Overdue"])) : null));
    row.addEventListener("click", (event) => {
      if (event.target.closest("a")) return;
      location.hash = hashFor({ caseId: summary.id });
    });
    return row;
  }));
}

// ------------------------------------------------------------------------------------ one case

function closeCase() {
  state.caseId = null;
  state.view = null;
  $("case").hidden = true;
  for (const row of $("cases-body").querySelectorAll("tr.is-chosen")) row.classList.remove("is-chosen");
}

async function openCase(id) {
  state.caseId = id;
  for (const row of $("cases-body").querySelectorAll("tr[data-id]")) row.classList.toggle("is-chosen", Number(row.dataset.id) === id);
  try {
    const view = await get(`/api/v1/follow-ups/${id}`);
    if (state.caseId !== id) return;
    hideMessage();
    showCase(view, { fresh: true });
    $("case").scrollIntoView({ block: "start", behavior: "smooth" });
  } catch (error) {
    if (state.caseId !== id) return;
    showError(error);
    closeCase();
  }
}

async function reloadCase() {
  const id = state.caseId;
  if (!id) return;
  const view = await get(`/api/v1/follow-ups/${id}`);
  if (state.caseId === id) showCase(view, { fresh: false });
}

function mine(detail) {
  return detail?.owner && state.account && detail.owner.account === state.account.id;
}

function showCase(view, { fresh }) {
  const previous = state.view;
  state.view = view;
  const { summary, detail } = view;
  const panel = $("case");
  panel.hidden = false;
  panel.dataset.id = String(detail.id);
  panel.dataset.kind = detail.kind;
  panel.dataset.state = detail.state;
  panel.dataset.owner = detail.owner?.username ?? "";
  panel.classList.toggle("is-overdue", Boolean(summary.overdue));
  fill($("case-kind"), bi(KINDS[detail.kind] ?? [detail.kind, ""]));
  $("case-number").textContent = detail.caseNumber ?? `#${detail.id}`;
  fill($("case-state"), stateBadge(detail.kind, detail.state),
    summary.overdue ? h("span", { class: "badge fu-overdue-mark" }, bi(["已超期", "Overdue"])) : null);
  renderFacts(view);
  renderPhone(view);
  renderDeadlines(detail);
  renderSteps(detail, summary);
  // Keep what is being typed when the case has not moved on (a poll); start afresh otherwise.
  const moved = fresh || !previous || previous.detail.id !== detail.id || previous.detail.state !== detail.state
    || (previous.detail.owner?.account ?? null) !== (detail.owner?.account ?? null);
  if (moved) renderActions(view);
}

function renderFacts({ summary, detail }) {
  const facts = [];
  const fact = (label, value, key) => {
    if (value === null || value === undefined || value === "") return;
    facts.push(h("div", { class: "fact", dataset: key ? { fact: key } : undefined }, h("dt", {}, bi(label)), h("dd", {}, value)));
  };
  if (detail.kind === "rating") {
    fact(["评价", "Rating"], levelLabel(detail.level), "level");
    fact(["评语", "Comment"], detail.comment ? h("span", { class: "fu-comment" }, detail.comment) : h("span", { class: "muted" }, bi(["未填写", "None given"])), "comment");
  } else {
    fact(["补正编号", "Reference"], h("strong", { class: "mono" }, detail.caseNumber ?? "—"), "reference");
    fact(["缺少的材料", "Missing materials"], detail.missing?.length
      ? h("ul", { class: "fu-missing" }, detail.missing.map((name) => h("li", {}, name)))
      : h("span", { class: "muted" }, bi(["未列明", "None listed"])), "missing");
    fact(["工作人员备注", "Clerk's note"], detail.note ?? null, "note");
  }
  fact(["工作人员", "Clerk"], summary.clerkName ?? `#${detail.clerk}`, "clerk");
  const itemFact = h("span", { class: "fu-item" }, itemLabel(detail.itemCode),
    detail.itemVersion ? h("span", { class: "muted small" }, " ", bi([`（第 ${detail.itemVersion} 版）`, `(version ${detail.itemVersion})`])) : null);
  fact(["事项", "Item"], itemFact, "item");
  fact(["站点", "Site"], siteLabel(detail.site), "site");
  fact(["开启时间（上海）", "Opened (Shanghai)"], h("span", { class: "mono" }, shanghaiTime(detail.openedAt)), "opened");
  if (detail.kind === "rating") {
    fact(["签收人", "Owner"], detail.owner ? h("span", {}, detail.owner.username, mine(detail) ? h("span", { class: "muted" }, " ", bi(["（您）", "(you)"])) : null)
      : h("span", { class: "muted" }, bi(["未签收", "Not signed for"])), "owner");
    if (detail.classification) {
      fact(["分类", "Classification"], h("span", {}, bi(CLASSIFICATIONS[detail.classification] ?? [detail.classification, ""]),
        detail.planDate ? h("span", { class: "mono" }, ` ${detail.planDate}`) : null), "classification");
    }
    if (detail.appealRequestedBy) {
      const decided = detail.appealDecidedBy
        ? h("span", {}, bi(detail.appealUpheld ? ["成立：评价已标记为误评或恶意（不删除，不再计入统计）", "Upheld: the rating is marked (never deleted; reports no longer count it)"]
          : ["驳回：退回重新分类", "Refused: back to classify again"]), h("span", { class: "muted" }, ` · ${detail.appealDecidedBy.username}`))
        : h("span", { class: "warn-text" }, bi(["待另一位管理员复核", "Awaiting another manager's decision"]));
      fact(["申诉复核", "Appeal"], h("span", {}, h("span", { class: "muted" }, bi([`${detail.appealRequestedBy.username} 申请`, `asked by ${detail.appealRequestedBy.username}`])), " ", decided), "appeal");
    }
    if (detail.revisitSatisfied !== null && detail.revisitSatisfied !== undefined) {
      fact(["回访结果", "Revisit"], bi(detail.revisitSatisfied ? ["满意", "Satisfied"] : ["不满意", "Not satisfied"]), "revisit");
    }
  } else {
    if (detail.returnedAt) {
      fact(["补正回来", "Came back"], h("span", { class: "mono" }, shanghaiTime(detail.returnedAt)), "returned");
    }
  }
  fill($("case-facts"), facts);
}

function renderPhone({ detail, phone, idNumberMasked }) {
  const box = $("case-phone");
  if (detail.kind !== "rating") {
    fill(box);
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const owner = mine(detail);
  const parts = [h("div", { class: "fu-phone-label" }, bi(["回访电话", "Call-back number"]))];
  if (phone) {
    parts.push(h("strong", { id: "phone", class: "mono fu-phone-number", dataset: { full: String(owner) } }, phone));
  } else if (detail.hasPhone) {
    parts.push(h("span", { id: "phone", class: "warn-text" }, bi(["号码无法读取", "The number cannot be read"])));
  } else {
    parts.push(h("span", { id: "phone", class: "muted" }, bi(["办事人未留电话", "The applicant left no number"])));
  }
  if (detail.hasPhone) {
    parts.push(h("p", { id: "phone-note", class: "hint" }, owner
      ? bi(["您是签收人，可见完整号码；仅用于本次回访", "You own the case: the full number, for this call-back only"])
      : bi(["仅签收人可见完整号码", "Only the case owner sees the full number"])));
  }
  if (idNumberMasked) parts.push(h("div", { class: "muted small" }, bi([`身份证 ${idNumberMasked}`, `ID ${idNumberMasked}`])));
  fill(box, parts);
}

/** The 1·5·15 rule, counted from the rating in working days of the site's calendar. */
const LIMITS = {
  contact: ["1 个工作日内", "within 1 working day"],
  rectify: ["5 个工作日内", "within 5 working days"],
  close: ["15 个工作日内", "within 15 working days"],
};

function renderDeadlines(detail) {
  const ended = ["closed", "returned", "expired"].includes(detail.state);
  const rows = deadlines(detail).map((entry) => {
    let status = deadlineStatus(entry, now(), ended && detail.state === "closed");
    if (detail.kind === "correction" && detail.state === "expired" && !entry.doneAt) status = "overdue";
    const label = detail.kind === "correction" && status === "overdue" && detail.state === "expired" ? ["已过期", "Expired"] : DEADLINE_STATUS[status];
    return h("tr", { class: status === "overdue" ? "is-overdue" : "", dataset: { step: entry.step, status } },
      h("td", {}, bi(NEXT_STEPS[entry.step] ?? [entry.step, ""]), LIMITS[entry.step] ? h("div", { class: "muted small" }, bi(LIMITS[entry.step])) : null),
      h("td", { class: "mono nowrap" }, shanghaiDeadline(entry.due)),
      h("td", { class: "mono nowrap" }, entry.doneAt ? shanghaiTime(entry.doneAt) : "—"),
      h("td", {}, h("span", { class: `badge fu-deadline fu-deadline-${status}` }, bi(label))));
  });
  fill($("deadlines-body"), rows.length ? rows : h("tr", { class: "empty" }, h("td", { colspan: 4, class: "muted" }, bi(["无期限", "No deadline"]))));
}

function renderSteps(detail, summary) {
  const steps = detail.steps ?? [];
  fill($("steps-body"), steps.length ? steps.map((step, index) =>
    h("tr", { dataset: { action: step.action, by: step.by, index: String(index) } },
      h("td", { class: "mono nowrap" }, shanghaiTime(step.at)),
      h("td", { class: "fu-by" }, bi(byPair(step.by, summary.clerkName))),
      h("td", {}, bi(actionPair(step.action))),
      h("td", { class: "fu-note" }, step.note ?? "")))
    : h("tr", { class: "empty" }, h("td", { colspan: 4, class: "muted" }, bi(["暂无记录", "Nothing yet"]))));
}

// ------------------------------------------------------------------------------------ steps

const ERRORS = {
  not_case_owner: ["只有签收此件的管理员可以进行这一步。", "Only the manager who signed for this case can take this step."],
  same_manager: ["申诉复核须由签收人以外的另一位管理员决定，请由其他管理员复核。", "The appeal must be decided by another manager, not the case owner."],
  follow_up_state: ["此件当前状态不能进行这一步（可能已被他人处理），已重新载入。", "This step does not fit the case's state now (someone may have moved it on); reloaded."],
  note_required: ["请填写说明。", "Write a note first."],
};

function hideMessage() {
  const box = $("case-message");
  box.hidden = true;
  delete box.dataset.code;
  fill(box);
}

function showMessage(error) {
  const box = $("case-message");
  const code = error instanceof ApiError ? error.code : "error";
  box.hidden = false;
  box.dataset.code = code;
  box.className = "form-message form-message-error";
  fill(box, ERRORS[code] ? h("strong", { class: "fu-error-why" }, bi(ERRORS[code])) : null,
    h("div", { class: "fu-error-server" }, message(error?.message || text("error.generic"))),
    h("div", { class: "muted small mono" }, code));
  box.scrollIntoView({ block: "nearest" });
}

/** Sends a step; the answer is the case as it is now. */
async function step(button, action, extra = {}) {
  const id = state.caseId;
  const note = $("action-note")?.value.trim() ?? "";
  await busy(button, async () => {
    try {
      const body = { ...extra };
      if (note) body.note = note;
      const view = await post(`/api/v1/follow-ups/${id}/${action}`, body);
      if (state.caseId !== id) return;
      hideMessage();
      showCase(view, { fresh: true });
      toast(`${text(actionPair(doneAction(action, extra)))}`, "info");
      loadList().catch(() => {});
    } catch (error) {
      if (state.caseId !== id) return;
      showMessage(error);
      if (error instanceof ApiError && error.code === "note_required") {
        $("action-note")?.classList.add("is-invalid");
        $("action-note")?.focus();
      }
      if (error instanceof ApiError && (error.code === "follow_up_state" || error.status === 404)) {
        reloadCase().catch(() => {});
        loadList().catch(() => {});
      }
    }
  });
}

function doneAction(action, extra) {
  switch (action) {
    case "sign": return "signed";
    case "contact": return "contacted";
    case "classify": return extra.classification === "mistaken" ? "appeal-requested" : `classified:${extra.classification}`;
    case "appeal-decision": return extra.upheld ? "appeal-upheld" : "appeal-refused";
    case "rectify": return "rectified";
    case "revisit": return extra.satisfied ? "revisited:satisfied" : "revisited:unsatisfied";
    case "close": return "closed";
    default: return action;
  }
}

function actionButton(action, label, onClick, kind = "btn-primary") {
  const button = h("button", { type: "button", class: `btn ${kind}`, dataset: { action } }, bi(label));
  button.addEventListener("click", () => onClick(button));
  return button;
}

function noteField(placeholder) {
  const note = h("textarea", { id: "action-note", rows: 2, maxlength: 2000, placeholder: text(placeholder), "aria-label": text(["说明", "Note"]) });
  note.addEventListener("input", () => note.classList.remove("is-invalid"));
  return h("div", { class: "field" }, h("label", { for: "action-note", class: "bi" }, h("span", { class: "zh" }, "说明"), h("span", { class: "en", lang: "en" }, "Note")), note);
}

function renderActions({ detail }) {
  const box = $("case-actions");
  box.dataset.state = detail.state;
  if (detail.kind !== "rating") {
    const says = {
      open: ["等待办事人凭补正编号补齐材料（任一自助终端取号，优先办理）。", "Waiting for the applicant to come back with the reference (any kiosk; served first)."],
      returned: ["办事人已补正回来。", "The applicant came back with the materials."],
      expired: ["补正期限已过，办事人须重新取号办理。", "The time ran out: the applicant takes a new ticket."],
    }[detail.state];
    fill(box, says ? h("p", { class: "hint fu-hint" }, bi(says)) : null);
    return;
  }
  const owner = detail.owner;
  const isMine = mine(detail);
  const hints = [];
  if (owner && !isMine && detail.state !== "appealing" && detail.state !== "closed") {
    hints.push(h("p", { class: "hint fu-hint", id: "owner-hint" }, bi([`此件由 ${owner.username} 签收，只有签收人可以进行下一步。`, `Signed for by ${owner.username}: only the owner takes the next steps.`])));
  }
  const parts = [];
  switch (detail.state) {
    case "open":
      parts.push(h("p", { class: "hint fu-hint" }, bi(["签收后由签收人负责后续各环节；须在 1 个工作日内联系办事人。", "Whoever signs owns the case and its next steps; contact the applicant within 1 working day."])));
      parts.push(noteField(["联系情况（已联系时必填）", "How the call went (needed to record the contact)"]));
      parts.push(h("div", { class: "row-actions" },
        owner ? null : actionButton("sign", ["签收", "Sign for it"], (button) => step(button, "sign"), "btn-secondary"),
        actionButton("contact", ["已联系", "Contacted"], (button) => step(button, "contact"))));
      break;
    case "contacted": {
      const choices = Object.entries(CLASSIFICATIONS).map(([value, label]) =>
        h("label", { class: "check-label fu-choice" }, h("input", { type: "radio", name: "classification", value }), bi(label)));
      const plan = h("input", { id: "plan-date", type: "date", min: shanghaiToday(now()), "aria-label": text(["整改计划日期", "Fix plan date"]) });
      const planField = h("div", { class: "field fu-plan", hidden: true },
        h("label", { for: "plan-date", class: "bi" }, h("span", { class: "zh" }, "整改计划日期"), h("span", { class: "en", lang: "en" }, "Fix plan date")), plan);
      const group = h("fieldset", { class: "fu-classes" }, h("legend", { class: "bi" }, h("span", { class: "zh" }, "分类"), h("span", { class: "en", lang: "en" }, "Classification")), choices);
      group.addEventListener("change", () => {
        planField.hidden = group.querySelector("input:checked")?.value !== "complex";
      });
      parts.push(group, planField, noteField(["分类理由", "Why"]));
      parts.push(h("p", { class: "hint fu-hint" }, bi(["选择“误评或恶意差评”将提交申诉复核，由另一位管理员决定。", "“Mistaken or malicious” asks for an appeal: another manager decides it."])));
      parts.push(h("div", { class: "row-actions" }, actionButton("classify", ["分类", "Classify"], (button) => {
        const classification = group.querySelector("input:checked")?.value;
        if (!classification) {
          showMessage(new ApiError(0, "classification_required", "请选择分类 / Choose a classification"));
          return;
        }
        const extra = { classification };
        if (classification === "complex") {
          if (!plan.value) {
            showMessage(new ApiError(0, "plan_date_required", "复杂诉求须选择整改计划日期 / A complex case needs the fix plan's date"));
            plan.focus();
            return;
          }
          extra.planDate = plan.value;
        }
        step(button, "classify", extra);
      })));
      break;
    }
    case "appealing":
      parts.push(h("p", { class: "hint fu-hint fu-appeal-hint" }, bi(isMine
        ? ["您是此件的签收人：申诉复核须由另一位管理员决定。", "You own this case: the appeal must be decided by another manager."]
        : ["申诉复核须由签收人以外的管理员决定：成立则评价被标记（不删除、不计入统计）并办结；驳回则退回签收人重新分类。",
          "Decided by a manager other than the owner: upheld marks the rating (never deleted; reports stop counting it) and closes the case; refused sends it back to be classified again."])));
      parts.push(noteField(["复核意见", "The decision's reasons"]));
      parts.push(h("div", { class: "row-actions" },
        actionButton("appeal-upheld", ["申诉成立", "Uphold the appeal"], (button) => step(button, "appeal-decision", { upheld: true })),
        actionButton("appeal-refused", ["驳回申诉", "Refuse the appeal"], (button) => step(button, "appeal-decision", { upheld: false }), "btn-secondary")));
      break;
    case "classified":
      parts.push(noteField(["整改情况", "What was fixed"]));
      parts.push(h("div", { class: "row-actions" }, actionButton("rectify", ["整改完成", "Rectified"], (button) => step(button, "rectify"))));
      break;
    case "rectified":
      parts.push(noteField(["回访情况", "How the call-back went"]));
      parts.push(h("div", { class: "row-actions" },
        actionButton("revisit-satisfied", ["回访：满意", "Revisited: satisfied"], (button) => step(button, "revisit", { satisfied: true })),
        actionButton("revisit-unsatisfied", ["回访：不满意", "Revisited: not satisfied"], (button) => step(button, "revisit", { satisfied: false }), "btn-secondary")));
      break;
    case "revisited":
      parts.push(noteField(["办结说明", "Closing note"]));
      parts.push(h("div", { class: "row-actions" }, actionButton("close", ["办结", "Close the case"], (button) => step(button, "close"))));
      break;
    case "closed":
      parts.push(h("p", { class: "hint fu-hint", id: "closed-hint" }, bi(detail.appealUpheld
        ? ["已办结：申诉成立，该评价已标记为误评或恶意差评。", "Closed: the appeal was upheld and the rating is marked."]
        : ["已办结，无需再处理。", "Closed: nothing more to do."])));
      break;
    default:
      break;
  }
  fill(box, hints, parts);
}

// ------------------------------------------------------------------------------------ start

async function loadNames() {
  const [items, sites] = await Promise.allSettled([allItems(), get("/api/v1/sites")]);
  if (items.status === "fulfilled") state.items = items.value;
  if (sites.status === "fulfilled" && Array.isArray(sites.value)) state.sites = new Map(sites.value.map((site) => [site.id, site]));
}

/** An item of an older version, named as its case was opened (today's name when it is the same). */
async function nameOlderItems() {
  const missing = [...new Set(state.cases.map((c) => c.itemCode))].filter((code) => !state.items.has(code));
  for (const code of missing) {
    try {
      state.items.set(code, await loadItem(code));
    } catch {
      // shown by its code
    }
  }
  if (missing.length) renderList();
}

async function main() {
  state.account = await requireAccount(["manager", "admin"]);
  $("me-name").textContent = state.account.displayName;
  $("me-role").textContent = state.account.role === "admin" ? text(["管理员", "Admin"]) : text(["值班经理", "Manager"]);

  for (const button of $("kind-filter").querySelectorAll("button")) {
    button.addEventListener("click", () => { location.hash = hashFor({ kind: button.dataset.kind }); });
  }
  for (const button of $("state-filter").querySelectorAll("button")) {
    button.addEventListener("click", () => { location.hash = hashFor({ filter: button.dataset.state }); });
  }
  $("case-close").addEventListener("click", () => { location.hash = hashFor({ caseId: null }); });
  window.addEventListener("hashchange", () => applyHash().catch(showError));

  await loadNames();
  const wanted = readHash();
  state.kind = wanted.kind;
  state.filter = wanted.filter;
  renderFilters();
  await loadList().catch(showListError);
  nameOlderItems();
  if (wanted.caseId) await openCase(wanted.caseId);
  document.body.classList.remove("is-loading");

  // Other managers move cases on too: look again now and then, unless someone is typing a step.
  setInterval(() => {
    if (document.visibilityState !== "visible") return;
    loadList().catch(() => {});
    if (state.caseId && !$("case-actions").contains(document.activeElement)) reloadCase().catch(() => {});
  }, EVERY_MS);
}

mountTopbar();
main().catch((error) => {
  console.error(error);
  showError(error);
});
