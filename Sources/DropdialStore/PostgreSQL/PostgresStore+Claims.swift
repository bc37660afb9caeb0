import Foundation

extension PostgresStore {
    /// The node's heartbeat is refreshed in the same transaction, so a claim made before the
    /// dialer's first heartbeat is not taken for a silent node's. Claims are taken over by the
    /// lease the attempts are (`takeOverSilentNodes`), on the server's clock.
    public func holdClaim(_ key: String, leaseSeconds: Double) throws -> Bool {
        try withConnection { c in
            try c.transaction {
                try c.query("""
                    INSERT INTO node (name, heartbeatAt) VALUES ($1, now())
                    ON CONFLICT (name) DO UPDATE SET heartbeatAt = excluded.heartbeatAt
                    """, [node])
                let r = try c.query("""
                    INSERT INTO fileClaim AS f (claimKey, node, claimedAt) VALUES ($1, $2, now())
                    ON CONFLICT (claimKey) DO UPDATE SET node = excluded.node, claimedAt = excluded.claimedAt
                    WHERE f.node = excluded.node
                       OR (f.node IS NOT NULL AND NOT EXISTS (
                           SELECT 1 FROM node n WHERE n.name = f.node
                               AND n.heartbeatAt > now() - make_interval(secs => $3::double precision)))
                    RETURNING 1
                    """, [key, node, String(leaseSeconds)])
                return r.count == 1
            }
        }
    }

    public func endClaim(_ key: String) throws {
        try withConnection { c in
            try c.query("UPDATE fileClaim SET node = NULL WHERE claimKey = $1 AND node = $2", [key, node])
        }
    }
}
