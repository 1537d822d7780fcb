import Foundation
import Hummingbird
import WindowAPITypes

/// Managers: the national holiday schedule of a year (国务院办公厅 节假日安排), shipped with the server
/// in `Resources/calendar/cn-YEAR.json`, to fill a site's holidays and adjusted working days.
struct CalendarController {
    /// The shipped file: holidays grouped by festival, and the adjusted working days.
    struct ShippedFile: Decodable {
        struct Festival: Decodable {
            var name: String
            var dates: [String]
        }

        var source: String
        var year: Int
        var holidays: [Festival]
        var adjustedWorkdays: [String]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/v1/calendar", context: ManagerContext.self).get("/{year}", use: show)
    }

    func show(_ request: Request, context: ManagerContext) async throws -> CalendarView {
        let year = try context.parameters.require("year", as: Int.self)
        guard let calendar = try Self.calendar(year: year) else {
            throw APIError(
                .notFound, code: .notFound,
                message: "没有\(year)年的节假日安排（通常于前一年11–12月公布） / no holiday schedule for \(year) (usually published in November or December of the year before)")
        }
        return calendar
    }

    /// The shipped schedule of `year`, nil when the server has none.
    static func calendar(year: Int) throws -> CalendarView? {
        guard (2000...2100).contains(year),
            let url = Bundle.module.url(forResource: "cn-\(year)", withExtension: "json", subdirectory: "Resources/calendar")
        else { return nil }
        let file = try JSONDecoder().decode(ShippedFile.self, from: Data(contentsOf: url))
        guard file.year == year else { return nil }
        return CalendarView(
            year: year, source: file.source, holidays: Set(file.holidays.flatMap(\.dates)).sorted(), adjustedWorkdays: Set(file.adjustedWorkdays).sorted())
    }
}

extension CalendarView: ResponseEncodable {}
