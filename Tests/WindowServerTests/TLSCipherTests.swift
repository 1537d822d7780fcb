import Foundation
import NIOSSL
import Testing

@testable import WindowServer

/// Issue 9, L6: TLS 1.2 with AEAD suites only.
@Suite("TLS cipher suites")
struct TLSCipherTests {
    @Test("L6: TLS 1.2 offers AEAD suites only: a client limited to a CBC-SHA1 suite fails the handshake, a GCM or ChaCha one succeeds")
    func tls12IsAEADOnly() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            func handshake(_ suite: NIOTLSCipher) async throws -> Bool {
                var tls = server.clientTLS
                tls.maximumTLSVersion = .tlsv12
                tls.cipherSuiteValues = [suite]
                let connection = try await RawTLSConnection.connect(port: server.port, tls: tls)
                defer { Task { await connection.close() } }
                return try await connection.handshake(within: .seconds(5))
            }
            for suite in [NIOTLSCipher.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, .TLS_RSA_WITH_AES_256_CBC_SHA] {
                let succeeded = try await handshake(suite)
                #expect(!succeeded, "TLS 1.2 with \(suite) succeeded")
            }
            for suite in [NIOTLSCipher.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256] {
                let succeeded = try await handshake(suite)
                #expect(succeeded, "TLS 1.2 with \(suite) failed")
            }
        }
    }
}
