// Managers' reports from the event log (GET /api/v1/reports): a period of Shanghai dates cut by
// day or hour, filtered by site, category, item (and its item version), clerk, and the service
// level's threshold T. Every table the server computes is shown as it sent it — title, columns,
// rows, its definition as a footnote — with a chart drawn here as SVG (no library), and a link
// that downloads the server's own CSV of it. The query is kept in the address, so a reload or a
// shared link shows the same report. This page computes nothing: the numbers are the server's.
import { ApiError, failure, get, requireAccount } from "./api.js";
import { categories as loadCategories } from "./catalog.js";
import { now } from "./clock.js";
import { text } from "./i18n.js";
import { mountTopbar } from "./topbar.js";
import { bi, clockText, fill, h, message, showError, toast } from "./ui.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const SHANGHAI = 8 * 3600 * 1000; // UTC+8, no daylight saving
const DAY_MS = 24 * 3600 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_DAYS = 7;
const DEFAULT_THRESHOLD = 5;
/** The query's names, as the server reads them, and the form's fields that hold them. */
const FIELDS = [
  ["from", "from"], ["to", "to"], ["bucket", "bucket"], ["site", "site"], ["category", "category"],
  ["item", "item"], ["itemVersion", "item-version"], ["clerk", "clerk"], ["threshold", "threshold"],
];

const state = {
  sites: [], // SiteView
  categories: new Map(), // code → Category
  items: [], // CatalogItemView, by code
  clerks: [], // ClerkView
  asked: 0, // the newest report request: an older answer is dropped
};

// ------------------------------------------------------------------------------------ helpers

/** A Shanghai date "2026-11-29" for a time in milliseconds. */
function shanghaiDay(ms) {
  return new Date(ms + SHANGHAI).toISOString().slice(0, 10);
}

function todayInShanghai() {
  return shanghaiDay(now());
}

/** The date `days` days before a date (both YYYY-MM-DD). */
function daysBefore(day, days) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d) - days * DAY_MS).toISOString().slice(0, 10);
}

/** "2026-11-30 09:30:05" in Shanghai time. */
function shanghaiTime(iso) {
  const t = Date.parse(iso ?? "");
  if (!Number.isFinite(t)) return "";
  return new Date(t + SHANGHAI).toISOString().slice(0, 19).replace("T", " ");
}

/** A number as people read it: whole numbers plain, others to at most two places. */
function numberText(value) {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 100) / 100);
}

/** A value of a column as text: "—" for null, "85.5%" for a percentage, "1:15" for seconds when `clock`. */
function valueText(value, unit, clock = false) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  if (unit === "percent") return `${numberText(value)}%`;
  if (unit === "seconds" && clock) return clockText(value);
  return numberText(value);
}

/** [zh, en] of a localized text, an English that only repeats the Chinese left out. */
function both(localized) {
  const zh = localized?.zh ?? "";
  const en = localized?.en ?? "";
  return [zh || en, en && en !== zh ? en : ""];
}

function showMessage(kind, content) {
  const element = $("report-message");
  element.className = `form-message form-message-${kind}`;
  fill(element, Array.isArray(content) ? bi(content) : message(String(content ?? "")));
  element.hidden = false;
}

function hideMessage() {
  $("report-message").hidden = true;
}

function errorText(error) {
  return error?.message || "操作失败 / Something went wrong";
}

// ------------------------------------------------------------------------------------ the form

function option(value, label, extra = {}) {
  return h("option", { value, ...extra }, label);
}

/** Fills a select with its "all" choice and `choices` ([value, label]), keeping the chosen value if it is still there. */
function fillSelect(select, allLabel, choices) {
  const chosen = select.value;
  fill(select, option("", allLabel), choices.map(([value, label]) => option(value, label)));
  select.value = choices.some(([value]) => value === chosen) ? chosen : "";
}

