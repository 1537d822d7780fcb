import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import WindowServer

/// What the transport alone costs on this machine, with the libraries `windowd` may use: a bare
/// SwiftNIO server (no HTTP, no WebSocket, no application) that holds N idle connections and
/// echoes small messages, over swift-nio-ssl with `windowd`'s own TLS settings and, beside it,
/// over plain TCP. `windowbench load`'s figures are judged against it: memory per idle connection,
/// and server CPU per message exchanged.
///
///     swift run -c release windowbench floor --connections 10000
struct FloorBench {
    var connections = 10_000
    var exchanges = 100_000
    var concurrency = 64
    var messageBytes = 200

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next().flatMap({ Int($0) }), value > 0 else { throw BenchError("\(flag) needs a positive number") }
            switch flag {
            case "--connections": connections = value
            case "--exchanges": exchanges = value
            case "--concurrency": concurrency = value
            case "--bytes": messageBytes = value
            default: throw BenchError("unknown option \(flag)")
            }
        }
        concurrency = min(concurrency, connections)
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    func run() async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("windowbench-floor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificates = DevelopmentCertificates(directory: folder)
        try certificates.ensure()
        var client = TLSConfiguration.makeClientConfiguration()
        client.trustRoots = .file(certificates.caCertificatePath)
        let clientContext = try NIOSSLContext(configuration: client)

        let tcp = try await measure(tls: nil)
        let tls = try await measure(tls: (folder, clientContext))
        return "mode=floor summary " + String(format: "rss_per_idle_connection_kb tcp=%.1f tls=%.1f (swift-nio-ssl's own share: %.1f)", tcp, tls, tls - tcp)
    }

    /// Prints the figures of one transport; returns its memory per idle connection, in KiB.
    private func measure(tls: (folder: URL, context: NIOSSLContext)?) async throws -> Double {
        let port = Int.random(in: 20000...40000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["floor-server", "--port", String(port)] + (tls.map { ["--tls", $0.folder.path] } ?? [])
        try process.run()
        defer {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let message = ByteBuffer(repeating: UInt8(ascii: "x"), count: messageBytes)

        // Each connection: connect, handshake, one exchange, then idle until told to exchange more.
        let open: @Sendable () async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> = {
            try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls.context, serverHostname: "localhost"))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        }
        var opened: NIOAsyncChannel<ByteBuffer, ByteBuffer>?
        for _ in 0..<100 where opened == nil {
            opened = try? await open()
            if opened == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard let first = opened else { throw BenchError("the floor server did not listen on port \(port)") }
        try await first.channel.close()
        try await Task.sleep(for: .milliseconds(500))
        let rssBefore = ProcessFigures.rss(pid: process.processIdentifier, field: "VmRSS:")

        let ready = Counter()
        var orders: [AsyncStream<Int>.Continuation] = []
        var tasks: [Task<Int, any Error>] = []
        for index in 0..<connections {
            let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
            orders.append(continuation)
            tasks.append(Task {
                let channel = try await open()
                return try await channel.executeThenClose { inbound, outbound in
                    var iterator = inbound.makeAsyncIterator()
                    func exchange() async throws {
                        try await outbound.write(message)
                        var echoed = 0
                        while echoed < message.readableBytes {
                            guard let buffer = try await iterator.next() else { throw BenchError("the floor server closed a connection") }
                            echoed += buffer.readableBytes
                        }
                    }
                    try await exchange()
                    ready.value.add(1, ordering: .relaxed)
                    var done = 1
                    for await count in stream {
                        for _ in 0..<count { try await exchange() }
                        done += count
                    }
                    return done
                }
            })
            if index % 200 == 199 { try await Task.sleep(for: .milliseconds(100)) }
        }
        for _ in 0..<1200 where ready.value.load(ordering: .relaxed) < connections { try await Task.sleep(for: .milliseconds(100)) }
        try await Task.sleep(for: .seconds(3))
        let rssIdle = ProcessFigures.rss(pid: process.processIdentifier, field: "VmRSS:")
        let connected = ready.value.load(ordering: .relaxed)

        // Exchanges: `concurrency` connections, each back and forth; the server's CPU over them.
        let cpuBefore = ProcessFigures.cpuSeconds(pid: process.processIdentifier)
        let started = ContinuousClock.now
        for continuation in orders.prefix(concurrency) {
            continuation.yield(exchanges / concurrency)
            continuation.finish()
        }
        var exchanged = 0
        for task in tasks.prefix(concurrency) { exchanged += ((try? await task.value) ?? 1) - 1 }  // less each one's first exchange, before the clock
        let elapsed = ContinuousClock.now - started
        let cpu = ProcessFigures.cpuSeconds(pid: process.processIdentifier) - cpuBefore
        for continuation in orders.dropFirst(concurrency) { continuation.finish() }
        for task in tasks.dropFirst(concurrency) { _ = try? await task.value }
        let perConnection = connected > 0 ? Double(rssIdle - rssBefore) / Double(connected) : 0
        print(
            "mode=floor transport=\(tls == nil ? "tcp" : "tls") connections=\(connected) rss_before_mb=\(rssBefore / 1024) rss_idle_mb=\(rssIdle / 1024) "
            + String(format: "rss_per_idle_connection_kb=%.1f ", perConnection)
            + "exchanges=\(exchanged) bytes=\(messageBytes) concurrency=\(concurrency) "
            + String(format: "exchanges_per_s=%.0f server_cpu_us_per_exchange=%.1f", Double(exchanged) / elapsed.seconds, cpu * 1e6 / Double(max(exchanged, 1))))
        return perConnection
    }

    final class Counter: Sendable {
        let value = Atomic(0)
    }
}

/// The floor's server: `windowbench floor-server --port P [--tls FOLDER]`, an echo over TCP, or
/// over TLS with the development certificate in FOLDER and `windowd`'s TLS settings.
enum FloorServer {
    static func run(arguments: [String]) async throws {
        var port = 0
        var folder: String?
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            switch flag {
            case "--port": port = Int(iterator.next() ?? "") ?? 0
            case "--tls": folder = iterator.next()
            default: throw FloorBench.BenchError("unknown option \(flag)")
            }
        }
        let context = try folder.map { folder in
            let certificates = DevelopmentCertificates(directory: URL(fileURLWithPath: folder))
            return try NIOSSLContext(configuration: TLSSetup.serverConfiguration(certificatePath: certificates.serverCertificatePath, keyPath: certificates.serverKeyPath))
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 4096)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try channel.pipeline.syncOperations.addHandler(Echo())
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        try await channel.closeFuture.get()
    }

    final class Echo: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(data, promise: nil)
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
