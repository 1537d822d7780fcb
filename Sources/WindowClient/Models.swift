import Foundation
import WindowCore
@_exported import WindowAPITypes
@_exported import WindowFiles

enum ClientJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = parseDate(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return decoder
    }()

    /// ISO 8601 with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

extension JSONEncoder {
    /// The encoder for `--json` output and request bodies: ISO 8601 dates, sorted keys.
    public static var windowClient: JSONEncoder { ClientJSON.encoder }
}

extension JSONDecoder {
    /// Reads the API's JSON (ISO 8601 dates).
    public static var windowClient: JSONDecoder { ClientJSON.decoder }
}
