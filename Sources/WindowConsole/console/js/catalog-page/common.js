// What the catalog page's modules share: the page's state, names for draft states, version kinds
// and item fields, Shanghai times, and how values, changes and problems are shown.
import { pair } from "../i18n.js";
import { bi, fill, h, message, named } from "../ui.js";

export const $ = (id) => document.getElementById(id);

export const state = {
  account: null,
  policy: { onePersonPublish: false },
  currentVersion: 0, // the published catalog version
  categories: [], // of the published catalog, for the filters
  drafts: [], // DraftSummary list
  view: null, // the open draft's DraftView
  versions: [],
};

export const DRAFT_STATES = {
  editing: ["编辑中", "Editing"],
  submitted: ["待审核", "Submitted"],
  approved: ["已批准", "Approved"],
  scheduled: ["已排期", "Scheduled"],
  published: ["已发布", "Published"],
  discarded: ["已放弃", "Discarded"],
};

export const VERSION_KINDS = {
  seed: ["初始目录", "Seed"],
  upgrade: ["格式升级", "Format upgrade"],
  publish: ["发布", "Publish"],
  rollback: ["回滚", "Rollback"],
};

/** Every element of an item, named as a 办事指南 names it (the server's names in changes). */
export const FIELD_NAMES = {
  code: ["事项编码", "Code"],
  name: ["事项名称", "Name"],
  department: ["实施主体", "Department"],
  departmentRole: ["实施主体性质", "Department's role"],
  category: ["分类（技能）", "Category (skill)"],
  handlingType: ["办件类型", "Handling type"],
  legalTimeLimit: ["法定办结时限", "Legal time limit"],
  promisedTimeLimit: ["承诺办结时限", "Promised time limit"],
  visits: ["到现场次数", "Visits in person"],
  expectedMinutes: ["预计办理分钟数", "Expected minutes"],
  needsMaterials: ["是否需要材料", "Needs materials"],
  materials: ["申请材料", "Materials"],
  conditions: ["受理条件", "Conditions"],
  fee: ["收费", "Fee"],
  legalBasis: ["设定依据", "Legal basis"],
  result: ["办理结果", "Result"],
  guide: ["办事指南", "Guide"],
  guideURL: ["办事指南链接", "Guide link"],
  consultPhone: ["咨询电话", "Enquiries"],
  complaintPhone: ["监督投诉电话", "Complaints"],
  faq: ["常见问题", "FAQ"],
  basicCode: ["基本编码", "National basic code"],
  implementationCode: ["实施编码", "National implementation code"],
  effectiveFrom: ["生效日期", "Effective from"],
  status: ["事项状态", "Status"],
  categories: ["分类", "Categories"],
  departments: ["实施主体", "Departments"],
  items: ["事项", "Items"],
  format: ["文件格式", "File format"],
};

/** A field path "materials[3].name.en" named for people: "申请材料 [3].name.en / Materials [3].name.en". */
export function fieldPair(field) {
  const text = String(field ?? "");
  const match = /^([A-Za-z]+)(.*)$/.exec(text);
  if (!match || !FIELD_NAMES[match[1]]) return [text, ""];
  const [zh, en] = FIELD_NAMES[match[1]];
  const rest = match[2].replace(/^\./, "");
  return rest ? [`${zh} ${rest}`, `${en} ${rest}`] : [zh, en];
}

// ------------------------------------------------------------------------------------ times

const SHANGHAI = 8 * 3600 * 1000; // UTC+8, no daylight saving

/** "2026-11-30 09:30" in Shanghai time. */
export function shanghaiTime(iso) {
  const t = Date.parse(iso ?? "");
  if (!Number.isFinite(t)) return "";
  return new Date(t + SHANGHAI).toISOString().slice(0, 16).replace("T", " ");
}

/** A `datetime-local` value ("2026-11-30T09:30"), read as Shanghai time, as an ISO-8601 UTC string. */
export function shanghaiInputToISO(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? "");
  if (!match) return null;
  const [, y, mo, d, hh, mm] = match.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, hh, mm) - SHANGHAI).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The `datetime-local` value (Shanghai time) of a moment in ms. */
export function shanghaiInputValue(ms) {
  return new Date(ms + SHANGHAI).toISOString().slice(0, 16);
}

// ------------------------------------------------------------------------------------ values

