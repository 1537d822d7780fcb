// Managing the catalog (managers and admins): the published catalog, drafts with four-eyes
// review and publishing, the item editor with live validation, the history with diffs,
// rollback, export and import, and the review rule. A `catalog` message on the live
// connection (a version was published) refreshes what the page shows; an item being edited
// keeps what was typed. See docs/catalog-management.md for the API.
import { requireAccount } from "./api.js";
import { text } from "./i18n.js";
import { Live } from "./live.js";
import { mountTopbar } from "./topbar.js";
import { liveStatus, showError, toast } from "./ui.js";
import { $, state } from "./catalog-page/common.js";
import { loadDrafts, openDraft, reloadDraft, setView, wireDrafts } from "./catalog-page/drafts.js";
import { closeEditor, draftChanged, isDirty, openEditor, wireEditor } from "./catalog-page/editor.js";
import { loadPolicy, loadVersions, wireHistory } from "./catalog-page/history.js";
import { loadCategories, loadPublished, renderPublished, wirePublished } from "./catalog-page/published.js";

const DRAFTS_EVERY_MS = 15000;

/** A version was published (by anyone): everything shown is asked for again. */
async function catalogPublished(data) {
  const results = await Promise.allSettled([loadCategories(), loadVersions(), loadDrafts(), reloadDraft()]);
  await loadPublished().catch(() => {});
  const failed = results.find((result) => result.status === "rejected");
  if (failed) showError(failed.reason);
  const version = Number.isInteger(data?.version) ? data.version : state.currentVersion;
  if (state.view?.draft?.publishedVersion === version) return; // published here: said already
  toast(`事项目录已发布第 ${version} 版 / Catalog version ${version} is published`, "info");
}

async function main() {
  state.account = await requireAccount(["manager", "admin"]);
  $("me-name").textContent = state.account.displayName;
  $("me-role").textContent = state.account.role === "admin" ? text(["管理员", "Admin"]) : text(["值班经理", "Manager"]);

  wireEditor({ setView });
  wireDrafts({
    openEditor,
    closeEditor: () => closeEditor(),
    changed: () => {
      draftChanged(state.view);
      renderPublished();
    },
  });
  wirePublished({ edit: (code) => openEditor(code) });
  wireHistory({ setView, draftsChanged: loadDrafts, policyChanged: () => state.view && setView(state.view) });

  await loadPolicy();
  await loadCategories();
  await Promise.all([loadPublished(), loadDrafts(), loadVersions()]);
  const wanted = /^#draft=(\d+)$/.exec(location.hash);
  if (wanted) await openDraft(Number(wanted[1])).catch(showError);
  document.body.classList.remove("is-loading");

  const live = new Live({
    onMessage(type, data) {
      if (type === "catalog") catalogPublished(data).catch(showError);
    },
    onStatus(status) {
      liveStatus({ ...status, onRetry: () => live.retryNow() });
    },
  });
  live.start();
  // Steps other managers take on drafts (a save, an approval) come with no live message: look again now and then,
  // unless someone is typing in the draft's steps.
  setInterval(() => {
    if (document.visibilityState !== "visible" || $("draft-actions").contains(document.activeElement)) return;
    loadDrafts().catch(() => {});
    reloadDraft().catch(() => {});
  }, DRAFTS_EVERY_MS);
  window.addEventListener("pagehide", () => live.stop());
  window.addEventListener("beforeunload", (event) => {
    if (isDirty()) event.preventDefault();
  });
}

mountTopbar();
main().catch((error) => {
  console.error(error);
  showError(error);
});
