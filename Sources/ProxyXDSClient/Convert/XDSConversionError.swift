/// A resource the proxy cannot honour, named precisely enough to NACK with: the
/// resource, the field path inside it, and what is wrong.
public struct XDSConversionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let resource: String
    public let field: String
    public let reason: String

    public init(resource: String, field: String, reason: String) {
        self.resource = resource
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(resource): \(field): \(reason)" }
}

/// Where the converter is, for errors and warnings: the resource and a field path.
struct ConversionScope {
    let resource: String
    let path: String

    func child(_ field: String) -> ConversionScope {
        ConversionScope(resource: resource, path: path.isEmpty ? field : path + "." + field)
    }

    func index(_ field: String, _ index: Int) -> ConversionScope {
        child("\(field)[\(index)]")
    }

    func error(_ reason: String) -> XDSConversionError {
        XDSConversionError(resource: resource, field: path.isEmpty ? "(resource)" : path, reason: reason)
    }

    func unsupported(_ what: String) -> XDSConversionError {
        error("\(what) is not supported by this proxy")
    }
}

/// Settings the proxy accepts but does not act on yet, which do not change where
/// or whether traffic flows (access logs, path normalisation notes, ...): reported
/// rather than NACKed.
public struct ConversionWarnings: Sendable {
    public private(set) var messages: [String] = []

    public init() {}

    /// A warning from outside the converter (the process's own setup).
    public mutating func add(_ message: String) {
        messages.append(message)
    }

    mutating func add(_ scope: ConversionScope, _ message: String) {
        messages.append("\(scope.resource): \(scope.path): \(message)")
    }
}
