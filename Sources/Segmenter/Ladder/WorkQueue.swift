import Foundation

/// A bounded first-in first-out queue between one producing thread and one consuming thread
/// (the decoder and one rung's encoder), so the producer can run ahead only by `capacity` items
/// and memory stays flat however long the input.
///
/// Items cross threads: every push is a ``HandOff`` (the producer keeps no reference).
final class WorkQueue<Item>: @unchecked Sendable {
    // All guarded by `condition`.
    private var items = FIFO<HandOff<Item>>()
    private var finished = false
    private var abandoned = false
    private let condition = NSCondition()
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Appends `item`, waiting while the queue is full. False when the consumer abandoned the
    /// queue (it failed): the item is dropped and the producer should stop.
    func push(_ item: HandOff<Item>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity, !abandoned { condition.wait() }
        guard !abandoned else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, waiting while the queue is empty; nil once it is empty and `finish`ed (or abandoned).
    func pop() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty, !finished, !abandoned { condition.wait() }
        guard !abandoned, let item = items.popFirst() else { return nil }
        condition.broadcast()
        return item.value
    }

    /// True once either side abandoned the queue.
    var isAbandoned: Bool {
        condition.lock()
        defer { condition.unlock() }
        return abandoned
    }

    /// The producer's end: `pop` drains what is queued, then returns nil.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Either side gives up: queued items are dropped, `push` returns false, `pop` nil.
    func abandon() {
        condition.lock()
        abandoned = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
