// Bilingual strings for the console: Chinese first, English beside it.
// Every entry is [zh, en]. Pages show both; `text()` joins them for titles and placeholders.

export const STRINGS = {
  // Clerk states (ClerkView.state) and the choices a clerk makes (PUT /clerk/state).
  "state.offline": ["离线", "Offline"],
  "state.available": ["可办理", "Available"],
  "state.offered": ["派单中", "Offered"],
  "state.in-session": ["办理中", "In session"],
  "state.wrap-up": ["整理中", "Wrap-up"],
  "state.away": ["小休", "Break"],
  "choice.available": ["可办理", "Available"],
  "choice.break": ["小休", "Break"],
  "choice.offline": ["离线", "Offline"],

  // Session states.
  "session.connecting": ["连接中", "Connecting"],
  "session.active": ["进行中", "Active"],
  "session.reconnecting": ["重连中", "Reconnecting"],
  "session.ended": ["已结束", "Ended"],

  // Outcomes.
  "outcome.completed": ["办结", "Completed"],
  "outcome.needs-materials": ["补正", "Needs materials"],
  "outcome.referred-offline": ["转线下", "Referred offline"],
  "outcome.transferred": ["已转办", "Transferred"],
  "outcome.dropped": ["中断", "Dropped"],

  // Priority.
  "priority.elderly": ["老年人优先", "Elderly priority"],
  "priority.disabled": ["残疾人优先", "Disability priority"],
  "priority.appointment": ["预约", "Appointment"],
  "priority.returning": ["补正回来", "Back with materials"],
  "priority.normal": ["普通", "Normal"],

  // Materials.
  "material.pending": ["待审核", "Pending"],
  "material.accepted": ["已接收", "Accepted"],
  "material.rejected": ["已退回", "Rejected"],
  "material.view": ["查看", "View"],
  "material.hide": ["收起", "Hide"],
  "material.accept": ["接收", "Accept"],
  "material.reject": ["退回", "Reject"],
  "material.confirmReject": ["确认退回", "Confirm rejection"],
  "material.cancel": ["取消", "Cancel"],
  "material.reason": ["退回原因", "Reason for rejection"],
  "material.reasonRequired": ["请填写退回原因", "Give a reason for the rejection"],
  "material.none": ["办事人尚未提交材料", "The applicant has not uploaded anything yet"],
  "material.openPdf": ["打开PDF", "Open PDF"],
  "material.openFull": ["在新标签页打开原图", "Open full size in a new tab"],
  "material.loading": ["正在载入…", "Loading…"],
  "material.loadFailed": ["材料载入失败", "Could not load the file"],
  "material.original": ["原件", "Original"],
  "material.copy": ["复印件", "Copy"],
  "material.required": ["必需", "Required"],
  "material.optional": ["可选", "Optional"],
  "reason.illegible": ["图像不清晰", "Not legible"],
  "reason.incomplete": ["内容不完整", "Incomplete"],
  "reason.expired": ["证件已过期", "Expired"],
  "reason.wrongDocument": ["非所需材料", "Not the required document"],
  "reason.notOriginal": ["须提供原件", "Original required"],

  // Catalog items: 办件类型, results, materials' source and medium, status.
  "handling.immediate": ["即办件", "Immediate"],
  "handling.promised": ["承诺件", "Promised"],
  "handling.immediateNote": ["当场办结", "done during the call"],
  "unit.workingDays": ["个工作日", "working days"],
  "unit.calendarDays": ["个自然日", "calendar days"],
  "delivery.onSite": ["当场领取", "on site"],
  "delivery.mail": ["邮寄", "by mail"],
  "delivery.electronic": ["电子证照", "electronic"],
  "resultKind.license": ["证照", "Licence"],
  "resultKind.approval": ["批文", "Approval"],
  "resultKind.other": ["其他", "Other"],
  "source.applicant": ["申请人自备", "brought by the applicant"],
  "source.government": ["政府部门核发", "issued by a department"],
  "source.dataSharing": ["免提交（数据共享）", "not needed: data sharing"],
  "medium.paper": ["纸质", "Paper"],
  "medium.electronic": ["电子", "Electronic"],
  "role.statutory": ["法定实施主体", "Statutory body"],
  "role.entrusted": ["受委托受理", "Accepts on the body's behalf"],
  "itemStatus.active": ["在用", "Active"],
  "itemStatus.suspended": ["暂停", "Suspended"],
  "itemStatus.retired": ["已停用", "Retired"],
  "catalog.updated": ["事项目录已更新", "The catalog was updated"],

  // Offer.
  "offer.waited": ["已等候", "Waited"],
  "offer.expires": ["剩余", "Left"],
  "offer.accept": ["接件", "Accept"],
  "offer.decline": ["拒绝", "Decline"],

  // Idle panels.
  "idle.offline.title": ["当前离线", "You are offline"],
  "idle.offline.body": ["点击上方「可办理」开始接件。", "Choose Available above to start receiving cases."],
  "idle.away.title": ["小休中", "On a break"],
  "idle.away.body": ["不会向您派单。休息结束后点击「可办理」。", "No cases are offered to you. Choose Available when you are back."],
  "idle.available.title": ["等待派单", "Waiting for a case"],
  "idle.available.body": ["有匹配您技能的办事人时，派单会出现在这里。", "When someone needs one of your skills, the offer appears here."],
  "idle.waitingNow": ["您的队列中正在等候", "waiting in your queues"],
  "idle.missed": ["已错过派单", "missed offers"],

  // Case.
  "case.elapsed": ["已办理", "Elapsed"],
  "case.kioskHere": ["办事人在线", "Applicant connected"],
  "case.kioskGone": ["办事人未连接", "Applicant not connected"],
  "case.idNumber": ["身份证", "ID"],
  "case.expected": ["预计", "Expected"],
  "case.minutes": ["分钟", "min"],
  "case.fee": ["收费", "Fee"],
  "case.pendingWarning": ["还有材料未审核。仍要办结请再次点击。", "Some materials are not reviewed yet. Click again to complete anyway."],
  "case.chooseOutcome": ["请选择办理结果", "Choose an outcome"],
  "case.chooseTarget": ["请选择转办对象", "Choose where to transfer"],
  "case.toSkill": ["转技能组", "To a skill"],
  "case.toClerk": ["转工作人员", "To a clerk"],
  "case.ended": ["已结束办理", "Session ended"],
  "case.transferred": ["已转办", "Transferred"],
  "case.reviewed": ["已审核", "reviewed"],
  "case.noItem": ["事项信息载入失败", "Could not load the item"],

  // Wrap-up.
  "wrap.auto": ["后自动就绪", "until ready automatically"],
  "wrap.last": ["上一件", "Last case"],
  "wrap.caseNumber": ["办件编号", "Case no."],

  // Queues.
  "queues.empty": ["暂无技能队列", "No skills assigned"],
  "queues.site": ["站点", "Site"],

  // Board.
  "board.noLines": ["当前无人等候", "Nobody is waiting"],
  "board.noClerks": ["尚无工作人员", "No clerks yet"],
  "board.updated": ["更新于", "Updated"],
  "board.onDuty": ["在岗工作人员", "Clerks on duty"],
  "board.idle": ["空闲", "Idle"],
  "today.waiting": ["等候中", "Waiting"],
  "today.offered": ["派单中", "Offered"],
  "today.in-session": ["办理中", "In session"],
  "today.done": ["已办结", "Done"],
  "today.abandoned": ["已放弃", "Abandoned"],
  "today.cancelled": ["已取消", "Cancelled"],

  // Connection.
  "live.connecting": ["正在连接…", "Connecting…"],
  "live.online": ["实时连接正常", "Live"],
  "live.offline": ["连接已断开，正在重连", "Disconnected, reconnecting"],
  "live.retryNow": ["立即重连", "Reconnect now"],

  // Sign-in.
  "login.checking": ["正在验证…", "Checking…"],
  "login.slow": ["正在验证，多次失败后会变慢，请稍候…", "Checking; sign-in slows down after failed attempts, please wait…"],
  "login.missing": ["请输入用户名和密码", "Enter your username and password"],
  "login.totpNeeded": ["此账户已启用动态验证码，请输入6位验证码", "This account uses an authenticator: enter the 6-digit code"],
  "login.totpFormat": ["验证码为6位数字", "The code is 6 digits"],
  "login.lockedUntil": ["账户已锁定，解锁时间", "Account locked until"],
  "login.network": ["无法连接服务器，请检查网络", "Cannot reach the server; check the network"],
  "login.signedOut": ["您已退出登录", "You have signed out"],

  // General.
  "error.network": ["网络错误，请重试", "Network error, try again"],
  "error.generic": ["操作失败", "Something went wrong"],
  "error.session": ["登录已过期，请重新登录", "Your sign-in has expired; sign in again"],
  "none": ["无", "None"],
};

/** [zh, en] for a key, or the pair itself when given one. */
export function pair(key) {
  if (Array.isArray(key)) return key;
  return STRINGS[key] ?? [key, key];
}

/** "中文 / English" for titles, placeholders and aria labels. */
export function text(key) {
  const [zh, en] = pair(key);
  return `${zh} / ${en}`;
}

/** Splits a server message "中文 / English" into [zh, en]; a one-language message is shown once. */
export function splitMessage(message) {
  if (typeof message !== "string" || message.length === 0) return pair("error.generic");
  const index = message.indexOf(" / ");
  if (index < 0) return [message, ""];
  return [message.slice(0, index), message.slice(index + 3)];
}
