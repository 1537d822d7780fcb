// The public service catalog, cached for the page's life: categories (skills) and items.
// An item is cached per code and item version: a ticket keeps the version it was issued under, so
// `item(code, version)` always shows that version, while `item(code)` is today's (current) item,
// forgotten when a new catalog version is published (`forgetCurrent`).
import { get } from "./api.js";

let categoriesPromise = null;
const items = new Map(); // "code@version" or "code@current" → Promise<item>

const key = (code, version) => `${code}@${version ?? "current"}`;

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

/**
 * One item by code (name, guide, materials…): the item version `version` when given (what a
 * ticket issued under it sees), else the current one.
 */
export function item(code, version) {
  const versioned = Number.isInteger(version) && version > 0;
  const k = key(code, versioned ? version : undefined);
  if (!items.has(k)) {
    const path = `/api/v1/catalog/items/${encodeURIComponent(code)}${versioned ? `?version=${version}` : ""}`;
    const promise = get(path).then((found) => {
      // Today's item is also that item version: keep it under its number too.
      if (!versioned && Number.isInteger(found?.version) && !items.has(key(code, found.version))) {
        items.set(key(code, found.version), Promise.resolve(found));
      }
      return found;
    }).catch((error) => {
      items.delete(k);
      throw error;
    });
    items.set(k, promise);
  }
  return items.get(k);
}

/**
 * A new catalog version is out: forget today's items (and the categories), keep the versioned
 * ones (an item version never changes).
 */
export function forgetCurrent() {
  for (const k of [...items.keys()]) if (k.endsWith("@current")) items.delete(k);
  categoriesPromise = null;
}

/** Every item, for pages that show many (the board): Map code → item. */
export async function allItems() {
  const result = await get("/api/v1/catalog/items");
  const map = new Map();
  for (const entry of result?.items ?? []) {
    map.set(entry.code, entry);
    if (!items.has(key(entry.code))) items.set(key(entry.code), Promise.resolve(entry));
  }
  return map;
}