/** Chooses `value` in a select, adding it when the list does not have it (the server says whether it exists). */
function choose(select, value) {
  if (!value) {
    select.value = "";
    return;
  }
  if (![...select.options].some((entry) => entry.value === value)) select.append(option(value, value));
  select.value = value;
}

function itemChoices() {
  const category = $("category").value;
  return state.items
    .filter((item) => !category || item.category === category)
    .map((item) => [item.code, `${item.code} ${item.name?.zh ?? ""}`.trim()]);
}

function renderChoices() {
  fillSelect($("site"), text(["全部站点", "All sites"]),
    state.sites.map((site) => [site.code, `${site.name?.zh ?? site.code} / ${site.name?.en ?? ""} (${site.code})`]));
  fillSelect($("category"), text(["全部类别", "All categories"]),
    [...state.categories.values()].map((category) => [category.code, `${category.letter} ${category.name?.zh ?? category.code} / ${category.name?.en ?? ""}`]));
  fillSelect($("item"), text(["全部事项", "All items"]), itemChoices());
  fillSelect($("clerk"), text(["全部工作人员", "All clerks"]),
    state.clerks.map((clerk) => [String(clerk.id), `${clerk.displayName}（${text(["窗口", "window"])} ${clerk.window}）`]));
  itemChanged();
}

/** The item version is asked only with an item. */
function itemChanged() {
  const input = $("item-version");
  const withItem = $("item").value !== "";
  input.disabled = !withItem;
  if (!withItem) input.value = "";
  input.placeholder = withItem ? text(["全部版本", "every version"]) : text(["先选事项", "choose an item"]);
}

function categoryChanged() {
  fillSelect($("item"), text(["全部事项", "All items"]), itemChoices());
  itemChanged();
}

/** The last `days` days up to today, in Shanghai. */
function setDays(days) {
  const today = todayInShanghai();
  $("from").value = daysBefore(today, days - 1);
  $("to").value = today;
}

/** The form from the address (`?from=…&to=…`), or the defaults: the last 7 days, by day, T = 5. */
function applyAddress() {
  const params = new URLSearchParams(location.search);
  setDays(DEFAULT_DAYS);
  $("bucket").value = "day";
  $("threshold").value = String(DEFAULT_THRESHOLD);
  for (const [name, id] of FIELDS) {
    const value = params.get(name);
    if (value === null || value === "") continue;
    const field = $(id);
    if (field.tagName === "SELECT") {
      if (id === "item") {
        // The item list follows the category: show every item when the item is not in it.
        if (!itemChoices().some(([code]) => code === value)) fillSelect($("item"), text(["全部事项", "All items"]), state.items.map((item) => [item.code, `${item.code} ${item.name?.zh ?? ""}`.trim()]));
      }
      choose(field, value);
      if (id === "category") categoryChanged();
      if (id === "item") itemChanged();
    } else {
      field.value = value;
    }
  }
  itemChanged();
  if (params.get("itemVersion") && $("item").value) $("item-version").value = params.get("itemVersion");
}

/** The query the form asks for, as the server reads it. */
function formQuery() {
  const params = new URLSearchParams();
  for (const [name, id] of FIELDS) {
    const field = $(id);
    if (field.disabled) continue;
    const value = String(field.value ?? "").trim();
    if (value) params.set(name, value);
  }
  return params;
}

/** What the form's dates lack, said before asking the server (which checks everything else). */
function formProblem() {
  const from = $("from").value;
  const to = $("to").value;
  if (!DATE.test(from) || !DATE.test(to)) return ["请选择开始和结束日期", "Choose the first and the last day"];
  return null;
}

// ------------------------------------------------------------------------------------ the report

function setReportState(value, params) {
  const report = $("report");
  report.dataset.state = value;
  report.dataset.query = params ? params.toString() : "";
  report.setAttribute("aria-busy", value === "loading" ? "true" : "false");
}

function clearReport() {
  $("summary").hidden = true;
  $("table-index").hidden = true;
  fill($("table-index"));
  fill($("tables"));
}

