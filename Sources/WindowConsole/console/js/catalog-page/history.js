// The catalog's history: every published version (who drafted, approved and published it, when,
// why), the field diff between two versions, a rollback draft from an older one, the catalog file
// to download and a file to import as a draft; and the review rule (admins may change it).
import { ApiError, api, get, post, put } from "../api.js";
import { text } from "../i18n.js";
import { bi, busy, fill, h, showError, toast } from "../ui.js";
import { $, VERSION_KINDS, changeTable, hideBox, shanghaiTime, showErrorIn, showInfoIn, state } from "./common.js";

let hooks = { setView: () => {}, draftsChanged: async () => {} };

// ---------------------------------------------------------------------------------- versions

export async function loadVersions() {
  const result = await get("/api/v1/catalog/versions");
  state.versions = result?.versions ?? [];
  if (Number.isInteger(result?.current)) state.currentVersion = result.current;
  $("catalog-version").textContent = String(state.currentVersion || "—");
  renderVersions();
}

function renderVersions() {
  const current = state.currentVersion;
  fill($("versions-body"), state.versions.map((version) => {
    const changes = h("button", { type: "button", class: "btn btn-small btn-secondary", dataset: { action: "changes" }, disabled: version.number <= 1,
      onclick: () => showDiff(version.number - 1, version.number) }, bi(["查看改动", "Changes"]));
    const exportLink = h("a", { class: "btn btn-small btn-ghost", href: `/api/v1/catalog/export?version=${version.number}`, download: `catalog-v${version.number}.json`, dataset: { action: "export" } },
      bi(["导出", "Export"]));
    const actions = [changes, exportLink];
    if (version.number !== current) actions.push(rollbackControl(version.number));
    return h("tr", { dataset: { version: String(version.number), kind: version.kind } },
      h("td", { class: "num" }, h("strong", {}, String(version.number)), version.number === current ? [" ", h("span", { class: "badge state-available" }, bi(["当前", "current"]))] : null),
      h("td", {}, bi(VERSION_KINDS[version.kind] ?? [version.kind, ""])),
      h("td", { class: "mono" }, shanghaiTime(version.publishedAt)),
      h("td", {}, version.publishedBy ?? "—"),
      h("td", {}, version.approvedBy ?? "—"),
      h("td", {}, (version.draftedBy ?? []).join("、") || "—"),
      h("td", { class: "version-note" }, version.note ?? "",
        version.rollbackOf ? h("div", { class: "muted small" }, bi([`回滚到第 ${version.rollbackOf} 版`, `restores version ${version.rollbackOf}`])) : null,
        version.draft ? h("div", { class: "muted small" }, bi([`草稿 #${version.draft}`, `draft #${version.draft}`])) : null),
      h("td", { class: "actions" }, h("div", { class: "row-actions" }, actions)));
  }));

  for (const id of ["diff-from", "diff-to"]) {
    const select = $(id);
    const chosen = select.value;
    fill(select, state.versions.map((version) => h("option", { value: String(version.number) }, text([`第 ${version.number} 版`, `version ${version.number}`]))));
    if (chosen && state.versions.some((version) => String(version.number) === chosen)) select.value = chosen;
    else if (id === "diff-to") select.value = String(current);
    else select.value = String(Math.max(1, current - 1));
  }
}

function rollbackControl(number) {
  const open = h("button", { type: "button", class: "btn btn-small btn-reject", dataset: { action: "rollback" } }, bi(["回滚到此版", "Roll back to this"]));
  const note = h("input", { type: "text", maxlength: "500", class: "rollback-note", placeholder: text(["回滚原因（必填）", "Why (required)"]), "aria-label": text(["回滚原因", "Why"]) });
  const confirm = h("button", { type: "button", class: "btn btn-small btn-reject", dataset: { action: "rollback-confirm" } }, bi(["创建回滚草稿", "Open a rollback draft"]));
  const form = h("div", { class: "rollback-form", hidden: true }, note, confirm);
  open.addEventListener("click", () => {
    form.hidden = !form.hidden;
    if (!form.hidden) note.focus();
  });
  note.addEventListener("input", () => note.classList.remove("is-invalid"));
  confirm.addEventListener("click", () => {
    if (!note.value.trim()) {
      note.classList.add("is-invalid");
      toast("请说明回滚原因 / say why (a note is required)", "error");
      return;
    }
    busy(confirm, async () => {
      try {
        const view = await post(`/api/v1/catalog/versions/${number}/rollback`, { note: note.value.trim() });
        toast(`已创建回滚草稿 #${view.draft.id}，须审核后发布 / Rollback draft #${view.draft.id} opened; it is reviewed like any other`, "info");
        hooks.setView(view);
        await hooks.draftsChanged();
        $("draft").scrollIntoView({ block: "start", behavior: "smooth" });
      } catch (error) {
        showError(error);
      }
    });
  });
  return h("div", { class: "rollback" }, open, form);
}