const isText = (value) => value && typeof value === "object" && !Array.isArray(value)
  && typeof value.zh === "string" && typeof value.en === "string" && Object.keys(value).length === 2;

/** JSON with sorted keys: the server's objects come in any key order. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

const same = (a, b) => canonical(a) === canonical(b);

/** Names of the elements inside materials, results, time limits and FAQ entries, in the order a guide lists them. */
const INNER_KEYS = {
  form: ["形式", "form"],
  required: ["必需", "required"],
  copies: ["份数", "copies"],
  medium: ["材料形式", "medium"],
  source: ["来源", "source"],
  blankForm: ["空白表格", "blank form"],
  sample: ["示例样表", "sample"],
  kind: ["类型", "kind"],
  delivery: ["领取方式", "delivery"],
  days: ["天数", "days"],
  unit: ["单位", "unit"],
  yuan: ["金额", "yuan"],
  note: ["说明", "note"],
  basis: ["依据", "basis"],
  answer: ["回答", "answer"],
  code: ["编码", "code"],
  letter: ["字母", "letter"],
};
const KEY_ORDER = Object.keys(INNER_KEYS);
const keyOrder = (key) => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);
const VALUE_KEYS = { form: "material", medium: "medium", source: "source", kind: "resultKind", unit: "unit", delivery: "delivery" };

function valuePair(key, value) {
  if (typeof value === "boolean") return value ? ["是", "yes"] : ["否", "no"];
  if (value === null || value === undefined) return ["—", "—"];
  if (isText(value)) return [value.zh, value.en];
  if (Array.isArray(value)) {
    const pairs = value.map((entry) => valuePair(key, entry));
    return [pairs.map(([zh]) => zh).join("、"), pairs.map(([, en]) => en).join(", ")];
  }
  if (typeof value === "object") return [JSON.stringify(value), JSON.stringify(value)];
  const prefix = VALUE_KEYS[key];
  if (prefix && typeof value === "string") {
    const found = pair(`${prefix}.${value}`);
    if (found[0] !== `${prefix}.${value}`) return found;
  }
  return [String(value), String(value)];
}

function keyValuePair(key, value) {
  const [labelZh, labelEn] = INNER_KEYS[key] ?? [key, key];
  const [zh, en] = valuePair(key, value);
  return [`${labelZh}：${zh}`, `${labelEn}: ${en}`];
}

/** A JSON value of a change, readable: text, yes/no, zh/en pairs, lists (one line each), objects (key: value). */
export function valueNode(value, other) {
  if (value === undefined || value === null) return h("span", { class: "muted" }, "—");
  if (typeof value === "boolean") return bi(value ? ["是", "yes"] : ["否", "no"]);
  if (typeof value === "number") return h("span", { class: "mono" }, String(value));
  if (typeof value === "string") return h("span", { class: "value-text" }, value === "" ? "\u201c\u201d" : value);
  if (isText(value)) return named(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return h("span", { class: "muted" }, bi(["（空）", "(none)"]));
    const others = Array.isArray(other) ? other : [];
    return h("ol", { class: "value-list" }, value.map((entry) => {
      const changed = Array.isArray(other) && !others.some((candidate) => same(candidate, entry));
      return h("li", { class: changed ? "is-changed" : null }, valueNode(entry));
    }));
  }
  if (typeof value === "object") {
    const name = value.name && isText(value.name) ? value.name : value.question && isText(value.question) ? value.question : null;
    const keys = Object.keys(value).filter((key) => !(name && (key === "name" || key === "question")))
      .sort((a, b) => keyOrder(a) - keyOrder(b) || a.localeCompare(b));
    return h("div", { class: "value-object" },
      name ? h("strong", { class: "value-name" }, named(name)) : null,
      keys.length ? h("span", { class: "value-fields" }, keys.map((key, index) => [index ? " · " : "", bi(keyValuePair(key, value[key]))])) : null);
  }
  return h("span", {}, String(value));
}

/** A table body of changes: item, field (zh/en), before, after. */
export function changeRows(changes, empty = ["没有改动", "No changes"]) {
  if (!changes?.length) return h("tr", { class: "empty" }, h("td", { colspan: "4", class: "muted" }, bi(empty)));
  return changes.map((change) => h("tr", { class: "change", dataset: { item: change.item ?? "", field: change.field } },
    h("td", { class: "mono" }, change.item ?? "—"),
    h("td", {}, change.label ? named(change.label) : bi(fieldPair(change.field)), h("div", { class: "mono small muted" }, change.field)),
    h("td", { class: "change-before" }, valueNode(change.before, change.after)),
    h("td", { class: "change-after" }, valueNode(change.after, change.before))));
}

