// The public service catalog, cached for the page's life: categories (skills) and items.
import { get } from "./api.js";

let categoriesPromise = null;
const items = new Map();

/** Map code → {code, letter, name:{zh,en}}, in the catalog's order. */
export function categories() {
  if (!categoriesPromise) {
    categoriesPromise = get("/api/v1/catalog/categories")
      .then((result) => new Map((result?.categories ?? []).map((category) => [category.code, category])))
      .catch((error) => {
        categoriesPromise = null; // try again next time
        throw error;
      });
  }
  return categoriesPromise;
}

/** One item by code (name, guide, materials…). */
export function item(code) {
  if (!items.has(code)) {
    const promise = get(`/api/v1/catalog/items/${encodeURIComponent(code)}`).catch((error) => {
      items.delete(code);
      throw error;
    });
    items.set(code, promise);
  }
  return items.get(code);
}

/** Every item, for pages that show many (the board): Map code → item. */
export async function allItems() {
  const result = await get("/api/v1/catalog/items");
  const map = new Map();
  for (const entry of result?.items ?? []) {
    map.set(entry.code, entry);
    if (!items.has(entry.code)) items.set(entry.code, Promise.resolve(entry));
  }
  return map;
}
