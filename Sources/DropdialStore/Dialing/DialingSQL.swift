import DropdialConfig

/// The dialer's status rules as SQL, shared by both engines (`DialerQueries`, `ProviderAttempts`,
/// `PostgresStore+Dialing`): one home for what a call and a batch become.
enum DialingSQL {
    /// A call's status once its attempt ends with a retry ahead, or is withdrawn: pending again,
    /// or paused or cancelled as its batch now is; a call no longer dialing keeps its status.
    static let statusAfterAttempt = """
        CASE WHEN status <> \(CallStatus.dialing.sql) THEN status
            ELSE CASE (SELECT status FROM batch WHERE id = call.batchId)
                WHEN \(BatchStatus.paused.sql) THEN \(CallStatus.paused.sql) WHEN \(BatchStatus.cancelled.sql) THEN \(CallStatus.cancelled.sql) ELSE \(CallStatus.pending.sql) END
            END
        """

    /// In an `UPDATE batch … WHERE`: the batch may complete, nothing of it being left to dial.
    static let batchMayComplete = """
        status IN \([BatchStatus.scheduled, .active].sqlList)
          AND NOT EXISTS (SELECT 1 FROM call WHERE batchId = batch.id AND status IN \([CallStatus.pending, .dialing, .paused].sqlList))
        """
}