async function run() {
  hideMessage();
  const problem = formProblem();
  if (problem) {
    showMessage("error", problem);
    return;
  }
  const params = formQuery();
  const asked = ++state.asked;
  history.replaceState(null, "", `${location.pathname}?${params}`);
  setReportState("loading", params);
  $("run").disabled = true;
  $("run").classList.add("is-busy");
  try {
    const report = await get(`/api/v1/reports?${params}`);
    if (asked !== state.asked) return;
    render(report, params);
    setReportState("ready", params);
  } catch (error) {
    if (asked !== state.asked) return;
    if (error instanceof ApiError && error.status === 401) return; // on the way to the sign-in page
    clearReport();
    setReportState("error", params);
    showMessage("error", errorText(error));
  } finally {
    if (asked === state.asked) {
      $("run").disabled = false;
      $("run").classList.remove("is-busy");
    }
  }
}

/** The filters the report was asked with, as people read them. */
function filterText(params) {
  const parts = [];
  const site = params.get("site");
  if (site) {
    const found = state.sites.find((entry) => entry.code === site);
    parts.push([`站点 ${found?.name?.zh ?? site}`, `site ${found?.name?.en || site}`]);
  }
  const category = params.get("category");
  if (category) {
    const found = state.categories.get(category);
    parts.push([`类别 ${found?.name?.zh ?? category}`, `category ${found?.name?.en || category}`]);
  }
  const item = params.get("item");
  if (item) {
    const version = params.get("itemVersion");
    parts.push([`事项 ${item}${version ? ` 第 ${version} 版` : ""}`, `item ${item}${version ? ` version ${version}` : ""}`]);
  }
  const clerk = params.get("clerk");
  if (clerk) {
    const found = state.clerks.find((entry) => String(entry.id) === clerk);
    parts.push([`工作人员 ${found?.displayName ?? `#${clerk}`}`, `clerk ${found?.displayName ?? `#${clerk}`}`]);
  }
  parts.push([`T = ${params.get("threshold") ?? DEFAULT_THRESHOLD} 分钟`, `T = ${params.get("threshold") ?? DEFAULT_THRESHOLD} min`]);
  parts.push(params.get("bucket") === "hour" ? ["按小时", "by hour"] : ["按日", "by day"]);
  return parts.map((pair) => h("span", { class: "filter-chip" }, bi(pair)));
}

function render(report, params) {
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? from;
  fill($("summary-period"), from === to ? from : `${from} — ${to}`);
  fill($("events-read"), String(report.events ?? 0));
  fill($("generated-at"), shanghaiTime(report.generatedAt));
  fill($("summary-filters"), filterText(params));
  $("summary").hidden = false;

  const tables = Array.isArray(report.tables) ? report.tables : [];
  fill($("table-index"), tables.map((table) => h("a", { href: `#table-${table.id}`, class: "index-link" }, bi(both(table.title)))));
  $("table-index").hidden = tables.length === 0;
  fill($("tables"), tables.length
    ? tables.map((table) => tablePanel(table, params))
    : h("section", { class: "panel muted" }, bi(["没有报表", "No tables"])));
}

function tablePanel(table, params) {
  const columns = Array.isArray(table.columns) ? table.columns : [];
  const rows = Array.isArray(table.rows) ? table.rows : [];
  const note = h("div", { class: "form-message", role: "alert", hidden: true });
  return h("section", { class: "panel report-table", id: `table-${table.id}`, dataset: { table: table.id, rows: String(rows.length) } },
    h("div", { class: "report-table-head" },
      h("h2", { class: "panel-title" }, bi(both(table.title)), h("span", { class: "count" }, String(rows.length))),
      h("span", { class: "spacer" }),
      csvLink(table.id, params, note)),
    note,
    chartFor(table, columns, rows),
    h("div", { class: "table-scroll" }, dataTable(columns, rows)),
    h("p", { class: "definition" },
      h("span", { class: "definition-mark", "aria-hidden": "true" }, "※"),
      h("span", { class: "definition-zh" }, table.definition?.zh ?? ""),
      table.definition?.en ? h("span", { class: "definition-en", lang: "en" }, table.definition.en) : null));
}

function dataTable(columns, rows) {
  const numeric = (column) => column.unit !== "text";
  const head = h("tr", {}, columns.map((column) =>
    h("th", { class: numeric(column) ? "num bi" : "bi", scope: "col", dataset: { key: column.key, unit: column.unit } },
      h("span", { class: "zh" }, column.label?.zh ?? column.key),
      column.label?.en && column.label.en !== column.label.zh ? h("span", { class: "en", lang: "en" }, column.label.en) : null)));
  const body = rows.length
    ? rows.map((row) => h("tr", {}, columns.map((column, index) => valueCell(row[index], column))))
    : h("tr", { class: "empty" }, h("td", { colspan: String(Math.max(1, columns.length)), class: "muted" }, bi(["该期间没有数据", "Nothing in this period"])));
  return h("table", { class: "table report-data" }, h("thead", {}, head), h("tbody", {}, body));
}

function valueCell(value, column) {
  const attrs = { dataset: { key: column.key, value: value === null || value === undefined ? "" : String(value) } };
  if (value === null || value === undefined) {
    return h("td", { ...attrs, class: column.unit === "text" ? "none" : "num none" }, h("span", { class: "muted", title: text(["无可计量", "nothing to measure"]) }, "—"));
  }
  if (column.unit === "text" || typeof value !== "number") return h("td", attrs, String(value));
  if (column.unit === "seconds") {
    return h("td", { ...attrs, class: "num" }, h("span", { class: "value" }, numberText(value)), h("span", { class: "clock" }, clockText(value)));
  }
  return h("td", { ...attrs, class: "num" }, valueText(value, column.unit));
}

// ------------------------------------------------------------------------------------ CSV

function csvLink(id, params, note) {
  const path = `/api/v1/reports/${encodeURIComponent(id)}.csv?${params}`;
  const link = h("a", { class: "btn btn-secondary btn-small csv-link", href: path, dataset: { table: id } },
    bi(["下载 CSV", "Download CSV"]));
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    link.setAttribute("aria-disabled", "true");
    link.classList.add("is-busy");
    note.hidden = true;
    try {
      await downloadCsv(path, id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      note.className = "form-message form-message-error";
      fill(note, message(errorText(error)));
      note.hidden = false;
      showError(error);
    } finally {
      link.removeAttribute("aria-disabled");
      link.classList.remove("is-busy");
    }
  });
  return link;
}

/** The file name of a `Content-Disposition: attachment; filename="…"` header. */
function fileName(disposition) {
  const match = /filename="([^"]+)"/i.exec(disposition ?? "") ?? /filename=([^;]+)/i.exec(disposition ?? "");
  const name = match?.[1]?.trim();
  return name && !/[\\/]/.test(name) ? name : null;
}