// ---------------------------------------------------------------------------------- diff

export async function showDiff(from, to) {
  const box = $("diff");
  $("diff-from").value = String(from);
  $("diff-to").value = String(to);
  try {
    const diff = await get(`/api/v1/catalog/diff?from=${from}&to=${to}`);
    box.hidden = false;
    box.dataset.from = String(diff.from);
    box.dataset.to = String(diff.to);
    fill(box, h("h3", { class: "panel-title" }, bi([`第 ${diff.from} 版 → 第 ${diff.to} 版：${diff.changes.length} 处改动`,
      `Version ${diff.from} → ${diff.to}: ${diff.changes.length} change(s)`])),
    changeTable(diff.changes, ["两个版本相同", "The two versions are the same"]));
  } catch (error) {
    box.hidden = false;
    const message = h("div", { class: "form-message" });
    fill(box, message);
    showErrorIn(message, error);
  }
}

// ---------------------------------------------------------------------------------- import

async function importFile(event) {
  event.preventDefault();
  const file = $("import-file").files?.[0];
  const result = $("import-result");
  if (!file) {
    showInfoIn(result, "请选择目录文件 / choose a catalog file", "error");
    return;
  }
  await busy($("import-go"), async () => {
    try {
      const note = $("import-note").value.trim();
      const body = new Blob([await file.arrayBuffer()], { type: "application/json" });
      const answer = await api(`/api/v1/catalog/import${note ? `?note=${encodeURIComponent(note)}` : ""}`, { method: "POST", body });
      result.dataset.outcome = answer?.draft ? "draft" : "no-changes";
      if (!answer?.draft) {
        showInfoIn(result, "文件与当前目录相同，没有改动，未创建草稿 / No changes: the file equals the current catalog; no draft was opened", "ok");
        return;
      }
      showInfoIn(result, `已导入为草稿 #${answer.draft.draft.id}（${answer.changes} 处改动） / Imported as draft #${answer.draft.draft.id} (${answer.changes} change(s))`, "ok");
      hooks.setView(answer.draft);
      await hooks.draftsChanged();
    } catch (error) {
      result.dataset.outcome = "error";
      showErrorIn(result, error);
    }
  });
}

// ---------------------------------------------------------------------------------- policy

export async function loadPolicy() {
  try {
    state.policy = await get("/api/v1/catalog/policy");
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  renderPolicy();
}

function renderPolicy() {
  const on = Boolean(state.policy?.onePersonPublish);
  const box = $("policy");
  box.dataset.onePersonPublish = String(on);
  const description = on
    ? bi(["一人发布：已开启（修改者可自行批准）", "One-person publish: on (an editor may approve their own draft)"])
    : bi(["双人审核：修改者不能批准自己的草稿", "Four eyes: whoever edited a draft cannot approve it"]);
  if (state.account?.role !== "admin") {
    fill(box, h("p", { id: "policy-state" }, description), h("p", { class: "hint" }, bi(["仅管理员可更改。", "Only an administrator can change it."])));
    return;
  }
  const toggle = h("input", { id: "policy-toggle", type: "checkbox" });
  toggle.checked = on;
  toggle.addEventListener("change", async () => {
    toggle.disabled = true;
    try {
      state.policy = await put("/api/v1/catalog/policy", { onePersonPublish: toggle.checked });
      toast(state.policy.onePersonPublish ? "已允许一人发布（已记入审计日志） / One-person publish allowed (audited)" : "已恢复双人审核 / Four eyes restored", "info");
    } catch (error) {
      showError(error);
    }
    renderPolicy();
    hooks.policyChanged?.();
  });
  fill(box, h("p", { id: "policy-state" }, description),
    h("label", { class: "check-label" }, toggle, bi(["允许一人发布（修改者可自行批准）", "Allow one-person publish (an editor may approve)"])));
}

export function wireHistory(given) {
  hooks = { ...hooks, ...given };
  $("diff-go").addEventListener("click", (event) => busy(event.currentTarget, () => showDiff(Number($("diff-from").value), Number($("diff-to").value))));
  $("import-form").addEventListener("submit", importFile);
  $("import-file").addEventListener("change", () => hideBox($("import-result")));
}
