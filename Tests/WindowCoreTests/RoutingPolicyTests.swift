import Foundation
import Testing
import WindowCore

@Suite("routing policy file")
struct RoutingPolicyTests {
    @Test("numbers left out keep their defaults")
    func partial() throws {
        let policy = try JSONDecoder().decode(RoutingPolicy.self, from: Data(#"{"offerTimeout": 45, "elderlyAge": 65}"#.utf8))
        #expect(policy.offerTimeout == 45)
        #expect(policy.elderlyAge == 65)
        #expect(policy.kioskGrace == RoutingPolicy().kioskGrace)
        #expect(policy.maxMissedOffers == RoutingPolicy().maxMissedOffers)
    }

    @Test("nonsense is refused, naming the number", arguments: [
        #"{"offerTimeout": 0}"#, #"{"maxMissedOffers": 0}"#, #"{"handlingTimeWeight": 2}"#, #"{"elderlyAge": 12}"#,
        #"{"kioskGrace": -1}"#, #"{"agingBound": "long"}"#,
    ])
    func refused(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RoutingPolicy.self, from: Data(json.utf8)) }
    }

    @Test("a policy round-trips through JSON")
    func roundTrip() throws {
        var policy = RoutingPolicy()
        policy.wrapUp = 90
        let again = try JSONDecoder().decode(RoutingPolicy.self, from: JSONEncoder().encode(policy))
        #expect(again == policy)
    }
}
