import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import WindowServer

@Suite("live hub")
struct LiveHubTests {
    @Test("a connection that falls behind is cut off (1008) after a bounded backlog; the sender never waits, others go on")
    func slowClientIsCutOff() throws {
        let hub = LiveHub(logger: Logger(label: "test"))
        let stalled = StalledSocket()
        let slowChannel = try Self.connected(EmbeddedChannel(handler: stalled))
        let fastChannel = try Self.connected(EmbeddedChannel())
        let slow = hub.connect(.clerk(1), sink: ChannelLiveSink(channel: slowChannel))
        let fast = hub.connect(.clerk(2), sink: ChannelLiveSink(channel: fastChannel))
        #expect(slow.first && fast.first)
        for index in 0..<(LiveHub.bufferLimit * 3) {
            hub.send("m\(index)", to: .clerk(1))
        }
        // What the socket was handed: the backlog, then the close that says why.
        let texts = stalled.frames.filter { $0.opcode == .text }
        #expect(texts.count == LiveHub.bufferLimit)
        #expect(texts.first.map { String(buffer: $0.data) } == "m0")
        let close = try #require(stalled.frames.last)
        #expect(close.opcode == .connectionClose)
        var payload = close.data
        #expect(payload.readWebSocketErrorCode() == .policyViolation)
        // The peer never answers: the connection ends at the close timeout.
        slowChannel.embeddedEventLoop.advanceTime(by: ChannelLiveSink.closeTimeout)
        #expect(!slowChannel.isActive)

        hub.send("hello", to: .clerk(2))
        let frame = try #require(try fastChannel.readOutbound(as: WebSocketFrame.self))
        #expect(frame.opcode == .text && String(buffer: frame.data) == "hello")
    }

    @Test("presence begins with the first connection of a subscriber and ends with the last")
    func presence() throws {
        let hub = LiveHub(logger: Logger(label: "test"))
        let a = hub.connect(.kiosk(7), sink: ChannelLiveSink(channel: try Self.connected(EmbeddedChannel())))
        let b = hub.connect(.kiosk(7), sink: ChannelLiveSink(channel: try Self.connected(EmbeddedChannel())))
        #expect(a.first && !b.first)
        #expect(hub.isKioskConnected(7) && !hub.isKioskConnected(8))
        #expect(!hub.disconnect(a.id))
        #expect(hub.isConnected(.kiosk(7)))
        #expect(hub.disconnect(b.id))
        #expect(!hub.isConnected(.kiosk(7)))
    }

    static func connected(_ channel: EmbeddedChannel) throws -> EmbeddedChannel {
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return channel
    }
}

/// A socket whose peer stopped reading: it takes every write and finishes none.
final class StalledSocket: ChannelOutboundHandler {
    typealias OutboundIn = WebSocketFrame
    private(set) var frames: [WebSocketFrame] = []
    private var pending: [EventLoopPromise<Void>?] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        frames.append(unwrapOutboundIn(data))
        pending.append(promise)
    }
}
