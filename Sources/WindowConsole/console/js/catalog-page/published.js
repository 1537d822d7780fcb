// The published catalog: search, filters by category and status, the table of items.
import { get } from "../api.js";
import { text } from "../i18n.js";
import { handlingFull } from "../item-format.js";
import { badge, bi, fill, h, named, showError } from "../ui.js";
import { $, state } from "./common.js";

let onEdit = () => {};
let asked = 0;
let debounce = null;

function categoryCell(code) {
  const category = state.categories.find((entry) => entry.code === code);
  return h("span", { class: "cat" }, h("span", { class: "letter" }, category?.letter ?? "?"), category ? named(category.name) : bi([code, ""]));
}

function row(item) {
  const editable = state.view?.draft?.state === "editing";
  return h("tr", { dataset: { code: item.code, status: item.status } },
    h("td", { class: "mono" }, item.code),
    h("td", {}, named(item.name)),
    h("td", {}, categoryCell(item.category)),
    h("td", {}, bi(handlingFull(item))),
    h("td", {}, badge(`itemStatus.${item.status}`, `item-${item.status}`)),
    h("td", { class: "num" }, `v${item.version ?? "?"}`),
    h("td", {}, editable
      ? h("button", { type: "button", class: "btn btn-small btn-secondary", dataset: { action: "edit" }, onclick: () => onEdit(item.code) },
        bi(["在草稿中编辑", "Edit in the draft"]))
      : null));
}

/** Loads the items the search and filters ask for. */
export async function loadPublished() {
  const params = new URLSearchParams();
  const q = $("search").value.trim();
  if (q) params.set("q", q);
  if ($("filter-category").value) params.set("category", $("filter-category").value);
  if ($("filter-status").value) params.set("status", $("filter-status").value);
  const ticket = ++asked;
  const query = params.toString();
  const result = await get(`/api/v1/catalog/items${query ? `?${query}` : ""}`);
  if (ticket !== asked) return; // a newer search is under way
  state.items = result?.items ?? [];
  if (Number.isInteger(result?.catalogVersion)) state.currentVersion = result.catalogVersion;
  $("catalog-version").textContent = String(state.currentVersion || "—");
  renderPublished();
}

export function renderPublished() {
  const items = state.items ?? [];
  $("items-count").textContent = String(items.length);
  fill($("items-body"), items.length ? items.map(row)
    : h("tr", { class: "empty" }, h("td", { colspan: "7", class: "muted" }, bi(["没有符合条件的事项", "No items match"]))));
}

/** Loads the categories for the filter. */
export async function loadCategories() {
  const result = await get("/api/v1/catalog/categories");
  state.categories = result?.categories ?? [];
  const select = $("filter-category");
  const chosen = select.value;
  fill(select, h("option", { value: "" }, text(["全部分类", "Any category"])),
    state.categories.map((category) => h("option", { value: category.code }, `${category.letter} ${category.name.zh} / ${category.name.en}`)));
  select.value = state.categories.some((category) => category.code === chosen) ? chosen : "";
}

/** Wires the search and filters; `edit(code)` opens an item of the open draft in the editor. */
export function wirePublished({ edit }) {
  onEdit = edit;
  const reload = () => loadPublished().catch(showError);
  $("search").addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(reload, 250);
  });
  $("filter-category").addEventListener("change", reload);
  $("filter-status").addEventListener("change", reload);
}
