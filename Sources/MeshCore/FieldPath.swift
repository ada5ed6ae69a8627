/// Where in an object a value sits, printed as `spec.http[0].route[1].weight`.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    public enum Segment: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public private(set) var segments: [Segment]

    public init(_ segments: [Segment] = []) {
        self.segments = segments
    }

    /// Parses the printed form back (`a.b[2].c`); used by tests and fixtures.
    public init(parsing text: String) {
        var result: [Segment] = []
        var current = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            switch character {
            case ".":
                if !current.isEmpty { result.append(.key(current)); current = "" }
            case "[":
                if !current.isEmpty { result.append(.key(current)); current = "" }
                var digits = ""
                while let next = iterator.next(), next != "]" { digits.append(next) }
                result.append(Int(digits).map(Segment.index) ?? .key(digits))
            default:
                current.append(character)
            }
        }
        if !current.isEmpty { result.append(.key(current)) }
        segments = result
    }

    public static let root = FieldPath()

    public func appending(_ key: String) -> FieldPath {
        var copy = self
        copy.segments.append(.key(key))
        return copy
    }

    public func appending(_ index: Int) -> FieldPath {
        var copy = self
        copy.segments.append(.index(index))
        return copy
    }

    public static func / (lhs: FieldPath, rhs: String) -> FieldPath { lhs.appending(rhs) }
    public static func / (lhs: FieldPath, rhs: Int) -> FieldPath { lhs.appending(rhs) }

    public var isEmpty: Bool { segments.isEmpty }

    /// In-place push/pop for walkers that keep one path while descending.
    public mutating func push(_ segment: Segment) { segments.append(segment) }
    public mutating func pop() { segments.removeLast() }

    public var description: String {
        var out = ""
        for segment in segments {
            switch segment {
            case .key(let key):
                if !out.isEmpty { out += "." }
                out += key
            case .index(let index):
                out += "[\(index)]"
            }
        }
        return out
    }
}
