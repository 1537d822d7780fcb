import Foundation
import WindowAPITypes

extension LiveMessage {
    /// The text frame: encoded once, however many connections it goes to.
    func json() -> String {
        (try? String(decoding: AppJSON.encoder.encode(self), as: UTF8.self)) ?? #"{"type":"error","data":{"code":"internal","message":"internal"}}"#
    }
}

extension LiveHub {
    func send(_ message: LiveMessage, to subscriber: Subscriber) {
        send(message.json(), to: subscriber)
    }

    func send(_ message: LiveMessage, toConnection id: UInt64) {
        send(message.json(), toConnection: id)
    }

    func send(_ message: LiveMessage, toKiosk kiosk: Int64) {
        send(message.json(), toKiosk: kiosk)
    }

    func sendToManagers(_ message: LiveMessage) {
        sendToManagers(message.json())
    }
}
