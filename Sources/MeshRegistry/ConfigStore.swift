import MeshConfig
import MeshValidation

/// The config directory as the mesh applies it: per file, the last version that
/// validated. A file that stops validating is rejected with its errors and its last
/// good objects stay in force; other files are unaffected. Pure: feed it file
/// contents, read the objects.
public struct ConfigStore: Sendable {
    public enum Change: Sendable, Equatable {
        case accepted(file: String, objects: Int)
        case rejected(file: String, errors: [String])
        case removed(file: String)
        case unchanged(file: String)
    }

    private struct FileState: Sendable {
        var objects: [ConfigObject]
        var bytes: [UInt8]
    }

    private var files: [String: FileState] = [:]
    /// Increases whenever the set of objects in force changes.
    public private(set) var version = 0
    /// Files whose latest contents were rejected, with the reasons.
    public private(set) var rejected: [String: [String]] = [:]
    private let validator = ConfigValidator()

    public init() {}

    public mutating func apply(file: String, bytes: [UInt8]) -> Change {
        if let current = files[file], current.bytes == bytes, rejected[file] == nil {
            return .unchanged(file: file)
        }
        let (reports, failure) = validator.validate(source: file, bytes: bytes)
        var errors: [String] = failure.map { ["\($0.description) (document \($0.documentIndex))"] } ?? []
        for report in reports where report.hasErrors {
            errors += report.errors.map { report.formatted($0) }
        }
        if !errors.isEmpty {
            rejected[file] = errors
            return .rejected(file: file, errors: errors)
        }
        rejected[file] = nil
        let objects = reports.compactMap(\.object)
        files[file] = FileState(objects: objects, bytes: bytes)
        version += 1
        return .accepted(file: file, objects: objects.count)
    }

    public mutating func remove(file: String) -> Change {
        rejected[file] = nil
        guard files.removeValue(forKey: file) != nil else { return .unchanged(file: file) }
        version += 1
        return .removed(file: file)
    }

    public var fileNames: [String] { files.keys.sorted() }

    /// The accepted text of a file (what its objects were read from).
    public func text(of file: String) -> String? {
        files[file].map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// The objects a file contributes, in document order.
    public func objects(in file: String) -> [ConfigObject] {
        files[file]?.objects ?? []
    }

    /// Objects in force, files in name order; a later definition of the same
    /// KIND NAMESPACE/NAME replaces an earlier one.
    public var objects: [ConfigObject] {
        var index: [String: Int] = [:]
        var result: [ConfigObject] = []
        for name in fileNames {
            for object in files[name]!.objects {
                if let existing = index[object.displayName] {
                    result[existing] = object
                } else {
                    index[object.displayName] = result.count
                    result.append(object)
                }
            }
        }
        return result
    }
}