/** Fetches the CSV with the page's sign-in (like api.js) and saves the server's bytes under the server's name. */
async function downloadCsv(path, id) {
  let response;
  try {
    response = await fetch(path, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/csv, application/json" } });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new ApiError(0, "network", "网络错误，请重试 / Network error, try again");
  }
  if (!response.ok) throw await failure(response);
  const blob = await response.blob();
  const name = fileName(response.headers.get("Content-Disposition")) ?? `${id}.csv`;
  const url = URL.createObjectURL(blob);
  const anchor = h("a", { href: url, download: name, hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  toast(`已下载 ${name} / Downloaded ${name}`, "info");
}

// ------------------------------------------------------------------------------------ charts

function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/**
 * Which columns a table's chart shows: issued and answered for volume, average and p90 for waiting,
 * SL % for the service level, the average service beside the catalog's expectation for handling,
 * else the first number.
 */
function chartColumns(table, columns) {
  const byKey = (keys) => keys.map((key) => columns.findIndex((column) => column.key === key)).filter((index) => index >= 0);
  let picked = [];
  switch (table.id) {
    case "volume": picked = byKey(["issued", "answered"]); break;
    case "waiting": picked = byKey(["average", "p90"]); break;
    case "serviceLevel": picked = byKey(["serviceLevel"]); break;
    case "handling": picked = byKey(["serviceAverage", "expected"]); break;
    default: break;
  }
  if (picked.length === 0) {
    const first = columns.findIndex((column) => column.unit !== "text");
    picked = first >= 0 ? [first] : [];
  }
  // Columns charted together share a unit (and so an axis).
  const unit = picked.length ? columns[picked[0]].unit : null;
  return picked.filter((index) => columns[index].unit === unit);
}

/** "11-29" for "2026-11-29", "11-29 10:00" for an hour, the Chinese half of "中文 / English", cut to fit. */
function shortLabel(label) {
  const value = String(label ?? "");
  const period = /^\d{4}-(\d{2}-\d{2}(?: \d{2}:\d{2})?)$/.exec(value);
  if (period) return period[1];
  const first = value.split(" / ")[0];
  return first.length > 12 ? `${first.slice(0, 11)}…` : first;
}

/** A round top for the axis and its step: 1, 2 or 5 × 10ⁿ (minutes and hours for seconds). */
function scale(max, unit) {
  if (unit === "percent") return { top: 100, step: 25 };
  const highest = Math.max(max, unit === "count" ? 4 : unit === "seconds" ? 60 : 1);
  const raw = highest / 4;
  let step;
  if (unit === "seconds") {
    step = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400].find((candidate) => candidate >= raw) ?? Math.ceil(raw / 86400) * 86400;
  } else {
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw);
    if (unit === "count") step = Math.max(1, Math.ceil(step));
  }
  return { top: Math.ceil(highest / step) * step, step };
}

function chartFor(table, columns, rows) {
  const picked = chartColumns(table, columns);
  const labelIndex = columns.findIndex((column) => column.unit === "text");
  if (picked.length === 0) return null;
  const values = rows.flatMap((row) => picked.map((index) => row[index])).filter((value) => typeof value === "number");
  if (rows.length === 0 || values.length === 0) {
    return h("div", { class: "chart chart-empty muted" }, bi(["没有可绘制的数据", "Nothing to chart"]));
  }
  const unit = columns[picked[0]].unit;
  const labels = rows.map((row, index) => (labelIndex >= 0 ? String(row[labelIndex] ?? "") : String(index + 1)));
  const series = picked.map((index, order) => ({ column: columns[index], order, values: rows.map((row) => row[index]) }));
  const title = both(table.title);
  return h("figure", { class: "chart", dataset: { table: table.id } },
    barChart(labels, series, unit, `${title[0]} ${title[1]}`.trim()),
    h("figcaption", { class: "chart-legend" }, series.map((entry) =>
      h("span", { class: "legend-entry" }, h("span", { class: `swatch series-${entry.order}`, "aria-hidden": "true" }),
        bi(both(entry.column.label))))));
}

/** Grouped bars: one group per row, one bar per series, on one axis from 0. */
function barChart(labels, series, unit, name) {
  const width = 760;
  const height = 260;
  const rotate = labels.length > 8;
  const margin = { left: 58, right: 14, top: 14, bottom: rotate ? 70 : 34 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const max = Math.max(0, ...series.flatMap((entry) => entry.values.filter((value) => typeof value === "number")));
  const { top, step } = scale(max, unit);
  const y = (value) => margin.top + plotHeight - (Math.max(0, value) / top) * plotHeight;
  const group = plotWidth / labels.length;
  const barWidth = Math.min(40, Math.max(0.5, (group * 0.78) / series.length));
  const gap = (group - barWidth * series.length) / 2;

  const chart = svg("svg", {
    class: "chart-svg", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": name, preserveAspectRatio: "xMidYMid meet",
  });
  chart.append(svg("title", {}, name));

  // The axis: grid lines with their values.
  const axis = svg("g", { class: "axis" });
  for (let value = 0; value <= top + step / 1000; value += step) {
    const at = y(value);
    axis.append(
      svg("line", { class: value === 0 ? "baseline" : "grid", x1: margin.left, x2: width - margin.right, y1: at, y2: at }),
      svg("text", { class: "tick", x: margin.left - 6, y: at + 4, "text-anchor": "end" }, valueText(value, unit, unit === "seconds")));
  }
  chart.append(axis);

  // The bars, each with its value as a tooltip.
  const bars = svg("g", { class: "bars" });
  labels.forEach((label, row) => {
    series.forEach((entry, order) => {
      const value = entry.values[row];
      if (typeof value !== "number") return;
      const x = margin.left + row * group + gap + order * barWidth;
      const barTop = y(value);
      const shown = valueText(value, unit) + (unit === "seconds" ? ` s (${clockText(value)})` : "");
      bars.append(svg("rect", {
        class: `bar series-${order}`, x: x.toFixed(2), y: Math.min(barTop, margin.top + plotHeight - (value > 0 ? 1 : 0)).toFixed(2),
        width: barWidth.toFixed(2), height: Math.max(value > 0 ? 1 : 0, margin.top + plotHeight - barTop).toFixed(2),
        "data-label": label, "data-key": entry.column.key, "data-value": String(value),
      }, svg("title", {}, `${label} · ${entry.column.label?.zh ?? entry.column.key} / ${entry.column.label?.en ?? ""}: ${shown}`)));
    });
  });
  chart.append(bars);

  // The rows' labels, as many as fit.
  const every = Math.max(1, Math.ceil(labels.length / (rotate ? 24 : 8)));
  const names = svg("g", { class: "labels" });
  labels.forEach((label, row) => {
    if (row % every !== 0) return;
    const x = margin.left + row * group + group / 2;
    const at = margin.top + plotHeight + 14;
    names.append(svg("text", rotate
      ? { class: "label", x: x.toFixed(2), y: at, "text-anchor": "end", transform: `rotate(-40 ${x.toFixed(2)} ${at})` }
      : { class: "label", x: x.toFixed(2), y: at, "text-anchor": "middle" }, shortLabel(label)));
  });
  chart.append(names);
  return chart;
}

// ------------------------------------------------------------------------------------ start

/** The lists the filters choose from; one that fails to load leaves its filter with "all" (and says so). */
async function loadChoices() {
  const [sites, categories, items, clerks] = await Promise.allSettled([
    get("/api/v1/sites"), loadCategories(), get("/api/v1/catalog/items"), get("/api/v1/clerks"),
  ]);
  if (sites.status === "fulfilled" && Array.isArray(sites.value)) state.sites = sites.value;
  if (categories.status === "fulfilled") state.categories = categories.value;
  if (items.status === "fulfilled") state.items = [...(items.value?.items ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  if (clerks.status === "fulfilled") state.clerks = [...(clerks.value?.clerks ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName, "zh-CN"));
  const failed = [sites, categories, items, clerks].find((result) => result.status === "rejected");
  if (failed) showError(failed.reason);
  renderChoices();
}

function wire() {
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    run().catch(showError);
  });
  $("category").addEventListener("change", categoryChanged);
  $("item").addEventListener("change", itemChanged);
  $("last-week").addEventListener("click", () => {
    setDays(DEFAULT_DAYS);
    run().catch(showError);
  });
  $("today-only").addEventListener("click", () => {
    setDays(1);
    run().catch(showError);
  });
}

async function main() {
  const account = await requireAccount(["manager", "admin"]);
  fill($("me-name"), account.displayName);
  fill($("me-role"), account.role === "admin" ? text(["管理员", "Admin"]) : text(["值班经理", "Manager"]));
  wire();
  await loadChoices();
  applyAddress();
  document.body.classList.remove("is-loading");
  await run();
}

mountTopbar();
main().catch((error) => {
  if (error instanceof ApiError && error.status === 401) return; // on the way to the sign-in page
  console.error(error);
  showError(error);
});
