// What the clerk's page knows, shared by its modules: the latest ClerkView and queue lines, the
// case in hand, and storage that survives a reload of this tab.
import { badge, bi, named } from "../ui.js";

export const $ = (id) => document.getElementById(id);

export const state = {
  account: null,
  view: null, // the latest ClerkView
  queues: [], // the latest QueueLine list
  queuesAt: Date.now(),
  categories: new Map(),
  caseSession: null, // id of the session the case panel shows
  caseCategory: null, // the case's item's category, once the item is loaded
  caseItem: null, // the case's item (its ticket's version), once loaded
  materials: [],
  outcome: null,
  confirmArmed: false,
  viewing: null, // material id in the viewer
  blobs: new Map(), // material id → object URL
  offerTicket: null,
  offerTotal: 30,
  lastCaseLoadedFor: null,
};

// ---------------------------------------------------------------------------------------------
// Storage that survives a reload of this tab: notes being typed, ticked checklist lines, the last case.
// Keys carry the account, so another clerk signing in on the same tab starts clean.

const key = (name) => `rw.${state.account?.id ?? 0}.${name}`;
export const store = {
  get(name, fallback) {
    try {
      const raw = sessionStorage.getItem(key(name));
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(name, value) {
    try {
      sessionStorage.setItem(key(name), JSON.stringify(value));
    } catch {
      // storage full or disabled: the page still works, it just forgets on reload
    }
  },
  remove(name) {
    try {
      sessionStorage.removeItem(key(name));
    } catch {
      // ignore
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Labels several panels show.

export function categoryName(code) {
  const category = state.categories.get(code);
  return category ? named(category.name) : bi([code, ""]);
}

export function categoryLetter(code) {
  return state.categories.get(code)?.letter ?? "";
}

export function priorityBadge(reason) {
  if (!reason) return null;
  return badge(`priority.${reason}`, `priority priority-${reason}`);
}
