// The item editor: a form for every element of an item's 办事指南, checked live against the
// draft's catalog (POST …/check, debounced) with each problem next to its field, and saved with
// the revision it was loaded at. When someone saved the item in between (409 edit_conflict) the
// form keeps what was typed until the manager chooses: load their version, or save over it.
import { get, post, put } from "../api.js";
import { pair } from "../i18n.js";
import { bi, busy, fill, h, message, toast } from "../ui.js";
import { $, changeTable, hideBox, problemList, problemPair, showErrorIn, showInfoIn, state } from "./common.js";

const CHECK_AFTER_MS = 300;
const DELIVERIES = ["onSite", "mail", "electronic"];
const OPTIONAL = ["guideURL", "basicCode", "implementationCode", "effectiveFrom"];

const ed = {
  open: false,
  code: null,
  isNew: false,
  draftId: null,
  model: null, // the item as typed
  original: "", // the item as loaded or last saved (JSON), to know whether anything is unsaved
  revision: 0, // the draft's revision of the item the form began from
  local: new Map(), // path → message, for values the page itself cannot read (a number that is not one)
  server: [], // the last problems the server found
  seq: 0,
  timer: null,
  locked: false, // the draft left editing: nothing can be saved
};
let hooks = { setView: () => {} };

// ------------------------------------------------------------------------------------ paths

