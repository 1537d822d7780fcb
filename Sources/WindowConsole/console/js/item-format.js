// How a catalog item's elements read for people, shared by the clerk's pages and the catalog
// page: 办件类型 with its promise, 办理结果's delivery, a material's tags.
import { pair } from "./i18n.js";
import { badge, bi, h, named } from "./ui.js";

/** 即办件 "当场办结 / done during the call"; 承诺件 "承诺 N 个工作日 / within N working days". */
export function handlingPair(item) {
  if (item?.handlingType === "promised") {
    const days = item.promisedTimeLimit?.days ?? 0;
    const [zh, en] = pair(`unit.${item.promisedTimeLimit?.unit ?? "workingDays"}`);
    return [`承诺 ${days} ${zh}`, `within ${days} ${en}`];
  }
  return pair("handling.immediateNote");
}

/** A time limit as "15 个工作日 / 15 working days" (0: "—"). */
export function limitPair(limit) {
  if (!limit || !limit.days) return ["—", ""];
  const [zh, en] = pair(`unit.${limit.unit ?? "workingDays"}`);
  return [`${limit.days} ${zh}`, `${limit.days} ${en}`];
}

/** The result's delivery ways, "当场领取、邮寄 / on site, by mail". */
export function deliveryPair(delivery) {
  const list = (delivery ?? []).map((way) => pair(`delivery.${way}`));
  if (!list.length) return ["—", ""];
  return [list.map(([zh]) => zh).join("、"), list.map(([, en]) => en).join(", ")];
}

/** The 实施主体's name: the catalog's department name, else its code. */
export function department(item) {
  if (item?.departmentName) return named(item.departmentName);
  if (item?.department && typeof item.department === "object") return named(item.department); // an older server
  return item?.department ? bi([item.department, ""]) : null;
}

/** The tags of one material: form, required, copies, medium, source (免提交 stands out). */
export function materialTags(entry) {
  const copies = Number.isInteger(entry.copies) ? entry.copies : 1;
  return [
    badge(entry.form === "copy" ? "material.copy" : "material.original", "tag-form"),
    badge(entry.required ? "material.required" : "material.optional", entry.required ? "tag-required" : "tag-optional"),
    h("span", { class: "badge tag-form tag-copies" }, bi([`${copies} 份`, `${copies} ${copies === 1 ? "copy" : "copies"}`])),
    entry.medium === "electronic" ? badge("medium.electronic", "tag-form") : null,
    entry.source === "government" ? badge("source.government", "tag-form tag-source") : null,
    entry.source === "dataSharing" ? badge("source.dataSharing", "tag-shared tag-source") : null,
  ];
}

/** "即办件：当场办结 / Immediate: done during the call", "承诺件：承诺 7 个工作日 / Promised: within 7 working days". */
export function handlingFull(item) {
  const [typeZh, typeEn] = pair(`handling.${item?.handlingType === "promised" ? "promised" : "immediate"}`);
  const [zh, en] = handlingPair(item);
  return [`${typeZh}：${zh}`, `${typeEn}: ${en}`];
}
