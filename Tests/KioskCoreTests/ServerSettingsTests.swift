import Foundation
import Testing
import WindowClient
import WindowCore

@testable import KioskCore

@Suite("numbers from the server")
struct ServerSettingsTests {
    @Test("the site's elderly age and kiosk grace replace the built-in defaults")
    func adoptsServerNumbers() {
        var site = Fixture.site()
        site.kioskGraceSeconds = 300
        site.elderlyAge = 80
        let driver = Driver(site: site)
        #expect(driver.state.settings.kioskGrace == 300)
        #expect(driver.state.settings.elderlyAge == 80)
    }

    @Test("an older server that sends no numbers leaves the defaults")
    func keepsDefaults() {
        let driver = Driver()
        #expect(driver.state.settings.kioskGrace == RoutingPolicy().kioskGrace)
        #expect(driver.state.settings.elderlyAge == RoutingPolicy().elderlyAge)
    }
}
