import Foundation

extension QueueState {
    // MARK: - Materials and ratings. Like every command: validate, emit records (applying them).

    /// The worker hands over a material: the file is already stored; this records it.
    public mutating func uploadMaterial(
        _ upload: MaterialUpload, session id: SessionID, kiosk: KioskID, at: Date, actor: String
    ) throws(QueueError) -> (Material, Decision) {
        guard let session = sessions[id], session.kiosk == kiosk else { throw .sessionNotFound(id) }
        guard materials.values.count(where: { $0.session == id }) < Session.maxMaterials else {
            throw QueueError(.conflict, code: .tooManyMaterials, message: "本次会话材料已达上限 / this session has the most materials allowed")
        }
        let material = Material(id: nextMaterialID, session: id, upload: upload, at: at)
        var out = Decision()
        emit(.materialUploaded(material: material), at: at, actor: actor, into: &out)
        return (material, out)
    }

    /// The clerk accepts a material, or rejects it with a reason.
    public mutating func reviewMaterial(
        _ id: MaterialID, session sessionID: SessionID, status: MaterialStatus, reason: String?, by clerk: ClerkID, at: Date, actor: String
    ) throws(QueueError) -> (Material, Decision) {
        guard let session = sessions[sessionID] else { throw .sessionEnded(sessionID) }
        guard session.clerk == clerk else { throw .sessionNotFound(sessionID) }  // as if missing: no telling which exist
        guard let material = materials[id], material.session == sessionID else {
            throw QueueError(.notFound, code: .notFound, message: "材料 \(id) 不存在 / material \(id) not found")
        }
        guard status != .pending else {
            throw QueueError(.invalid, code: .invalidReview, message: "审核结果应为 accepted 或 rejected / review must be accepted or rejected")
        }
        var out = Decision()
        emit(.materialReviewed(material: material.id, session: sessionID, status: status, reason: reason, clerk: clerk), at: at, actor: actor, into: &out)
        return (materials[id]!, out)
    }

    /// 好差评 after the session ended, once. The session (ended, so no longer live) comes from the store.
    public mutating func rate(
        _ session: Session, alreadyRated: Bool, kiosk: KioskID, level: Int, comment: String?, at: Date, actor: String
    ) throws(QueueError) -> (Rating, Decision) {
        guard session.kiosk == kiosk else { throw .sessionNotFound(session.id) }
        guard session.state == .ended, sessions[session.id] == nil else {
            throw QueueError(.conflict, code: .sessionNotEnded, message: "请在办理结束后评价 / rate after the session has ended")
        }
        guard !alreadyRated else {
            throw QueueError(.conflict, code: .alreadyRated, message: "本次服务已评价 / this session has already been rated")
        }
        guard (1...5).contains(level) else {
            throw QueueError(.invalid, code: .invalidRating, message: "评价等级为1–5 / rating level is 1 (very dissatisfied) to 5 (very satisfied)")
        }
        let rating = Rating(session: session.id, level: level, comment: comment, ratedAt: at)
        var out = Decision()
        emit(.sessionRated(rating: rating), at: at, actor: actor, into: &out)
        return (rating, out)
    }

    /// After a restart on a store whose materials were numbered before they were logged.
    public mutating func reserveMaterialIDs(through id: MaterialID) {
        nextMaterialID = max(nextMaterialID, id + 1)
    }

    /// Materials of a live session, oldest first.
    public func materials(of session: SessionID) -> [Material] {
        materials.values.filter { $0.session == session }.sorted { $0.id < $1.id }
    }
}

extension QueueError {
    public static func sessionEnded(_ id: SessionID) -> QueueError {
        QueueError(.conflict, code: .sessionEnded, message: "会话已结束 / the session has ended")
    }
}
