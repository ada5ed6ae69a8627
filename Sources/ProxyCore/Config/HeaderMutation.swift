/// Headers a route (or virtual host, or weighted cluster) adds and removes, on
/// requests or responses. Names are lower-case bytes; values are literal.
public struct HeaderMutation: Sendable {
    public enum AppendAction: Sendable, Equatable {
        /// Add another value even when the header exists.
        case appendIfExistsOrAdd
        /// Add only when absent.
        case addIfAbsent
        /// Replace existing values, or add.
        case overwriteIfExistsOrAdd
        /// Replace existing values; add nothing when absent.
        case overwriteIfExists
    }

    public struct Addition: Sendable {
        public let name: [UInt8]
        public let value: [UInt8]
        public let action: AppendAction

        public init(name: String, value: String, action: AppendAction) {
            self.name = Array(name.utf8).map(ASCII.lower)
            self.value = Array(value.utf8)
            self.action = action
        }
    }

    public var additions: [Addition]
    public var removals: [[UInt8]]

    public init(additions: [Addition] = [], removals: [String] = []) {
        self.additions = additions
        self.removals = removals.map { Array($0.utf8).map(ASCII.lower) }
    }

    public static let none = HeaderMutation()

    public var isEmpty: Bool { additions.isEmpty && removals.isEmpty }

    /// Whether a header of this name is dropped by this mutation: removed, or
    /// replaced by an overwriting addition.
    public func drops(_ name: UnsafeRawBufferPointer) -> Bool {
        for removal in removals where ASCII.equalsLowercased(name, removal) { return true }
        for addition in additions where addition.action == .overwriteIfExistsOrAdd || addition.action == .overwriteIfExists {
            if ASCII.equalsLowercased(name, addition.name) { return true }
        }
        return false
    }
}
