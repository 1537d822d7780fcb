import Foundation
import WindowClient
import WindowCore

/// Numbers the kiosk screen runs by.
public struct KioskSettings: Sendable, Equatable {
    /// Without a key pressed for this long, a screen with personal data goes back home and forgets it.
    public var idleTimeout: TimeInterval
    /// The idle countdown is shown for this long before it fires.
    public var idleWarning: TimeInterval
    /// How long the thank-you screen stays.
    public var thanksDuration: TimeInterval
    /// How often the site's hours and open state are read again.
    public var siteRefresh: TimeInterval
    /// Age from which the elderly lane is offered (the server checks it again).
    public var elderlyAge: Int
    /// How long the server keeps the ticket of a kiosk that dropped (shown to people while offline).
    public var kioskGrace: TimeInterval
    /// Where the scans to upload are (the document camera's output folder).
    public var materialsDirectory: String

    public init(
        idleTimeout: TimeInterval = 120, idleWarning: TimeInterval = 15, thanksDuration: TimeInterval = 6, siteRefresh: TimeInterval = 60,
        elderlyAge: Int = RoutingPolicy().elderlyAge, kioskGrace: TimeInterval = RoutingPolicy().kioskGrace, materialsDirectory: String = "."
    ) {
        self.idleTimeout = idleTimeout
        self.idleWarning = idleWarning
        self.thanksDuration = thanksDuration
        self.siteRefresh = siteRefresh
        self.elderlyAge = elderlyAge
        self.kioskGrace = kioskGrace
        self.materialsDirectory = materialsDirectory
    }
}

/// The live connection as the screen shows it.
public enum ConnectionStatus: Sendable, Equatable {
    /// Not connected yet since start.
    case connecting
    case online
    /// Was online, lost it, and is reconnecting by itself.
    case reconnecting(since: Date)
}

/// A one-line message at the bottom of the screen.
public struct Notice: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, success, error }
    public var kind: Kind
    public var text: LocalizedText

    public init(_ kind: Kind, _ text: LocalizedText) {
        self.kind = kind
        self.text = text
    }

    public static func error(_ error: WindowClientError) -> Notice {
        Notice(.error, .bilingual(error.message))
    }
}

/// A file in the scans folder, offered for upload.
public struct FileEntry: Sendable, Equatable {
    public var name: String
    public var path: String
    public var size: Int
    /// The type found from its first bytes; nil when it is not a JPEG, PNG or PDF.
    public var kind: MaterialFile.Kind?

    public init(name: String, path: String, size: Int, kind: MaterialFile.Kind?) {
        self.name = name
        self.path = path
        self.size = size
        self.kind = kind
    }
}

// MARK: - Screens

public struct HomeScreen: Sendable, Equatable {
    public enum Focus: Sendable, Equatable {
        case search
        case category(Int)
    }

    public var focus: Focus = .category(0)
    public var query: String = ""

    public init(focus: Focus = .category(0), query: String = "") {
        self.focus = focus
        self.query = query
    }
}

public struct ItemsScreen: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case category(WindowCore.Category)
        case search(String)
    }

    public var source: Source
    /// Nil while loading.
    public var items: [CatalogItem]?
    public var selected: Int = 0
    /// Digits typed so far when the list has ten or more rows.
    public var numberBuffer: String = ""
    public var home: HomeScreen

    public init(source: Source, items: [CatalogItem]? = nil, home: HomeScreen) {
        self.source = source
        self.items = items
        self.home = home
    }
}

public struct ItemScreen: Sendable, Equatable {
    public var code: String
    /// Nil while loading.
    public var item: CatalogItem?
    public var scroll: Int = 0
    /// The list it was opened from.
    public var list: ItemsScreen?

    public init(code: String, item: CatalogItem? = nil, list: ItemsScreen?) {
        self.code = code
        self.item = item
        self.list = list
    }
}

public struct IDCardScreen: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Typing the number; `problem` after a failed check.
        case entry(text: String, problem: ResidentID.Problem?)
        /// The number checked: choose a lane.
        case lane(IDCardCheck, selected: Int)
    }

    public var item: CatalogItem
    public var step: Step
    public var guide: ItemScreen

    public init(item: CatalogItem, step: Step = .entry(text: "", problem: nil), guide: ItemScreen) {
        self.item = item
        self.step = step
        self.guide = guide
    }
}

public struct SessionScreen: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        case overview
        /// Choosing a file; nil while the folder is read.
        case pickFile(files: [FileEntry]?, selected: Int)
        /// Naming it: one of the item's materials, or another name typed (`custom` non-nil).
        case pickName(file: FileEntry, selected: Int, custom: String?)
    }

    public var mode: Mode = .overview

    public init(mode: Mode = .overview) {
        self.mode = mode
    }
}

