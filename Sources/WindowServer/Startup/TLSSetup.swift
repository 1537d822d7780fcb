import Foundation
import Logging
import NIOSSL

public enum TLSSetup {
    struct ConfigurationError: Error, CustomStringConvertible {
        var description: String
    }

    /// The server's TLS configuration: the given certificate and key, or the development ones.
    static func configuration(settings: ServerSettings, logger: Logger) throws -> TLSConfiguration {
        let certificatePath: String
        let keyPath: String
        switch (settings.certificatePath, settings.keyPath) {
        case (let cert?, let key?):
            certificatePath = cert
            keyPath = key
        case (nil, nil):
            let development = DevelopmentCertificates(directory: settings.tlsDirectory)
            let outcome = try development.ensure()
            if outcome != .reused {
                logger.notice("made development certificate", metadata: ["ca": "\(development.caCertificatePath)", "outcome": "\(outcome)"])
            }
            certificatePath = development.serverCertificatePath
            keyPath = development.serverKeyPath
        default:
            throw ConfigurationError(description: "--cert and --key go together: give both or neither")
        }
        return try serverConfiguration(certificatePath: certificatePath, keyPath: keyPath)
    }

    /// `windowd`'s TLS settings for a certificate chain and its key in PEM files (also the
    /// transport floor's, in `windowbench floor`).
    public static func serverConfiguration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ConfigurationError(description: "cannot read TLS certificate \(certificatePath) or key \(keyPath): \(error)")
        }
        guard !chain.isEmpty else { throw ConfigurationError(description: "no certificate in \(certificatePath)") }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = aeadCipherSuites
        return configuration
    }

    /// TLS 1.2 suites offered: ECDHE with AEAD only (no CBC, no SHA-1 MACs, no static RSA key exchange).
    /// TLS 1.3's suites are AEAD by definition and are not set here.
    static let aeadCipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]
}
