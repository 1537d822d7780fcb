import Foundation
import WindowClient
import WindowCore

/// The language the screen is shown in; the title line always carries both.
public enum Language: String, Sendable, Equatable {
    case zh
    case en

    public var other: Language { self == .zh ? .en : .zh }
}

extension LocalizedText {
    public func text(_ language: Language) -> String { language == .zh ? zh : en }

    /// Splits the server's `中文 / English` messages; text without the separator is used for both.
    public static func bilingual(_ message: String) -> LocalizedText {
        if let range = message.range(of: " / ") {
            let zh = String(message[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
            let en = String(message[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            if !zh.isEmpty && !en.isEmpty { return LocalizedText(zh: zh, en: en) }
        }
        return LocalizedText(zh: message, en: message)
    }

    static func + (lhs: LocalizedText, rhs: LocalizedText) -> LocalizedText {
        LocalizedText(zh: lhs.zh + rhs.zh, en: lhs.en + rhs.en)
    }
}

func L(_ zh: String, _ en: String) -> LocalizedText { LocalizedText(zh: zh, en: en) }

/// Every sentence the kiosk shows.
enum UI {
    static let brand = L("一网通办 远程虚拟窗口", "One-Stop Remote Window")
    static let toggleHint = L("L English", "L 中文")

    static let homeTitle = L("首页", "Home")
    static let itemsTitle = L("选择事项", "Choose a service")
    static let itemTitle = L("办事指南", "Service guide")
    static let idCardTitle = L("身份核验", "ID card check")
    static let ticketTitle = L("排队等候", "Your ticket")
    static let sessionTitle = L("视频办理", "In session")
    static let resultTitle = L("办理结果", "Result")
    static let ratingTitle = L("服务评价（好差评）", "Rate the service")
    static let thanksTitle = L("感谢评价", "Thank you")
    static let correctionTitle = L("补正回来", "Back with materials")

    static let online = L("已连接", "Online")
    static let connecting = L("连接中", "Connecting")
    static let offline = L("重连中", "Reconnecting")

    static let searchLabel = L("搜索事项（中文、English 或事项编码）：", "Search (中文, English or item code): ")
    static let searchPlaceholder = L("输入关键词后按 Enter", "type words, then Enter")
    static let categoriesLabel = L("按类别浏览：", "Browse by category:")
    static let hoursLabel = L("服务时间：", "Service hours: ")
    static let openNow = L("窗口开放中，可取号", "The window is open: you can take a ticket")
    static let closedNow = L("当前不在服务时间", "The window is closed now")
    static let nextOpening = L("下次开放：", "next opening: ")
    static let loading = L("正在加载...", "Loading...")
    static let noItems = L("没有找到相关事项，请换个关键词或按类别浏览", "Nothing found: try other words, or browse by category")
    static let searchEmpty = L("请先输入关键词", "Type a word to search first")

    static let onTheSpotShort = L("当场办结", "on the spot")
    static let immediate = L("即办件：视频办理中当场办结", "Done during the video call")
    static let promised = L("承诺件：今天受理，办结后送达", "Accepted today, the result follows")
    static let resultLabel = L("办理结果：", "Result: ")
    static let itemRetired = L("该事项已停止办理", "This item is no longer offered")
    static let faqLabel = L("常见问题：", "Questions people ask:")
    static let phonesLabel = L("咨询电话：", "Enquiries: ")
    static let complaintLabel = L("监督投诉：", "Complaints: ")
    static let minutesSuffix = L(" 分钟", " min")
    static let materialsLabel = L("申请材料（取号前请确认带齐）：", "Materials (check you have them all before queueing):")
    static let original = L("原件", "original")
    static let copy = L("复印件", "copy")
    static let required = L("必交", "required")
    static let dataSharing = L("免提交", "not needed: data sharing")
    static let optional = L("视情形", "if applicable")
    static let conditionsLabel = L("受理条件：", "Conditions:")
    static let feeLabel = L("收费：", "Fee: ")
    static let timeLabel = L("预计办理时间：", "Expected time: ")
    static let guideLabel = L("办理须知：", "How it works:")
    static let legalLabel = L("设定依据：", "Legal basis:")
    static let noMaterials = L("无需提交材料", "No materials needed")
    static let itemSuspended = L("该事项暂停受理", "This service is not being accepted now")

    static let idPrompt = L("请将身份证放在读卡区（模拟：输入18位身份证号码）", "Place your ID card on the reader (simulated: type the 18-character ID number)")
    static let idField = L("身份证号码：", "ID number: ")
    static let idPrivacy = L("号码仅用于本次取号，此后不再显示完整号码，服务器只保存脱敏号码", "Used only to take this ticket: the full number is not shown again, and the server keeps it only masked")
    static let idRead = L("已读取身份证：", "ID card read: ")
    static let ageLabel = L("年龄：", "Age: ")
    static let ageSuffix = L(" 岁", "")
    static let chooseLane = L("请选择取号通道：", "Choose your queue:")
    static let laneNormal = L("普通取号", "Normal queue")
    static let laneElderly = L("老年人优先通道（年满60周岁）", "Priority lane for the elderly (60 and over)")
    static let laneDisabled = L("残疾人优先通道（本人申报）", "Priority lane for people with disabilities (self-declared)")
    static let elderlyOffered = L("您已年满60周岁，可使用老年人优先通道。", "You are 60 or over: the priority lane is open to you.")

    static let ticketNumber = L("您的号票", "Your number")
    static let position = L("排队位置：第 %d 位", "Position in line: %d")
    static let ahead = L("前面还有 %d 人", "%d ahead of you")
    static let eta = L("预计等候：约 %d 分钟", "Estimated wait: about %d min")
    static let etaSoon = L("预计等候：不到 1 分钟", "Estimated wait: under a minute")
    static let etaNone = L("暂无工作人员在岗，开始服务后将显示预计时间", "No clerk on duty yet; the estimate appears once one is")
    static let clerksOnDuty = L("在岗工作人员：%d 位", "Clerks on duty: %d")
    static let offered = L("工作人员即将接入，请留在屏幕前", "A clerk is about to take your case: please stay at the screen")
    static let waitingNote = L("请留意右侧屏幕（屏幕 B），轮到您时将自动接通视频。", "Watch screen B: the video call starts by itself when it is your turn.")
    static let lanePriority = L("优先通道", "Priority lane")
    static let laneAppointment = L("预约", "Appointment")
    static let laneNormalShort = L("普通", "Normal")
    static let laneReturning = L("补正回来", "Back with materials")
    static let idMasked = L("身份证：", "ID: ")
    static let confirmLeave = L("确定离开队列吗？离开后号票作废。  Y 确定离开   N 继续等候", "Leave the queue? Your number will be void.  Y leave   N keep waiting")
    static let leftQueue = L("您已离开队列，号票已作废", "You have left the queue; the number is void")
    static let ticketTaken = L("取号成功，请等候叫号", "Ticket taken: please wait to be called")

    static let clerkLabel = L("工作人员：", "Clerk: ")
    static let windowLabel = L("窗口：", "Window: ")
    static let sessionStateLabel = L("状态：", "Status: ")
    static let sessionConnecting = L("正在接通视频，请看屏幕 B", "Connecting the video: look at screen B")
    static let sessionActive = L("视频已接通，请按工作人员指引办理", "Video connected: follow the clerk's guidance")
    static let sessionReconnecting = L("视频重连中，请稍候", "Video reconnecting, please wait")
    static let sessionEnded = L("办理已结束", "The session has ended")
    static let materialsHanded = L("已提交材料：", "Materials handed over:")
    static let noMaterialsYet = L("尚未提交材料。工作人员需要材料时，按 U 选择扫描件上传。", "None yet. When the clerk asks for a material, press U to upload a scan.")
    static let statusPending = L("待审核", "waiting for review")
    static let statusAccepted = L("已通过", "accepted")
    static let statusRejected = L("已退回", "rejected")
    static let reasonLabel = L("原因：", "reason: ")
    static let pickFile = L("选择要上传的扫描件（文件夹 %@）：", "Choose the scan to upload (folder %@):")
    static let noFiles = L("文件夹中没有文件", "There are no files in the folder")
    static let notScan = L("（不是 JPEG/PNG/PDF）", "(not JPEG/PNG/PDF)")
    static let pickName = L("这份文件是哪项材料？", "Which material is this file?")
    static let otherMaterial = L("其他材料（输入名称）", "Other material (type a name)")
    static let customName = L("材料名称：", "Material name: ")
    static let uploaded = L("已提交「%@」，等待工作人员审核", "Handed over \"%@\": waiting for the clerk's review")
    static let materialAccepted = L("材料「%@」已通过审核", "Material \"%@\" was accepted")
    static let materialRejected = L("材料「%@」被退回：%@", "Material \"%@\" was rejected: %@")

    static let materialsSummary = L("本次共提交材料 %d 份，已通过 %d 份", "Materials handed over: %d, accepted: %d")
    static let outcomeLabel = L("办理结果：", "Outcome: ")
    static let caseLabel = L("受理编号：", "Case number: ")
    static let nextLabel = L("接下来：", "What happens next:")
    static let rateNow = L("请为本次服务评价", "Please rate this service")
    static let commentLabel = L("评语（可选）：", "Comment (optional): ")
    static let commentHint = L("按 Tab 填写评语", "press Tab to write one")
    static let thanks = L("感谢您的评价！祝您生活愉快。", "Thank you for your rating. Have a good day!")
    static let yourRating = L("您的评价：", "Your rating: ")
    static let phoneConsent = L(
        "如需工作人员回访，可留下电话。电话仅用于本次回访，不作他用。", "If you would like a call back, leave a number. It is used for this call-back only.")
    static let phoneField = L("回访电话（可不填）：", "Call-back number (optional): ")
    static let phoneSkip = L("不留电话：直接按 Enter 或 Esc", "No number: just press Enter or Esc")
    static let callbackLeft = L("已留下回访电话 %@，工作人员会尽快与您联系。", "Call-back number %@ left: a member of staff will call you.")

    // 补正: the reference on the result screen, and coming back with it.
    static let referenceLabel = L("补正编号：", "Reference: ")
    static let noteItDown = L("请记下，带齐材料后凭此编号回来", "Note it down and come back with it and the materials")
    static let missingLabel = L("需补齐的材料：", "What is missing:")
    static let missingCheck = L("上次缺少的材料（请确认已带齐）：", "Missing last time (check you have brought them):")
    static let missingAsTold = L("请按工作人员告知的内容补齐材料", "Bring what the clerk told you")
    static let returnByLabel = L("补正期限：", "Come back by: ")
    static let returnBySuffix = L(" 当天结束前", ", end of day")
    static let homeReturn = L("补正回来：带齐材料后按 B，输入补正编号", "Back with materials? Press B, type your reference")
    static let referencePrompt = L(
        "请输入补正编号（上次办理结束时屏幕上显示的编号，如 RW20261130-000004）",
        "Type your reference (shown on the screen when your last session ended, e.g. RW20261130-000004)")
    static let referenceEmpty = L("请先输入补正编号", "Type the reference first")
    static let referenceNotFound = L("没有找到这个补正编号，请核对后重新输入", "This reference was not found: check it and type it again")
    static let referenceClosed = L("这个补正编号已不能使用", "This reference can no longer be used")
    static let referenceFailed = L("暂时无法查询，请稍后再试", "Cannot look it up now: please try again shortly")
    static let referenceHint = L(
        "凭补正编号回来可优先办理，无需重新排队，也无需再读身份证。", "With the reference you are served first, with no need to queue again or read your ID card.")
    static let takeReturn = L("按 Enter 取号：补正回来，优先办理", "Press Enter for a ticket: back with materials, served first")
    static let rated = L("评价已提交", "Rating sent")

    static let reconnectingTicket = L(
        "连接中断，正在自动重连。您的号票 %@ 仍然保留（断线宽限约 %d 分钟），请勿离开。",
        "Connection lost: reconnecting by itself. Your number %@ is kept (about %d min grace); please stay.")
    static let reconnectingPlain = L("与服务器的连接中断，正在自动重连...", "Lost the connection to the server: reconnecting...")
    static let offlineFor = L("已断开 %d 秒", "offline for %d s")
    static let reconnected = L("已重新连接，号票仍然有效", "Reconnected: your number is still valid")
    static let reconnectedPlain = L("已重新连接", "Reconnected")
    static let ticketLost = L("您的号票已失效（离开时间过长或已被取消），如需办理请重新取号", "Your number is no longer valid (away too long or cancelled); take a new one if needed")
    static let ticketCancelled = L("号票已取消", "The ticket was cancelled")
    static let transferred = L("已转交其他工作人员办理，请继续等候", "Passed to another clerk: please keep waiting")
    static let alreadyHaveTicket = L("本机已有号票，请先办完或离开队列", "This kiosk already holds a ticket: finish or leave it first")
    static let idleReset = L("长时间无操作，已返回首页并清除个人信息", "No activity for a while: back to home, personal data cleared")
    static let idleWarning = L("%d 秒后返回首页，按任意键继续", "Returning home in %d s: press any key to stay")
    static let tooSmall = L("窗口太小", "Window too small")

    static let busyTaking = L("正在取号...", "Taking a ticket...")
    static let busyLeaving = L("正在离开队列...", "Leaving the queue...")
    static let busyUploading = L("正在上传...", "Uploading...")
    static let busyRating = L("正在提交评价...", "Sending the rating...")
    static let busyLookingUp = L("正在查询补正编号...", "Looking up the reference...")

    // Footer key hints.
    static let keysHomeList = L("↑↓ 选择  数字 直选  Enter 打开  / 搜索  B 补正回来", "↑↓ move  number pick  Enter open  / search  B back with materials")
    static let keysHomeSearch = L("输入关键词  Enter 搜索  ↓ 类别  Esc 清除", "type words  Enter search  ↓ categories  Esc clear")
    static let keysList = L("↑↓ 选择  数字 直选  Enter 查看  Esc 返回", "↑↓ move  number pick  Enter open  Esc back")
    static let keysItem = L("Enter 取号  ↑↓ 翻阅  Esc 返回", "Enter take a ticket  ↑↓ scroll  Esc back")
    static let keysIDEntry = L("数字/X 输入  Backspace 删除  Enter 确认  Esc 返回", "digits/X type  Backspace delete  Enter confirm  Esc back")
    static let keysLane = L("↑↓ 或数字 选择  Enter 取号  Esc 重新输入", "↑↓ or number choose  Enter take ticket  Esc re-enter")
    static let keysTicket = L("Esc 离开队列", "Esc leave the queue")
    static let keysConfirm = L("Y 确定离开  N 继续等候", "Y leave  N keep waiting")
    static let keysSession = L("U 上传材料  R 刷新", "U upload a material  R refresh")
    static let keysPick = L("↑↓ 或数字 选择  Enter 确定  Esc 取消", "↑↓ or number choose  Enter OK  Esc cancel")
    static let keysText = L("输入文字  Enter 确定  Esc 取消", "type  Enter OK  Esc cancel")
    static let keysResult = L("Enter 去评价  Esc 跳过并返回首页", "Enter rate  Esc skip, back home")
    static let keysRating = L("↑↓ 或数字 选择  Tab 评语  Enter 提交  Esc 跳过", "↑↓ or number choose  Tab comment  Enter send  Esc skip")
    static let keysComment = L("输入评语  Enter 提交  Tab/Esc 返回选择", "type  Enter send  Tab/Esc back to levels")
    static let keysThanks = L("任意键返回首页", "any key: home")
    static let keysReference = L("输入补正编号  Enter 查询  Esc 返回", "type the reference  Enter look up  Esc back")
    static let keysCorrection = L("Enter 取号  Esc 重新输入", "Enter take a ticket  Esc another reference")
    static let keysPhone = L("数字 输入电话  Enter 提交  Esc 不留电话并提交", "digits type  Enter send  Esc send without a number")

    /// Fills `%d` and `%@` placeholders in order with `arguments`.
    static func format(_ text: LocalizedText, _ arguments: Any...) -> LocalizedText {
        func fill(_ template: String) -> String {
            var result = ""
            var rest = Substring(template)
            var index = 0
            while let range = rest.range(of: "%") {
                result += rest[..<range.lowerBound]
                let after = rest[range.upperBound...]
                if let next = after.first, next == "d" || next == "@" {
                    result += index < arguments.count ? "\(arguments[index])" : ""
                    index += 1
                    rest = after.dropFirst()
                } else {
                    result += "%"
                    rest = after
                }
            }
            return result + rest
        }
        return L(fill(text.zh), fill(text.en))
    }

    static func outcome(_ outcome: SessionOutcome) -> LocalizedText {
        switch outcome {
        case .completed: L("办结（已当场办结）", "Completed on the spot")
        case .needsMaterials: L("补正（需补充材料）", "More materials needed")
        case .transferred: L("已转办", "Transferred")
        case .referredOffline: L("转线下办理", "Referred to an in-person hall")
        case .dropped: L("连线中断，未办结", "Link dropped, not finished")
        }
    }

    static func nextSteps(_ outcome: SessionOutcome) -> LocalizedText {
        switch outcome {
        case .completed:
            L("事项已办结。结果将以短信通知；证照按受理回执告知的时间和方式领取或邮寄。",
              "Your case is done. You will get a text message; collect the document (or have it posted) as the receipt says.")
        case .needsMaterials:
            L("带齐材料后回到任一一体机，在首页按 B「补正回来」并输入补正编号：优先办理，无需重新读取身份证。",
              "With the materials, come back to any kiosk, press B (back with materials) on the home screen and type the reference: you are served first, no ID card needed.")
        case .referredOffline:
            L("请携带材料原件前往线下政务服务大厅办理，出示受理编号，无需重新排队登记。",
              "Please go to an in-person service hall with your originals and quote the case number; you will not need to register again.")
        case .transferred:
            L("已转交其他工作人员，请继续等候。", "Passed to another clerk: please keep waiting.")
        case .dropped:
            L("视频连线中断，本次未能办结。如需继续办理，请重新取号。", "The video link dropped before your case was finished. Take a new ticket to continue.")
        }
    }

    static func lane(_ lane: Lane) -> LocalizedText {
        switch lane {
        case .normal: laneNormal
        case .elderly: laneElderly
        case .disabled: laneDisabled
        }
    }

    static func idProblem(_ problem: ResidentID.Problem) -> LocalizedText {
        LocalizedText.bilingual(problem.message)
    }

    static let weekdays: [LocalizedText] = [
        L("周一", "Mon"), L("周二", "Tue"), L("周三", "Wed"), L("周四", "Thu"), L("周五", "Fri"), L("周六", "Sat"), L("周日", "Sun"),
    ]
}
