/// One finding about one object: an error (the object is rejected) or a warning.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Comparable {
        case error
        case warning
        case info

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .info: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    public var path: FieldPath
    public var message: String
    public var location: SourceLocation?

    public init(_ severity: Severity, _ path: FieldPath, _ message: String, location: SourceLocation? = nil) {
        self.severity = severity
        self.path = path
        self.message = message
        self.location = location
    }

    public static func error(_ path: FieldPath, _ message: String) -> Diagnostic {
        Diagnostic(.error, path, message)
    }

    public static func warning(_ path: FieldPath, _ message: String) -> Diagnostic {
        Diagnostic(.warning, path, message)
    }

    public var isError: Bool { severity == .error }

    public var description: String {
        let prefix = severity == .error ? "" : "\(severity.rawValue): "
        return path.isEmpty ? prefix + message : "\(path): \(prefix)\(message)"
    }
}

/// Collects diagnostics while a validator walks an object.
public struct DiagnosticSink: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func error(_ path: FieldPath, _ message: String) {
        diagnostics.append(.error(path, message))
    }

    public mutating func warning(_ path: FieldPath, _ message: String) {
        diagnostics.append(.warning(path, message))
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }

    public var hasErrors: Bool { diagnostics.contains { $0.isError } }
}