/** A table of changes with its head. */
export function changeTable(changes, empty) {
  return h("table", { class: "table changes" },
    h("thead", {}, h("tr", {},
      h("th", {}, bi(["事项", "Item"])), h("th", {}, bi(["字段", "Field"])), h("th", {}, bi(["修改前", "Before"])), h("th", {}, bi(["修改后", "After"])))),
    h("tbody", {}, changeRows(changes, empty)));
}

/** The server states problems in English; the common ones are given in Chinese too. */
const PROBLEM_ZH = [
  [/^English text is missing$/, "缺少英文内容"],
  [/^Chinese text is missing$/, "缺少中文内容"],
  [/^item needs materials but lists none$/, "需要材料但未列出材料"],
  [/^item needs materials but none is required and brought by the applicant$/, "需要材料但没有申请人须提交的必需材料"],
  [/^false, but the applicant must bring/, "标为无需材料，但有申请人须提交的材料"],
  [/is out of range/, "超出允许范围"],
  [/is not a telephone number/, "不是有效的电话号码"],
  [/is not a date written YYYY-MM-DD/, "日期格式应为 YYYY-MM-DD"],
  [/^unknown department/, "未知的实施主体"],
  [/^unknown category/, "未知的分类"],
  [/^invalid code/, "事项编码无效（例如 JZZ-001）"],
  [/needs a promised time limit of at least 1 day/, "承诺件的承诺时限至少为1天"],
  [/has a promised time limit of 0/, "即办件的承诺时限应为0"],
  [/exceed the legal limit/, "承诺时限超过法定时限"],
  [/gives its result during the call/, "即办件须当场领取或电子送达"],
  [/^say how the result is delivered$/, "请选择领取方式"],
  [/^a fee above 0 needs its basis/, "收费须填写收费依据"],
  [/needs 0 visits in person/, "远程窗口事项到现场次数应为0"],
];

/** A problem's message as [zh, en] (the message alone when it has no Chinese). */
export function problemPair(text) {
  const value = String(text ?? "");
  if (value.includes(" / ")) return [value.slice(0, value.indexOf(" / ")), value.slice(value.indexOf(" / ") + 3)];
  const known = PROBLEM_ZH.find(([pattern]) => pattern.test(value));
  return known ? [known[1], value] : [value, ""];
}

/** One problem: item, field (named), the server's message. */
export function problemItem(problem) {
  return h("li", { class: "problem", dataset: { item: problem.item ?? "", field: problem.field ?? "" } },
    problem.item ? h("span", { class: "chip mono" }, problem.item) : null, " ",
    h("span", { class: "problem-field" }, bi(fieldPair(problem.field))), " ",
    h("span", { class: "problem-message" }, bi(problemPair(problem.message))));
}

export function problemList(problems) {
  return h("ul", { class: "problem-list" }, (problems ?? []).map(problemItem));
}

/** Shows an API error in a box: its message, and its problems when it lists any. */
export function showErrorIn(box, error) {
  box.hidden = false;
  box.className = "form-message form-message-error";
  box.dataset.code = error?.code ?? "";
  fill(box, message(error?.message || "操作失败 / Something went wrong"),
    error?.detail?.problems?.length ? problemList(error.detail.problems) : null);
}

/** Shows a notice in a box. */
export function showInfoIn(box, content, kind = "info") {
  box.hidden = false;
  box.className = `form-message form-message-${kind}`;
  box.dataset.code = "";
  fill(box, typeof content === "string" ? message(content) : content);
}

export function hideBox(box) {
  box.hidden = true;
  box.dataset.code = "";
  fill(box);
}

/** A labelled value for the draft's facts. */
export function fact(label, value) {
  if (value === null || value === undefined || value === "") return null;
  return h("div", { class: "fact" }, h("dt", {}, bi(label)), h("dd", {}, value));
}

export function stateBadge(draftState) {
  return h("span", { class: `badge draft-${draftState}`, dataset: { state: draftState } }, bi(DRAFT_STATES[draftState] ?? [draftState, ""]));
}

export function names(people) {
  return (people ?? []).map((person) => (typeof person === "string" ? person : person?.username)).filter(Boolean).join("、");
}

export { pair };
