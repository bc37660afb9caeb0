import Foundation

/// A bounded FIFO between one producer thread and one consumer thread (NSCondition based).
/// `put` blocks while `depth` items wait; `take` blocks while none does. The producer ends the
/// stream with `finish` (optionally with an error the consumer rethrows after the last item);
/// the consumer can `abort`, which makes the producer's next `put` throw `Aborted`.
public final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element?] = []
    private var head = 0
    private let depth: Int
    private var finished = false
    private var failure: (any Error)?
    private var aborted = false
    /// Items the consumer is done with, released by the producer (see `giveBack`).
    private var returned: [Element] = []

    public struct Aborted: Error {}

    public init(depth: Int) { self.depth = depth }

    public func put(_ item: Element) throws {
        var done: [Element] = []
        condition.lock()
        defer {
            condition.unlock()
            done.removeAll()  // deallocated here, on the producer's thread, outside the lock
        }
        swap(&done, &returned)
        while items.count - head >= depth && !aborted { condition.wait() }
        if aborted { throw Aborted() }
        if head > 0 && head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        items.append(item)
        condition.broadcast()
    }

    public func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next item; nil once the producer finished cleanly; the producer's error after the last item.
    public func take() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished { condition.wait() }
        if head < items.count {
            let item = items[head]
            items[head] = nil
            head += 1
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// Hands a consumed item back so the producer's thread frees it: the consumer (the thread
    /// inside the write transaction) is the busier one, and glibc frees memory fastest on the
    /// thread that allocated it.
    public func giveBack(_ item: Element) {
        condition.lock()
        returned.append(item)
        condition.unlock()
    }

    /// Makes the producer stop at its next `put`.
    public func abort() {
        condition.lock()
        aborted = true
        condition.broadcast()
        condition.unlock()
    }

    public func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
