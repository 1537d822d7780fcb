import Foundation
import Hummingbird
import Logging
import NIOCore

/// The request context: the one place the caller's identity will live.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Responses keep `/` unescaped, so bilingual messages read as written.
    public var responseEncoder: JSONEncoder { AppJSON.encoder }

    /// JSON bodies are small; uploads get their own, larger limit where they are read.
    public var maxUploadSize: Int { 256 * 1024 }
}

enum AppJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
