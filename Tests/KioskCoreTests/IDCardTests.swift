import Foundation
import Testing
import WindowCore

@testable import KioskCore

@Suite("ID check (GB 11643) and the lanes it offers")
struct IDCardTests {
    let today = Fixture.now  // 2026-11-21

    @Test("a valid number is read, with its age", arguments: [
        ("11010519491231002", 76),
        ("31010119900307123", 36),
        ("44030420100101001", 16),
    ])
    func valid(first17: String, age: Int) throws {
        let number = ResidentID.withCheckDigit(first17)
        let check = try IDCardCheck.check(number, today: today).get()
        #expect(check.age == age)
        #expect(check.idNumber.masked == ResidentID.mask(number))
        #expect(check.idNumber.revealForServer == number)
    }

    @Test("a lower-case x check character is accepted")
    func lowercaseX() throws {
        // Find a first-17 whose check character is X.
        var first17 = "11010119800101000"
        for sequence in 0..<1000 {
            first17 = "110101198001010" + String(format: "%02d", sequence % 100)
            if ResidentID.withCheckDigit(first17).hasSuffix("X") { break }
        }
        let number = ResidentID.withCheckDigit(first17)
        #expect(number.hasSuffix("X"))
        let check = try IDCardCheck.check(number.lowercased(), today: today).get()
        #expect(check.idNumber.revealForServer == number)
    }

    @Test("invalid numbers are refused with the reason", arguments: [
        ("1101051949123100", ResidentID.Problem.length),
        ("1101051949123100211", .length),
        ("11010519491231A02X", .characters),
        ("110105194912310Y29", .characters),
        ("110105194902300021", .birthDate),  // 30 February
        ("110105203001010021", .birthDate),  // born in the future
        ("110105189912310021", .birthDate),  // before 1900
    ])
    func invalid(number: String, problem: ResidentID.Problem) {
        #expect(throws: problem) { try IDCardCheck.check(number, today: today).get() }
    }

    @Test("a wrong check digit is refused")
    func wrongCheckDigit() {
        let valid = Fixture.elderlyID
        let wrong = String(valid.dropLast()) + (valid.last == "0" ? "1" : "0")
        #expect(throws: ResidentID.Problem.checkDigit) { try IDCardCheck.check(wrong, today: today).get() }
    }

    @Test("the elderly lane is offered from the 60th birthday on, not the day before")
    func elderlyBoundary() throws {
        // Born 1966-11-21: 60 today. Born 1966-11-22: 59 until tomorrow.
        let sixty = try IDCardCheck.check(ResidentID.withCheckDigit("11010519661121001"), today: today).get()
        #expect(sixty.age == 60)
        #expect(sixty.lanes == [.normal, .elderly, .disabled])
        #expect(sixty.suggestedLane == .elderly)
        let fiftyNine = try IDCardCheck.check(ResidentID.withCheckDigit("11010519661122001"), today: today).get()
        #expect(fiftyNine.age == 59)
        #expect(fiftyNine.lanes == [.normal, .disabled])
        #expect(fiftyNine.suggestedLane == .normal)
    }

    @Test("a declared disability is always offered, and maps to the server's reason")
    func disabledLane() throws {
        let young = try IDCardCheck.check(Fixture.youngID, today: today).get()
        #expect(young.lanes.contains(.disabled))
        #expect(Lane.disabled.priorityReason == .disabled)
        #expect(Lane.elderly.priorityReason == .elderly)
        #expect(Lane.normal.priorityReason == nil)
    }

    @Test("the minimum age follows the setting")
    func configuredAge() throws {
        let check = try IDCardCheck.check(Fixture.youngID, today: today, elderlyAge: 30).get()
        #expect(check.lanes.contains(.elderly))
    }

    @Test("the secret number never prints in full: description, debug, reflection, dump")
    func secretNeverPrints() throws {
        let number = Fixture.elderlyID
        let secret = try IDCardCheck.check(number, today: today).get().idNumber
        var dumped = ""
        dump(secret, to: &dumped)
        for text in ["\(secret)", String(describing: secret), String(reflecting: secret), dumped] {
            #expect(!text.contains(number))
            #expect(text.contains(secret.masked))
        }
        // Nor when it sits inside an effect or a whole state.
        let effect = KioskEffect.takeTicket(item: "JZZ-001", idNumber: secret, priority: .elderly)
        #expect(!String(describing: effect).contains(number))
        var driver = Driver()
        driver.checkID()
        #expect(!String(reflecting: driver.state).contains(number))
    }
}
