import Foundation
import WindowAPITypes

/// Messages on the live connection: `{"type": …, "data": …}`.
struct LiveMessage<Payload: Encodable & Sendable>: Encodable, Sendable {
    var type: String
    var data: Payload

    func json() -> String {
        (try? String(decoding: AppJSON.encoder.encode(self), as: UTF8.self)) ?? #"{"type":"error"}"#
    }
}
