/// Values interned to small integer slots, in first-seen order: how the
/// TelemetryStore names label parts (listener scopes, services, peers) so that
/// series keys are integers, and the same value keeps its slot across config
/// swaps (counters stay monotonic). Slot 0 can be reserved for "unknown".
struct SlotTable<Value: Hashable & Sendable>: Sendable {
    private(set) var values: [Value?]
    private var slots: [Value: Int32] = [:]

    init(reservingUnknown: Bool) {
        values = reservingUnknown ? [nil] : []
    }

    /// The value's slot, added on first sight.
    mutating func slot(for value: Value) -> Int32 {
        if let slot = slots[value] { return slot }
        let slot = Int32(values.count)
        values.append(value)
        slots[value] = slot
        return slot
    }

    subscript(slot: Int32) -> Value? { values[Int(slot)] }
}
