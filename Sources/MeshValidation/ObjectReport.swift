import MeshConfig
import MeshCore

/// The outcome of validating one document: its identity, its diagnostics and, when
/// it has no errors, the typed object.
public struct ObjectReport: Sendable {
    public var source: String
    public var documentIndex: Int
    public var kindName: String
    public var namespace: String
    public var name: String
    public var diagnostics: [Diagnostic]
    public var object: ConfigObject?
    /// Unknown kinds and empty documents: not validated, not an error.
    public var skipped: Bool

    public var hasErrors: Bool { diagnostics.contains { $0.isError } }
    public var errors: [Diagnostic] { diagnostics.filter(\.isError) }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// `KIND NAMESPACE/NAME` (cluster-scoped kinds: `KIND NAME`).
    public var objectName: String {
        if kindName == ConfigKind.namespace.rawValue { return "\(kindName) \(name)" }
        return "\(kindName) \(namespace)/\(name)"
    }

    /// `FILE:DOCINDEX KIND NAMESPACE/NAME: field.path: message (line L, column C)`.
    public func formatted(_ diagnostic: Diagnostic) -> String {
        var line = "\(source):\(documentIndex)"
        if !kindName.isEmpty { line += " \(objectName)" }
        line += ": \(diagnostic.description)"
        if let location = diagnostic.location, location.line > 0 {
            line += " (line \(location.line), column \(location.column))"
        }
        return line
    }
}
