import GRDB

extension Store {
    /// Brings the search index up to date, `chunk` calls per write transaction so other writers
    /// (imports, the dialer) wait at most one chunk; `shouldStop` is asked between chunks.
    /// Returns how many calls were indexed.
    @discardableResult
    public func indexForSearch(chunk: Int = 5000, shouldStop: () -> Bool = { false }) throws -> Int {
        var total = 0
        while !shouldStop() {
            let n = try pool.write { db in try CallSearch.indexNext(db, chunk: chunk) }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// True when every call is in the search index.
    public func searchIndexIsCurrent() throws -> Bool {
        try pool.read { db in try CallSearch.isCurrent(db) }
    }
}
