import Foundation
import NIOSSL

/// Where the server is and which CA to trust for it. Only HTTPS, and only the configured CA:
/// there is deliberately no way to turn certificate verification off.
public struct ServerEndpoint: Sendable, Equatable {
    /// `https://host:port`, without a trailing slash.
    public let baseURL: String
    public let host: String
    public let port: Int
    /// The trusted CA certificate(s), PEM.
    public let caPEM: String

    public init(url: String, caPEM: String) throws(WindowClientError) {
        var text = url.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw .invalidInput(code: "invalid_url", "服务器地址无效 / invalid server address: \(url) (expected https://host:port)")
        }
        guard scheme == "https" else {
            throw .invalidInput(code: "invalid_url", "服务器地址须为 https:// / the server address must be https:// (got \(scheme)://)")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            throw .invalidInput(code: "invalid_url", "服务器地址只含主机和端口 / give only https://host:port, without a path")
        }
        let port = components.port ?? 443
        guard (1...65_535).contains(port) else {
            throw .invalidInput(code: "invalid_url", "端口无效 / invalid port in \(url)")
        }
        _ = try Self.certificates(caPEM)
        self.host = host
        self.port = port
        self.baseURL = "https://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.caPEM = caPEM
    }

    /// Reads a CA file; a missing, unreadable or non-certificate file is refused with a clear message.
    public static func readCA(path: String) throws(WindowClientError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidInput(code: "invalid_ca", "无法读取CA证书文件 / cannot read the CA file: \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalidInput(code: "invalid_ca", "CA证书文件不是PEM格式 / the CA file is not PEM: \(path)")
        }
        _ = try certificates(text)
        return text
    }

    static func certificates(_ pem: String) throws(WindowClientError) -> [NIOSSLCertificate] {
        guard pem.contains("-----BEGIN CERTIFICATE-----"),
            let certificates = try? NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)), !certificates.isEmpty
        else {
            throw .invalidInput(code: "invalid_ca", "CA证书无效（需PEM格式证书） / the CA is not a PEM certificate")
        }
        return certificates
    }

    /// Client TLS that trusts only this endpoint's CA, with full verification (chain and host name).
    public func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        // The PEM was parsed in init; an empty list would trust nothing, never everything.
        tls.trustRoots = .certificates((try? Self.certificates(caPEM)) ?? [])
        tls.additionalTrustRoots = []
        tls.certificateVerification = .fullVerification
        return tls
    }

    /// `wss://host:port/api/v1/live`.
    public var liveURL: String {
        "wss://" + baseURL.dropFirst("https://".count) + "/api/v1/live"
    }
}