public struct RatingScreen: Sendable, Equatable {
    /// Row 0 is 非常满意 (level 5) … row 4 is 非常不满意 (level 1).
    public var selected: Int = 0
    public var comment: String = ""
    public var editingComment = false
    /// After a rating of 1 or 2: the optional call-back number, asked with its consent stated first.
    public var askingPhone = false
    /// The number as typed (digits and `-`); empty when none is left.
    public var phone: String = ""
    /// The number was entered (Enter): from then on it shows masked but for its last 4 digits.
    public var phoneEntered = false
    /// Why the server refused the number (`invalid_phone`), shown until the worker corrects it.
    public var phoneProblem: LocalizedText?

    public init(
        selected: Int = 0, comment: String = "", editingComment: Bool = false, askingPhone: Bool = false, phone: String = "",
        phoneEntered: Bool = false, phoneProblem: LocalizedText? = nil
    ) {
        self.selected = selected
        self.comment = comment
        self.editingComment = editingComment
        self.askingPhone = askingPhone
        self.phone = phone
        self.phoneEntered = phoneEntered
        self.phoneProblem = phoneProblem
    }

    public var level: Int { 5 - selected }
}

/// Back with the materials a 补正 asked for: the reference typed, then the 补正 found.
public struct CorrectionScreen: Sendable, Equatable {
    /// Why a reference was not accepted: a plain sentence of the kiosk's, and the server's message.
    public struct Problem: Sendable, Equatable {
        public var headline: LocalizedText
        public var message: LocalizedText

        public init(headline: LocalizedText, message: LocalizedText) {
            self.headline = headline
            self.message = message
        }
    }

    public enum Step: Sendable, Equatable {
        /// Typing the reference; `problem` after the server refused it.
        case entry(text: String, problem: Problem?)
        /// The 补正 the reference names; its item (at the 补正's version) is nil while loading.
        case found(KioskCorrectionView, item: CatalogItem?)
    }

    public var step: Step
    /// The home screen it was opened from.
    public var home: HomeScreen

    public init(step: Step = .entry(text: "", problem: nil), home: HomeScreen = HomeScreen()) {
        self.step = step
        self.home = home
    }
}

public enum Screen: Sendable, Equatable {
    case home(HomeScreen)
    case items(ItemsScreen)
    case item(ItemScreen)
    case idCard(IDCardScreen)
    /// 补正回来: a worker back with the missing materials, by the reference.
    case correction(CorrectionScreen)
    case ticket(confirmLeave: Bool)
    case session(SessionScreen)
    case result
    case rating(RatingScreen)
    case thanks(until: Date)

    public var name: String {
        switch self {
        case .home: "home"
        case .items: "items"
        case .item: "item"
        case .idCard: "id-card"
        case .correction: "correction"
        case .ticket: "ticket"
        case .session: "session"
        case .result: "result"
        case .rating: "rating"
        case .thanks: "thanks"
        }
    }
}

/// What the kiosk is waiting for the server to answer, so a key is not acted on twice.
public enum Busy: Sendable, Equatable {
    case takingTicket
    case leaving
    case uploading
    case rating
    /// Looking up a 补正's reference.
    case lookingUp

    var text: LocalizedText {
        switch self {
        case .lookingUp: UI.busyLookingUp
        case .takingTicket: UI.busyTaking
        case .leaving: UI.busyLeaving
        case .uploading: UI.busyUploading
        case .rating: UI.busyRating
        }
    }
}

/// Everything the kiosk screen shows, as plain data. Changed only by ``handle(_:at:)``.
public struct KioskState: Sendable, Equatable {
    public var settings: KioskSettings
    public var language: Language = .zh
    public var screen: Screen = .home(HomeScreen())
    public var width: Int = 80
    public var height: Int = 24
    public var now: Date
    public var lastInput: Date

    public var site: SiteView?
    public var siteRequestedAt: Date?
    public var siteLoadedAt: Date?
    public var categories: [WindowCore.Category] = []
    public var categoriesRequestedAt: Date?
    public var connection: ConnectionStatus = .connecting

    /// The person's ticket: live, or just finished (until rated or idle).
    public var ticket: TicketView?
    /// The ticket's item, for its name and the material names to upload as.
    public var ticketItem: CatalogItem?
    /// The session of the ticket, as last read (outcome, case number, rating).
    public var session: SessionView?
    public var materials: [MaterialView] = []

    public var notice: Notice?
    public var busy: Busy?

    /// A 补正's session read before its case was written: when it was last read, and how often,
    /// so the result screen reads it again for what is missing (a few times at most).
    public var correctionReadAt: Date?
    public var correctionReads = 0
    /// The call-back number left with a low rating, masked but for its last 4 digits, for the
    /// thank-you screen. Never the full number.
    public var callbackMasked: String?

    public init(settings: KioskSettings = KioskSettings(), now: Date) {
        self.settings = settings
        self.now = now
        self.lastInput = now
    }

    /// True while the ticket is waiting, offered or in session.
    public var hasLiveTicket: Bool {
        guard let ticket else { return false }
        return !ticket.state.isFinal
    }
}
