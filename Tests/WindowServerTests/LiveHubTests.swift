import Foundation
import Logging
import Testing

@testable import WindowServer

@Suite("live hub")
struct LiveHubTests {
    @Test("a connection that falls behind is cut off after a bounded backlog; the sender never waits")
    func slowClientIsCutOff() async {
        let hub = LiveHub(logger: Logger(label: "test"))
        let slow = hub.connect(.clerk(1))
        let fast = hub.connect(.clerk(2))
        #expect(slow.first && fast.first)
        for index in 0..<(LiveHub.bufferLimit * 3) {
            hub.send("m\(index)", to: .clerk(1))
        }
        var received = 0
        for await _ in slow.stream { received += 1 }  // ends: the hub finished the stream
        #expect(received == LiveHub.bufferLimit)
        // Others are not affected.
        hub.send("hello", to: .clerk(2))
        var iterator = fast.stream.makeAsyncIterator()
        #expect(await iterator.next() == "hello")
    }

    @Test("presence begins with the first connection of a subscriber and ends with the last")
    func presence() {
        let hub = LiveHub(logger: Logger(label: "test"))
        let a = hub.connect(.kiosk(7))
        let b = hub.connect(.kiosk(7))
        #expect(a.first && !b.first)
        #expect(hub.isKioskConnected(7) && !hub.isKioskConnected(8))
        #expect(!hub.disconnect(a.id))
        #expect(hub.isConnected(.kiosk(7)))
        #expect(hub.disconnect(b.id))
        #expect(!hub.isConnected(.kiosk(7)))
    }
}
