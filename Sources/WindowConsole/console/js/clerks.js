// Managers' clerk administration: create clerks, set their skills, reset their passwords.
// Every change goes through the role-checked API; this page only shows and sends.
import { api, get, post, requireAccount } from "./api.js";
import { categories as loadCategories } from "./catalog.js";
import { mountTopbar } from "./topbar.js";
import { bi, busy, fill, h, named, showError, toast } from "./ui.js";

const $ = (id) => document.getElementById(id);
const state = { categories: [], clerks: [] };

function skillBoxes(selected, name) {
  return state.categories.map((category) =>
    h("label", { class: "skill-choice" },
      h("input", { type: "checkbox", name, value: category.code, checked: selected.includes(category.code) }),
      h("span", { class: "letter" }, category.letter), named(category.name)));
}

function checked(container) {
  return [...container.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
}

function row(clerk) {
  const skills = h("div", { class: "skill-choices compact" }, skillBoxes(clerk.skills, `skills-${clerk.id}`));
  const save = h("button", { type: "button", class: "btn btn-secondary btn-small", dataset: { action: "save" } }, bi(["保存技能", "Save skills"]));
  save.addEventListener("click", () => busy(save, async () => {
    try {
      await api(`/api/v1/clerks/${clerk.id}`, { method: "PATCH", body: { skills: checked(skills) } });
      toast("技能已保存 / Skills saved", "info");
      await refresh();
    } catch (error) {
      showError(error);
    }
  }));
  const password = h("input", { type: "password", minlength: "10", maxlength: "128", autocomplete: "new-password",
    placeholder: "新密码 / new password", "aria-label": "新密码 / new password" });
  const reset = h("button", { type: "button", class: "btn btn-secondary btn-small", dataset: { action: "reset" } }, bi(["重置密码", "Reset password"]));
  reset.addEventListener("click", () => busy(reset, async () => {
    try {
      await post(`/api/v1/clerks/${clerk.id}/password`, { password: password.value });
      password.value = "";
      toast("密码已重置，该工作人员需重新登录 / Password reset; the clerk signs in again", "info");
    } catch (error) {
      showError(error);
    }
  }));
  return h("tr", { dataset: { clerk: clerk.id } },
    h("td", {}, clerk.displayName),
    h("td", { class: "mono" }, clerk.window),
    h("td", {}, skills),
    h("td", { class: "actions" }, save, h("div", { class: "reset-row" }, password, reset)));
}

function render() {
  fill($("clerks-body"), state.clerks.length ? state.clerks.map(row)
    : h("tr", {}, h("td", { colspan: "4", class: "muted" }, bi(["还没有工作人员", "No clerks yet"]))));
  fill($("new-skills"), skillBoxes([], "new-skills"));
}

async function refresh() {
  const list = await get("/api/v1/clerks");
  state.clerks = list?.clerks ?? [];
  render();
}

async function create(event) {
  event.preventDefault();
  const button = $("create-button");
  await busy(button, async () => {
    try {
      const clerk = await post("/api/v1/clerks", {
        username: $("new-username").value.trim(),
        displayName: $("new-name").value.trim(),
        window: $("new-window").value.trim(),
        password: $("new-password").value,
        skills: checked($("new-skills")),
      });
      $("create").reset();
      toast(`已创建工作人员 ${clerk.displayName} / Clerk created`, "info");
      await refresh();
    } catch (error) {
      showError(error);
    }
  });
}

async function start() {
  const account = await requireAccount(["manager", "admin"]);
  fill($("me-name"), account.displayName);
  $("create").addEventListener("submit", create);
  state.categories = [...(await loadCategories()).values()];
  await refresh();
  document.body.classList.remove("is-loading");
}

mountTopbar();
start().catch(showError);
