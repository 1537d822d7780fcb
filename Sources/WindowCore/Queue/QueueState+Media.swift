import Foundation

extension QueueState {
    // MARK: - The call's media

    /// A side's video page reported its connection state; only a change is an event.
    public mutating func reportMedia(
        session id: SessionID, participant: Participant, state media: MediaState, at: Date, actor: String
    ) throws(QueueError) -> Decision {
        guard let session = sessions[id] else { throw .sessionNotFound(id) }
        var out = Decision()
        let current = participant == .kiosk ? session.kioskMedia : session.clerkMedia
        guard current != media else { return out }
        emit(.mediaChanged(session: id, participant: participant, state: media), at: at, actor: actor, into: &out)
        return out
    }

    /// The worker answered the camera notice; leaving ends the session, and the ticket with it.
    public mutating func answerConsent(session id: SessionID, kiosk: KioskID, accepted: Bool, at: Date, actor: String) throws(QueueError) -> Decision {
        // Another kiosk's session is answered as a missing one.
        guard let session = sessions[id], session.kiosk == kiosk else { throw .sessionNotFound(id) }
        guard session.consent == nil else {
            if session.consent == accepted { return Decision() }
            throw QueueError(.conflict, code: .consentAnswered, message: "已就摄像头提示作答 / the camera notice was already answered")
        }
        var out = Decision()
        emit(.consentAnswered(session: id, accepted: accepted), at: at, actor: actor, into: &out)
        if !accepted {
            emit(.sessionEnded(session: id, outcome: .dropped, wrapUpUntil: at.addingTimeInterval(policy.wrapUp)), at: at, actor: actor, into: &out)
            dispatch(at: at, into: &out)
        }
        return out
    }
}
