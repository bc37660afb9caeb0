import DropdialStore
import Foundation
import HeapModule

/// The simulation's pending calls: a min-heap on (next attempt time, call id), the due index's
/// order, over an array of calls whose zone lists are resolved once per distinct list.
struct DueQueue {
    private var calls: [DueCall] = []
    private var zoneOf: [Int32] = []
    private var zoneLists: [[TimeZone]] = []
    private var zoneCache = ZoneCache()
    private var zoneIndex: [String: Int32] = [:]
    private var heap = Heap<Entry>()

    struct Entry: Comparable {
        /// Unix seconds; fractional when a rate limit spaces the starts.
        var time: Double
        var callId: Int64
        var index: Int32

        static func < (a: Entry, b: Entry) -> Bool { (a.time, a.callId) < (b.time, b.callId) }
        static func == (a: Entry, b: Entry) -> Bool { a.time == b.time && a.callId == b.callId }
    }

    /// Adds a call (not yet scheduled); returns its index.
    mutating func add(_ call: DueCall) -> Int {
        let z: Int32
        if let hit = zoneIndex[call.zones] {
            z = hit
        } else {
            z = Int32(zoneLists.count)
            zoneLists.append(zoneCache.zones(call.zones))
            zoneIndex[call.zones] = z
        }
        calls.append(call)
        zoneOf.append(z)
        return calls.count - 1
    }

    func zones(_ i: Int) -> [TimeZone] { zoneLists[Int(zoneOf[i])] }

    /// Queues call `i` for unix second `time`.
    mutating func schedule(_ i: Int, at time: Int64) {
        schedule(i, at: Double(time))
    }

    /// Queues call `i` for the instant `time` (Unix seconds).
    mutating func schedule(_ i: Int, at time: Double) {
        heap.insert(Entry(time: time, callId: calls[i].id, index: Int32(i)))
    }

    /// The earliest queued time and its call's index.
    var earliest: (time: Double, index: Int)? {
        heap.min.map { ($0.time, Int($0.index)) }
    }

    mutating func removeEarliest() { _ = heap.removeMin() }

    /// Call `i` (its attempt count is updated as the simulation dials it).
    subscript(_ i: Int) -> DueCall {
        get { calls[i] }
        set { calls[i] = newValue }
    }
}
