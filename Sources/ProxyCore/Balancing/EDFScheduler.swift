/// Earliest-deadline-first scheduler, Envoy's weighted round robin engine.
///
/// Each entry's next deadline is `now + 1/weight`; a pick takes the earliest deadline (ties in
/// insertion order), advances `now` to it and re-inserts the entry with its current weight.
/// Entries are small integers (positions); the heap lives in one array.
public struct EDFScheduler: Sendable {
    struct Entry: Sendable {
        var deadline: Double
        var order: UInt64
        var item: Int32
    }

    private var heap: [Entry] = []
    private var now: Double = 0
    private var nextOrder: UInt64 = 0

    public init() {}

    /// Builds a schedule over `items` and then advances it `prepicks` picks so that proxies
    /// started together do not all begin with the same endpoint (Envoy seeds this randomly).
    public init(items: [Int], weight: (Int) -> Double, prepicks: Int = 0) {
        heap.reserveCapacity(items.count)
        for item in items { add(item, weight: weight(item)) }
        for _ in 0..<prepicks { _ = pickAndAdd(weight: weight) }
    }

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }

    public mutating func add(_ item: Int, weight: Double) {
        let entry = Entry(deadline: now + 1.0 / max(weight, .leastNonzeroMagnitude),
                          order: nextOrder, item: Int32(truncatingIfNeeded: item))
        nextOrder &+= 1
        heap.append(entry)
        siftUp(heap.count - 1)
    }

    /// Picks the earliest deadline and re-adds it with `weight(item)` (re-evaluated now, which
    /// is how least-request folds in active request counts).
    public mutating func pickAndAdd(weight: (Int) -> Double) -> Int? {
        guard let top = heap.first else { return nil }
        now = top.deadline
        let item = Int(top.item)
        heap[0].deadline = now + 1.0 / max(weight(item), .leastNonzeroMagnitude)
        heap[0].order = nextOrder
        nextOrder &+= 1
        siftDown(0)
        return item
    }

    /// The item the next pick would return, without changing state.
    public func peek() -> Int? { heap.first.map { Int($0.item) } }

    @inline(__always) private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline < b.deadline || (a.deadline == b.deadline && a.order < b.order)
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var best = left
            if left + 1 < count && Self.before(heap[left + 1], heap[left]) { best = left + 1 }
            guard Self.before(heap[best], heap[parent]) else { return }
            heap.swapAt(best, parent)
            parent = best
        }
    }
}
