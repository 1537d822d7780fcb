import Crypto
import Foundation
import WindowFiles
import SwiftASN1
import X509

/// A local development CA and a server certificate for `localhost`, `127.0.0.1` and `::1`,
/// made once under `DATA/tls/` so that `windowd` starts over HTTPS with no setting.
/// Clients trust `DATA/tls/ca.pem`.
public struct DevelopmentCertificates: Sendable {
    public let directory: URL

    public var caCertificatePath: String { directory.appendingPathComponent("ca.pem").path }
    var caKeyPath: String { directory.appendingPathComponent("ca-key.pem").path }
    public var serverCertificatePath: String { directory.appendingPathComponent("server.pem").path }
    public var serverKeyPath: String { directory.appendingPathComponent("server-key.pem").path }

    /// Server certificates are re-issued this long before they expire.
    static let renewalMargin: TimeInterval = 30 * 86_400
    static let serverValidity: TimeInterval = 397 * 86_400
    static let caValidity: TimeInterval = 10 * 365 * 86_400

    public init(directory: URL) {
        self.directory = directory
    }

    public enum Outcome: Equatable, Sendable {
        case reused
        case issuedServerCertificate
        case createdAuthorityAndServerCertificate
    }

    /// Makes what is missing: the CA once, the server certificate when absent or near expiry.
    @discardableResult
    public func ensure(now: Date = Date()) throws -> Outcome {
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        var outcome = Outcome.reused
        let caKey: Certificate.PrivateKey
        let caCertificate: Certificate
        if files.fileExists(atPath: caCertificatePath), files.fileExists(atPath: caKeyPath) {
            caKey = try Certificate.PrivateKey(pemEncoded: String(contentsOfFile: caKeyPath, encoding: .utf8))
            caCertificate = try Certificate(pemEncoded: String(contentsOfFile: caCertificatePath, encoding: .utf8))
        } else {
            let key = P256.Signing.PrivateKey()
            caKey = Certificate.PrivateKey(key)
            caCertificate = try Self.makeAuthority(key: caKey, now: now)
            try Self.write(caKey.serializeAsPEM().pemString, to: caKeyPath, mode: 0o600)
            try Self.write(caCertificate.serializeAsPEM().pemString, to: caCertificatePath, mode: 0o644)
            outcome = .createdAuthorityAndServerCertificate
        }

        if outcome == .reused, let existing = try? Certificate(pemEncoded: String(contentsOfFile: serverCertificatePath, encoding: .utf8)),
            files.fileExists(atPath: serverKeyPath),
            existing.issuer == caCertificate.subject,
            existing.notValidAfter > now.addingTimeInterval(Self.renewalMargin)
        {
            return .reused
        }

        let serverKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let serverCertificate = try Self.makeServerCertificate(key: serverKey, authority: caCertificate, authorityKey: caKey, now: now)
        try Self.write(serverKey.serializeAsPEM().pemString, to: serverKeyPath, mode: 0o600)
        try Self.write(serverCertificate.serializeAsPEM().pemString, to: serverCertificatePath, mode: 0o644)
        return outcome == .reused ? .issuedServerCertificate : outcome
    }

    static func makeAuthority(key: Certificate.PrivateKey, now: Date) throws -> Certificate {
        let name = try DistinguishedName {
            OrganizationName("RemoteWindow")
            CommonName("RemoteWindow Development CA \(Int(now.timeIntervalSince1970))")
        }
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(caValidity),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            },
            issuerPrivateKey: key
        )
    }

    static func makeServerCertificate(
        key: Certificate.PrivateKey, authority: Certificate, authorityKey: Certificate.PrivateKey, now: Date
    ) throws -> Certificate {
        let subject = try DistinguishedName {
            OrganizationName("RemoteWindow")
            CommonName("localhost")
        }
        let authorityKeyID = try authority.extensions.subjectKeyIdentifier?.keyIdentifier
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(serverValidity),
            issuer: authority.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(hash: key.publicKey)
                AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
                SubjectAlternativeNames([
                    .dnsName("localhost"),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
                ])
            },
            issuerPrivateKey: authorityKey
        )
    }

    static func write(_ text: String, to path: String, mode: mode_t) throws {
        try PrivateFile.write(Data(text.utf8), to: path, mode: mode)
    }
}
