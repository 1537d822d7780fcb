// How 差评 and 补正 follow-up cases read for people (docs/follow-up.md): their states, steps,
// classifications and deadlines, and times in Shanghai. Shared by the follow-up page and the
// clerk's workspace (a 补正's reference and deadline).

const SHANGHAI = 8 * 3600 * 1000; // UTC+8, no daylight saving

/** "2026-11-30 09:30" in Shanghai time ("" for no date). */
export function shanghaiTime(iso) {
  const t = Date.parse(iso ?? "");
  if (!Number.isFinite(t)) return "";
  return new Date(t + SHANGHAI).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * A deadline in Shanghai time. Deadlines end at 24:00 of their last day: that moment shows as
 * "2026-11-30 24:00" (not "2026-12-01 00:00"), as the rules state it.
 */
export function shanghaiDeadline(iso) {
  const t = Date.parse(iso ?? "");
  if (!Number.isFinite(t)) return "";
  const local = new Date(t + SHANGHAI);
  if (local.getUTCHours() === 0 && local.getUTCMinutes() === 0 && local.getUTCSeconds() === 0) {
    return `${new Date(t + SHANGHAI - 86400000).toISOString().slice(0, 10)} 24:00`;
  }
  return shanghaiTime(iso);
}

/** Today's date in Shanghai, "2026-11-30". */
export function shanghaiToday(ms = Date.now()) {
  return new Date(ms + SHANGHAI).toISOString().slice(0, 10);
}

export const KINDS = {
  rating: ["差评回访", "Low rating"],
  correction: ["补正", "Needs materials"],
};

export const STATES = {
  open: ["待处理", "Open"],
  contacted: ["已联系", "Contacted"],
  classified: ["已分类", "Classified"],
  appealing: ["申诉复核中", "Appeal under review"],
  rectified: ["已整改", "Rectified"],
  revisited: ["已回访", "Revisited"],
  closed: ["已办结", "Closed"],
  returned: ["已补正回来", "Came back"],
  expired: ["补正已过期", "Expired"],
};

/** A 补正 that is open waits for the worker; a 差评 that is open waits for the call. */
export function statePair(kind, state) {
  if (kind === "correction" && state === "open") return ["待补正", "Awaiting materials"];
  return STATES[state] ?? [state, state];
}

export const NEXT_STEPS = {
  contact: ["联系办事人", "Contact"],
  rectify: ["整改", "Rectify"],
  close: ["办结", "Close"],
  return: ["补正期限", "Return by"],
};

export const CLASSIFICATIONS = {
  reasonable: ["合理诉求，立即整改", "Reasonable: fix it now"],
  complex: ["复杂诉求，制定整改计划", "Complex: a fix plan with a date"],
  noBasis: ["无法律依据，做好解释", "No legal basis: explained"],
  mistaken: ["误评或恶意差评（申诉复核）", "Mistaken or malicious (appeal)"],
};

export const LEVELS = {
  1: ["非常不满意", "Very dissatisfied"],
  2: ["不满意", "Dissatisfied"],
  3: ["基本满意", "Fair"],
  4: ["满意", "Satisfied"],
  5: ["非常满意", "Very satisfied"],
};

const ACTIONS = {
  opened: ["开启", "Opened"],
  signed: ["签收", "Signed for"],
  contacted: ["已联系办事人", "Contacted the applicant"],
  "appeal-requested": ["申请申诉复核（误评或恶意差评）", "Appeal requested (mistaken or malicious)"],
  "appeal-upheld": ["申诉复核：成立", "Appeal upheld"],
  "appeal-refused": ["申诉复核：驳回", "Appeal refused"],
  rectified: ["已整改", "Rectified"],
  "revisited:satisfied": ["回访：满意", "Revisited: satisfied"],
  "revisited:unsatisfied": ["回访：不满意", "Revisited: not satisfied"],
  closed: ["办结", "Closed"],
  returned: ["补正回来（新取号）", "Came back (new ticket)"],
  expired: ["补正期限已过", "Time to bring the materials ran out"],
};

/** A step's action as people read it ("classified:complex" → "分类：复杂诉求…"). */
export function actionPair(action) {
  if (ACTIONS[action]) return ACTIONS[action];
  const [head, tail] = String(action).split(":");
  if (head === "classified" && CLASSIFICATIONS[tail]) {
    const [zh, en] = CLASSIFICATIONS[tail];
    return [`分类：${zh}`, `Classified: ${en}`];
  }
  return [action, action];
}

/** Who took a step: a manager's username, the system, a kiosk, or the clerk of a 补正. */
export function byPair(by, clerkName) {
  if (by === "system") return ["系统", "System"];
  if (by === "kiosk") return ["自助终端", "Kiosk"];
  if (/^clerk:\d+$/.test(by ?? "")) return [`工作人员 ${clerkName ?? by.slice(6)}`, `Clerk ${clerkName ?? by.slice(6)}`];
  return [by ?? "—", ""];
}

/**
 * The deadlines of a case with when each was met (as the server's timeliness report counts
 * them): [{step, due, doneAt}]. A 差评 has 联系 1 / 整改 5 / 办结 15 working days; a 补正 its return.
 */
export function deadlines(detail) {
  const steps = detail?.steps ?? [];
  const done = (actions) => steps.find((step) => actions.includes(step.action))?.at ?? null;
  if (detail?.kind === "correction") {
    return detail.returnBy ? [{ step: "return", due: detail.returnBy, doneAt: detail.returnedAt ?? done(["returned"]) }] : [];
  }
  const list = [];
  if (detail?.contactBy) list.push({ step: "contact", due: detail.contactBy, doneAt: done(["contacted"]) });
  if (detail?.rectifyBy) list.push({ step: "rectify", due: detail.rectifyBy, doneAt: done(["rectified", "appeal-upheld"]) });
  if (detail?.closeBy) list.push({ step: "close", due: detail.closeBy, doneAt: done(["closed", "appeal-upheld"]) });
  return list;
}

/** A deadline's mark: done (on time or late), overdue, ended without it, or still to come. */
export function deadlineStatus({ due, doneAt }, nowMs, caseEnded) {
  const dueMs = Date.parse(due);
  if (doneAt) return Date.parse(doneAt) <= dueMs ? "done" : "late";
  if (caseEnded) return "ended";
  return nowMs > dueMs ? "overdue" : "pending";
}

export const DEADLINE_STATUS = {
  done: ["按时完成", "Done on time"],
  late: ["超期完成", "Done late"],
  overdue: ["已超期", "Overdue"],
  pending: ["未到期", "Not yet due"],
  ended: ["无需办理", "Not needed"],
};