function tokens(path) {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

function getPath(object, path) {
  let value = object;
  for (const token of tokens(path)) {
    if (value === null || value === undefined) return undefined;
    value = value[token];
  }
  return value;
}

function setPath(object, path, value) {
  const list = tokens(path);
  let target = object;
  list.slice(0, -1).forEach((token, index) => {
    if (target[token] === null || target[token] === undefined) target[token] = typeof list[index + 1] === "number" ? [] : {};
    target = target[token];
  });
  target[list[list.length - 1]] = value;
}

const clone = (value) => JSON.parse(JSON.stringify(value));
const idFor = (path) => `ed-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}`;

// ------------------------------------------------------------------------------------ controls

function slot() {
  return h("div", { class: "field-problems" });
}

function control(path, kind, element) {
  element.dataset.path = path;
  element.dataset.kind = kind;
  if (!element.id) element.id = idFor(path);
  return element;
}

function textInput(path, { kind = "text", multiline = false, type = "text", placeholder, maxlength = "2000", mono = false } = {}) {
  const element = multiline
    ? h("textarea", { rows: "3", maxlength: "8000" })
    : h("input", { type, maxlength, placeholder, class: mono ? "mono" : null, spellcheck: mono ? "false" : null });
  element.value = getPath(ed.model, path) ?? "";
  return control(path, kind, element);
}

function intInput(path, { min = 0 } = {}) {
  const element = h("input", { type: "number", step: "1", min: String(min), inputmode: "numeric", class: "num-input" });
  const value = getPath(ed.model, path);
  element.value = value === undefined || value === null ? "" : String(value);
  return control(path, "int", element);
}

function selectInput(path, options) {
  const value = getPath(ed.model, path);
  const known = options.some(([code]) => code === value);
  const element = h("select", {},
    known || value === undefined ? null : h("option", { value }, value),
    options.map(([code, label]) => h("option", { value: code }, Array.isArray(label) && label[1] ? `${label[0]} / ${label[1]}` : String(label[0] ?? label))));
  element.value = value ?? "";
  return control(path, "select", element);
}

function checkInput(path) {
  const element = h("input", { type: "checkbox" });
  element.checked = Boolean(getPath(ed.model, path));
  return control(path, "bool", element);
}

/** One field: label, control, its problems. */
function field(path, label, input, extra) {
  return h("div", { class: `ed-field ${extra ?? ""}`.trim(), dataset: { path } },
    h("label", { for: input.id }, bi(label)), input, slot());
}

/** A checkbox with its label after it. */
function checkField(path, label) {
  const input = checkInput(path);
  return h("div", { class: "ed-field ed-check", dataset: { path } }, h("label", { class: "check-label" }, input, bi(label)), slot());
}

/** A Chinese and English text pair (LocalizedText). */
function localized(path, label, options = {}) {
  const sub = (lang, langLabel) => {
    const input = textInput(`${path}.${lang}`, options);
    input.lang = lang === "zh" ? "zh-CN" : "en";
    return h("div", { class: "ed-field ed-sub", dataset: { path: `${path}.${lang}` } },
      h("label", { for: input.id, class: "sub-label" }, bi(langLabel)), input, slot());
  };
  return h("div", { class: "ed-field ed-pair", dataset: { path } },
    h("div", { class: "pair-label" }, bi(label)),
    h("div", { class: "pair-inputs" }, sub("zh", ["中文", "Chinese"]), sub("en", ["英文", "English"])),
    slot());
}

function section(title, ...children) {
  return h("fieldset", { class: "ed-section" }, h("legend", {}, bi(title)), ...children);
}

function row(...children) {
  return h("div", { class: "ed-row" }, ...children);
}

const enumOptions = (prefix, values) => values.map((value) => [value, pair(`${prefix}.${value}`)]);

// ------------------------------------------------------------------------------------ the form

function renderForm() {
  const view = state.view;
  const documentTables = view?.draft?.document ?? { departments: [], categories: [] };
  const departments = documentTables.departments.map((entry) => [entry.code, [`${entry.name.zh}（${entry.code}）`, entry.name.en]]);
  const categories = documentTables.categories.map((entry) => [entry.code, [`${entry.letter} ${entry.name.zh}`, entry.name.en]]);

  const code = textInput("code", { mono: true, maxlength: "16" });
  code.readOnly = true;
  const statusButtons = h("div", { class: "row-actions status-actions" },
    statusButton("suspended", ["暂停", "Suspend"]), statusButton("active", ["恢复", "Resume"]), statusButton("retired", ["停用", "Retire"]));

  const effective = textInput("effectiveFrom", { kind: "opt", type: "date" });
  fill($("editor-form"),
    section(["基本信息", "Basics"],
      row(field("code", ["事项编码", "Code"], code), field("status", ["事项状态", "Status"], selectInput("status", enumOptions("itemStatus", ["active", "suspended", "retired"]))), statusButtons),
      localized("name", ["事项名称", "Name"]),
      row(field("department", ["实施主体", "Department"], selectInput("department", departments)),
        field("departmentRole", ["实施主体性质", "Department's role"], selectInput("departmentRole", enumOptions("role", ["statutory", "entrusted"]))),
        field("category", ["分类（技能）", "Category (skill)"], selectInput("category", categories))),
      row(field("basicCode", ["基本编码", "National basic code"], textInput("basicCode", { kind: "opt", mono: true, maxlength: "64" })),
        field("implementationCode", ["实施编码", "National implementation code"], textInput("implementationCode", { kind: "opt", mono: true, maxlength: "64" })),
        field("effectiveFrom", ["生效日期", "Effective from"], effective))),

    section(["办理", "Handling"],
      row(field("handlingType", ["办件类型", "Handling type"], selectInput("handlingType", [["immediate", ["即办件（当场办结）", "Immediate"]], ["promised", ["承诺件", "Promised"]]])),
        field("visits", ["到现场次数", "Visits in person"], intInput("visits")),
        field("expectedMinutes", ["预计办理分钟数", "Expected minutes"], intInput("expectedMinutes", { min: 1 }))),
      row(limitFields("legalTimeLimit", ["法定办结时限", "Legal time limit"]), limitFields("promisedTimeLimit", ["承诺办结时限", "Promised time limit"]))),

    section(["申请材料", "Materials"],
      checkField("needsMaterials", ["需要申请人提交材料", "The applicant brings materials"]),
      h("div", { class: "ed-field ed-list", dataset: { path: "materials" } }, h("div", { id: "ed-materials" }), slot()),
      h("button", { id: "add-material", type: "button", class: "btn btn-small btn-secondary", onclick: addMaterial }, bi(["添加材料", "Add a material"]))),

    section(["受理条件与设定依据", "Conditions and legal basis"],
      localized("conditions", ["受理条件", "Conditions"], { multiline: true }),
      localized("legalBasis", ["设定依据", "Legal basis"], { multiline: true })),

    section(["收费", "Fee"],
      row(field("fee.yuan", ["金额（元）", "Amount (yuan)"], numberInput("fee.yuan"))),
      localized("fee.note", ["收费说明", "Fee note"]),
      localized("fee.basis", ["收费依据（收费时必填）", "Fee basis (needed when there is a fee)"])),

    section(["办理结果", "Result"],
      localized("result.name", ["结果名称", "Result name"]),
      row(field("result.kind", ["结果类型", "Kind"], selectInput("result.kind", enumOptions("resultKind", ["license", "approval", "other"]))),
        deliveryField())),

    section(["办事指南与联系方式", "Guide and contacts"],
      localized("guide", ["办事指南", "Guide"], { multiline: true }),
      row(field("guideURL", ["办事指南链接（https）", "Guide link (https)"], textInput("guideURL", { kind: "opt", type: "url", maxlength: "500" })),
        field("consultPhone", ["咨询电话", "Enquiries"], textInput("consultPhone", { mono: true, maxlength: "20" })),
        field("complaintPhone", ["监督投诉电话", "Complaints"], textInput("complaintPhone", { mono: true, maxlength: "20" })))),

    section(["常见问题", "FAQ"],
      h("div", { class: "ed-field ed-list", dataset: { path: "faq" } }, h("div", { id: "ed-faq" }), slot()),
      h("button", { id: "add-faq", type: "button", class: "btn btn-small btn-secondary", onclick: addFAQ }, bi(["添加问题", "Add a question"]))));

  renderMaterialRows();
  renderFAQRows();
  updateStatusButtons();
}

function numberInput(path) {
  const element = h("input", { type: "number", step: "0.01", min: "0", class: "num-input" });
  const value = getPath(ed.model, path);
  element.value = value === undefined || value === null ? "" : String(value);
  return control(path, "num", element);
}

function limitFields(path, label) {
  return h("div", { class: "ed-field ed-limit", dataset: { path } },
    h("div", { class: "pair-label" }, bi(label)),
    h("div", { class: "ed-row" },
      field(`${path}.days`, ["天数", "Days"], intInput(`${path}.days`)),
      field(`${path}.unit`, ["单位", "Unit"], selectInput(`${path}.unit`, enumOptions("unit", ["workingDays", "calendarDays"])))),
    slot());
}

function deliveryField() {
  const chosen = getPath(ed.model, "result.delivery") ?? [];
  return h("div", { class: "ed-field ed-delivery", dataset: { path: "result.delivery" } },
    h("div", { class: "pair-label" }, bi(["领取方式", "Delivery"])),
    h("div", { class: "choice-row" }, DELIVERIES.map((way) => {
      const box = h("input", { type: "checkbox", value: way, id: `ed-result-delivery-${way}` });
      box.checked = chosen.includes(way);
      control("result.delivery", "delivery", box);
      return h("label", { class: "check-label" }, box, bi(`delivery.${way}`));
    })),
    slot());
}

function statusButton(status, label) {
  return h("button", { type: "button", class: "btn btn-small btn-secondary", dataset: { status }, onclick: () => {
    ed.model.status = status;
    const select = $("ed-status");
    if (select) select.value = status;
    updateStatusButtons();
    scheduleCheck();
  } }, bi(label));
}

function updateStatusButtons() {
  for (const button of document.querySelectorAll(".status-actions [data-status]")) button.disabled = button.dataset.status === ed.model.status;
}

// ------------------------------------------------------------------------------------ lists

function newMaterial() {
  return { name: { zh: "", en: "" }, form: "original", required: true, copies: 1, medium: "paper", source: "applicant", blankForm: false, sample: false };
}

function renderMaterialRows() {
  const rows = (ed.model.materials ?? []).map((_, index) => {
    const base = `materials[${index}]`;
    const remove = h("button", { type: "button", class: "btn btn-small btn-reject", dataset: { action: "remove-material" }, onclick: () => {
      ed.model.materials.splice(index, 1);
      forgetLocal("materials[");
      renderMaterialRows();
      renderProblems();
      scheduleCheck();
    } }, bi(["删除", "Remove"]));
    return h("div", { class: "ed-field list-row material-row", dataset: { path: base, index: String(index) } },
      h("div", { class: "list-row-head" }, h("strong", { class: "mono" }, `#${index + 1}`), h("span", { class: "spacer" }), remove),
      localized(`${base}.name`, ["材料名称", "Material name"]),
      row(field(`${base}.form`, ["原件/复印件", "Original or copy"], selectInput(`${base}.form`, [["original", pair("material.original")], ["copy", pair("material.copy")]])),
        field(`${base}.copies`, ["份数", "Copies"], intInput(`${base}.copies`, { min: 1 })),
        field(`${base}.medium`, ["材料形式", "Medium"], selectInput(`${base}.medium`, enumOptions("medium", ["paper", "electronic"]))),
        field(`${base}.source`, ["来源渠道", "Source"], selectInput(`${base}.source`, enumOptions("source", ["applicant", "government", "dataSharing"])))),
      row(checkField(`${base}.required`, ["必需", "Required"]), checkField(`${base}.blankForm`, ["有空白表格", "Blank form available"]),
        checkField(`${base}.sample`, ["有示例样表", "Sample available"])),
      slot());
  });
  fill($("ed-materials"), rows.length ? rows : h("p", { class: "muted" }, bi(["没有材料", "No materials"])));
}

function addMaterial() {
  ed.model.materials = ed.model.materials ?? [];
  ed.model.materials.push(newMaterial());
  renderMaterialRows();
  renderProblems();
  $(idFor(`materials[${ed.model.materials.length - 1}].name.zh`))?.focus();
  scheduleCheck();
}

function renderFAQRows() {
  const rows = (ed.model.faq ?? []).map((_, index) => {
    const base = `faq[${index}]`;
    const remove = h("button", { type: "button", class: "btn btn-small btn-reject", dataset: { action: "remove-faq" }, onclick: () => {
      ed.model.faq.splice(index, 1);
      forgetLocal("faq[");
      renderFAQRows();
      renderProblems();
      scheduleCheck();
    } }, bi(["删除", "Remove"]));
    return h("div", { class: "ed-field list-row faq-row", dataset: { path: base, index: String(index) } },
      h("div", { class: "list-row-head" }, h("strong", { class: "mono" }, `Q${index + 1}`), h("span", { class: "spacer" }), remove),
      localized(`${base}.question`, ["问题", "Question"]),
      localized(`${base}.answer`, ["回答", "Answer"], { multiline: true }),
      slot());
  });
  fill($("ed-faq"), rows.length ? rows : h("p", { class: "muted" }, bi(["没有常见问题", "No questions"])));
}

function addFAQ() {
  ed.model.faq = ed.model.faq ?? [];
  ed.model.faq.push({ question: { zh: "", en: "" }, answer: { zh: "", en: "" } });
  renderFAQRows();
  renderProblems();
  $(idFor(`faq[${ed.model.faq.length - 1}].question.zh`))?.focus();
  scheduleCheck();
}

function forgetLocal(prefix) {
  for (const key of [...ed.local.keys()]) if (key.startsWith(prefix)) ed.local.delete(key);
}

// ------------------------------------------------------------------------------------ input

function onInput(event) {
  const element = event.target;
  const path = element.dataset?.path;
  const kind = element.dataset?.kind;
  if (!path || !kind || !ed.open) return;
  switch (kind) {
    case "text":
    case "select":
      setPath(ed.model, path, element.value);
      break;
    case "opt":
      setPath(ed.model, path, element.value.trim() === "" ? null : element.value);
      break;
    case "bool":
      setPath(ed.model, path, element.checked);
      break;
    case "int":
    case "num": {
      const value = element.value.trim();
      const ok = kind === "int" ? /^-?\d+$/.test(value) : /^\d+(\.\d+)?$/.test(value);
      if (ok) {
        setPath(ed.model, path, Number(value));
        ed.local.delete(path);
      } else {
        ed.local.set(path, kind === "int" ? "请输入整数 / enter a whole number" : "请输入金额 / enter an amount");
      }
      break;
    }
    case "delivery":
      setPath(ed.model, path, DELIVERIES.filter((way) => $(`ed-result-delivery-${way}`)?.checked));
      break;
    default:
      return;
  }
  if (path === "status") updateStatusButtons();
  scheduleCheck();
}

/** The item to send: optional elements left empty are left out. */
function toItem() {
  const item = clone(ed.model);
  for (const key of OPTIONAL) if (item[key] === null || item[key] === "" || item[key] === undefined) delete item[key];
  const basis = item.fee?.basis;
  if (basis && !String(basis.zh ?? "").trim() && !String(basis.en ?? "").trim()) delete item.fee.basis;
  else if (basis) item.fee.basis = { zh: basis.zh ?? "", en: basis.en ?? "" };
  return item;
}

export function isDirty() {
  return ed.open && JSON.stringify(ed.model) !== ed.original;
}

// ------------------------------------------------------------------------------------ checking

function scheduleCheck(delay = CHECK_AFTER_MS) {
  clearTimeout(ed.timer);
  $("editor").dataset.dirty = isDirty() ? "true" : "false";
  ed.timer = setTimeout(check, delay);
}

async function check() {
  if (!ed.open) return;
  const seq = ++ed.seq;
  if (ed.local.size) {
    renderProblems();
    return;
  }
  $("editor-checking").hidden = false;
  try {
    const result = await post(`/api/v1/catalog/drafts/${ed.draftId}/check`, { item: toItem() });
    if (seq !== ed.seq || !ed.open) return;
    ed.server = result?.problems ?? [];
    hideBox($("editor-message"));
  } catch (error) {
    if (seq !== ed.seq || !ed.open) return;
    showErrorIn($("editor-message"), error);
  } finally {
    if (seq === ed.seq) {
      $("editor-checking").hidden = true;
      $("editor").dataset.checked = String(seq);
    }
  }
  renderProblems();
}

/** The field a problem belongs to: the deepest one whose path begins the problem's field. */
function fieldFor(problemField, fields) {
  let best = null;
  for (const element of fields) {
    const path = element.dataset.path;
    const fits = problemField === path || problemField.startsWith(`${path}.`) || problemField.startsWith(`${path}[`);
    if (fits && (!best || path.length > best.dataset.path.length)) best = element;
  }
  return best;
}

function renderProblems() {
  const form = $("editor-form");
  for (const box of form.querySelectorAll(".field-problems")) fill(box);
  for (const element of form.querySelectorAll(".is-invalid")) element.classList.remove("is-invalid");
  for (const element of form.querySelectorAll(".has-problem")) element.classList.remove("has-problem");
  const problems = [
    ...[...ed.local].map(([field, text]) => ({ item: ed.code, field, message: text })),
    ...ed.server,
  ];
  const fields = [...form.querySelectorAll(".ed-field[data-path]")];
  for (const problem of problems) {
    const target = fieldFor(problem.field ?? "", fields);
    if (!target) continue;
    target.classList.add("has-problem");
    for (const input of target.querySelectorAll(":scope > input, :scope > select, :scope > textarea, :scope > label > input")) input.classList.add("is-invalid");
    target.querySelector(":scope > .field-problems")?.append(
      h("p", { class: "field-problem", dataset: { field: problem.field } }, problem.field !== target.dataset.path ? h("span", { class: "mono small" }, `${problem.field}: `) : null,
        bi(problemPair(problem.message))));
  }
  const list = $("editor-problems");
  list.dataset.count = String(problems.length);
  fill(list, problems.length
    ? [h("p", { class: "problems-title" }, bi([`${problems.length} 处问题，保存前须改正`, `${problems.length} problem(s) to fix before saving`])), problemList(problems)]
    : h("p", { class: "ok-text" }, bi(["检查通过", "No problems"])));
}

// ------------------------------------------------------------------------------------ saving

async function save() {
  if (!ed.open) return;
  if (ed.locked) {
    showInfoIn($("editor-message"), "草稿已不在编辑状态，无法保存 / the draft is no longer being edited; nothing can be saved", "error");
    return;
  }
  clearTimeout(ed.timer);
  if (ed.local.size) {
    renderProblems();
    showInfoIn($("editor-message"), "请先改正标出的字段 / fix the marked fields first", "error");
    return;
  }
  try {
    const view = await put(`/api/v1/catalog/drafts/${ed.draftId}/items/${encodeURIComponent(ed.code)}`, { item: toItem(), revision: ed.revision });
    ed.revision = view.draft.revisions?.[ed.code] ?? ed.revision + 1;
    ed.isNew = false;
    ed.original = JSON.stringify(ed.model);
    ed.server = [];
    hideConflict();
    renderHead();
    renderProblems();
    $("editor").dataset.dirty = "false";
    showInfoIn($("editor-message"), `已保存到草稿（第 ${ed.revision} 次保存） / Saved to the draft (revision ${ed.revision})`, "ok");
    hooks.setView(view);
  } catch (error) {
    if (error.code === "edit_conflict") {
      hideBox($("editor-message"));
      showConflict(error);
      // The draft as it is now (their save), for its changes and editors; the form stays as typed.
      get(`/api/v1/catalog/drafts/${ed.draftId}`).then((view) => hooks.setView(view)).catch(() => {});
    } else {
      if (error.code === "catalog_invalid" && error.detail?.problems) {
        ed.server = error.detail.problems;
        renderProblems();
      }
      showErrorIn($("editor-message"), error);
    }
  }
}

function showConflict(error) {
  const box = $("editor-conflict");
  box.hidden = false;
  const theirs = h("button", { id: "conflict-load-theirs", type: "button", class: "btn btn-small btn-primary" }, bi(["载入对方的版本（放弃我的修改）", "Load their version (drop mine)"]));
  const mine = h("button", { id: "conflict-overwrite", type: "button", class: "btn btn-small btn-secondary" }, bi(["保留我的修改并覆盖", "Keep mine and save over theirs"]));
  theirs.addEventListener("click", () => busy(theirs, loadTheirs));
  mine.addEventListener("click", () => busy(mine, overwrite));
  fill(box,
    h("p", { class: "conflict-title" }, bi(["有人在您打开后保存了此事项", "Someone saved this item since you opened it"])),
    h("p", {}, message(error.message)),
    h("p", { class: "hint" }, bi(["您填写的内容仍保留在下方表单中，选择之前不会丢失。下表是对方改动的字段：",
      "What you typed stays in the form below until you choose. What they changed:"])),
    changeTable(error.detail?.changes ?? [], ["（未列出改动）", "(no field listed)"]),
    h("div", { class: "row-actions" }, theirs, mine));
  box.scrollIntoView({ block: "nearest" });
}

function hideConflict() {
  $("editor-conflict").hidden = true;
  fill($("editor-conflict"));
}

async function loadTheirs() {
  try {
    const view = await get(`/api/v1/catalog/drafts/${ed.draftId}`);
    hooks.setView(view);
    const item = view.draft.document.items.find((entry) => entry.code === ed.code);
    if (!item) throw new Error("事项已不在草稿中 / the item is no longer in the draft");
    load(item, view.draft.revisions?.[ed.code] ?? 0, false);
    showInfoIn($("editor-message"), "已载入对方的版本 / Their version is loaded", "info");
  } catch (error) {
    showErrorIn($("editor-message"), error);
  }
}

async function overwrite() {
  try {
    const view = await get(`/api/v1/catalog/drafts/${ed.draftId}`);
    hooks.setView(view);
    ed.revision = view.draft.revisions?.[ed.code] ?? 0;
    renderHead();
    await save();
  } catch (error) {
    showErrorIn($("editor-message"), error);
  }
}

// ------------------------------------------------------------------------------------ open and close

function template(code, tables) {
  return {
    code,
    name: { zh: "", en: "" },
    department: tables.departments[0]?.code ?? "",
    departmentRole: "statutory",
    category: tables.categories[0]?.code ?? "",
    handlingType: "immediate",
    legalTimeLimit: { days: 0, unit: "workingDays" },
    promisedTimeLimit: { days: 0, unit: "workingDays" },
    visits: 0,
    expectedMinutes: 10,
    needsMaterials: false,
    materials: [],
    conditions: { zh: "", en: "" },
    fee: { yuan: 0, note: { zh: "不收费", en: "Free of charge" } },
    legalBasis: { zh: "", en: "" },
    result: { name: { zh: "", en: "" }, kind: "other", delivery: ["onSite"] },
    guide: { zh: "", en: "" },
    consultPhone: "12345",
    complaintPhone: "12345",
    faq: [],
    status: "active",
  };
}

function renderHead() {
  $("editor-code").textContent = ed.code;
  fill($("editor-revision"), ed.isNew
    ? bi(["新事项", "new item"])
    : bi([`草稿中第 ${ed.revision} 次保存`, `draft revision ${ed.revision}`]));
  $("editor").dataset.code = ed.code;
  $("editor").dataset.revision = String(ed.revision);
}

function load(item, revision, isNew) {
  ed.model = clone(item);
  ed.model.materials = ed.model.materials ?? [];
  ed.model.faq = ed.model.faq ?? [];
  ed.original = JSON.stringify(ed.model);
  ed.revision = revision;
  ed.isNew = isNew;
  ed.local.clear();
  ed.server = [];
  hideConflict();
  renderHead();
  renderForm();
  renderProblems();
  scheduleCheck(0);
}

/** Opens an item of the open draft (a new one with `isNew`). */
export function openEditor(code, { isNew = false } = {}) {
  const view = state.view;
  if (!view || view.draft.state !== "editing") return;
  if (ed.open && isDirty() && (ed.code !== code || ed.draftId !== view.draft.id)) {
    toast("请先保存或关闭正在编辑的事项 / Save or close the item being edited first", "error");
    $("editor").scrollIntoView({ block: "start" });
    return;
  }
  const existing = view.draft.document.items.find((item) => item.code === code);
  ed.open = true;
  ed.locked = false;
  ed.code = code;
  ed.draftId = view.draft.id;
  $("editor").hidden = false;
  $("editor-save").disabled = false;
  hideBox($("editor-message"));
  load(existing ?? template(code, view.draft.document), view.draft.revisions?.[code] ?? 0, !existing || isNew);
  $("editor").scrollIntoView({ block: "start", behavior: "smooth" });
}

/** Closes the editor; with unsaved changes only on a second click. False when it stays open. */
export function closeEditor({ force = false } = {}) {
  if (!ed.open) return true;
  const button = $("editor-close");
  if (isDirty() && !force && !button.dataset.armed) {
    button.dataset.armed = "1";
    fill(button, bi(["放弃未保存的修改？", "Drop unsaved changes?"]));
    toast("有未保存的修改，再次点击关闭将放弃 / Unsaved changes: click again to drop them", "error");
    return false;
  }
  delete button.dataset.armed;
  fill(button, bi(["关闭编辑", "Close the editor"]));
  ed.open = false;
  clearTimeout(ed.timer);
  ed.seq += 1;
  $("editor").hidden = true;
  fill($("editor-form"));
  fill($("editor-problems"));
  hideConflict();
  hideBox($("editor-message"));
  return true;
}

/** The open draft changed (a step, another manager, a publish): the editor follows its state. */
export function draftChanged(view) {
  if (!ed.open) return;
  const same = view && view.draft.id === ed.draftId;
  if (same && view.draft.state === "editing") {
    if (ed.locked) {
      ed.locked = false;
      $("editor-save").disabled = false;
      hideBox($("editor-message"));
    }
    return;
  }
  if (!isDirty()) {
    closeEditor({ force: true });
    return;
  }
  ed.locked = true;
  $("editor-save").disabled = true;
  showInfoIn($("editor-message"), "草稿已不在编辑状态：您的修改未保存，仍在表单中 / the draft is no longer being edited: your changes are not saved and stay in the form", "error");
}

export function wireEditor(given) {
  hooks = { ...hooks, ...given };
  const form = $("editor-form");
  form.addEventListener("input", onInput);
  form.addEventListener("change", onInput);
  form.addEventListener("submit", (event) => event.preventDefault());
  $("editor-save").addEventListener("click", (event) => busy(event.currentTarget, save));
  $("editor-close").addEventListener("click", () => closeEditor());
}
