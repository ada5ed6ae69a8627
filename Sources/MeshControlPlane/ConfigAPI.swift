import Foundation
import MeshConfig
import MeshRegistry

/// The management API over config objects, as a pure function of the config in
/// force: requests in, a response and at most one file change out. Writes go
/// through the same validation as files; a bad object is a 400 with the errors
/// (field paths included) and nothing is stored. Optimistic concurrency: every
/// object has a `resourceVersion` (a hash of its YAML document); a write or delete
/// with `If-Match` fails with 409 when the object changed meanwhile.
struct ConfigAPI {
    enum FileChange: Equatable {
        case write(path: String, text: String)
        case delete(path: String)
    }

    struct Outcome {
        var status: Int
        var body: [String: Any]
        var change: FileChange?
        var resourceVersion: String?
    }

    let store: ConfigStore
    /// Where new objects' files go (the watched config directory).
    let directory: String

    // MARK: reads

    func list(kind: String? = nil) -> Outcome {
        let items = store.objects.filter { kind == nil || $0.kind.rawValue == kind }.map(summary)
        return Outcome(status: 200, body: ["items": items])
    }

    func get(kind: String, namespace: String, name: String) -> Outcome {
        guard let object = find(kind, namespace, name) else { return notFound(kind, namespace, name) }
        var body = summary(object)
        body["yaml"] = document(of: object) ?? ""
        // The same document as JSON, for forms that edit a field and send the object back.
        if let text = body["yaml"] as? String, let root = DocumentParser.parse(Array(text.utf8), source: "object").documents.first?.root {
            body["object"] = root.foundationValue
        }
        return Outcome(status: 200, body: body, resourceVersion: body["resourceVersion"] as? String)
    }

    // MARK: writes

    /// Create or replace `kind namespace/name` with the YAML (or JSON) `body`.
    func apply(kind: String, namespace: String, name: String, body: [UInt8], ifMatch: String?) -> Outcome {
        var parsed = ConfigStore()
        if case .rejected(_, let errors) = parsed.apply(file: "request", bytes: body) {
            return Outcome(status: 400, body: ["error": "invalid object", "errors": errors.map { $0.replacingFirst("request:", with: "") }])
        }
        let objects = parsed.objects(in: "request")
        guard objects.count == 1, let object = objects.first else {
            return Outcome(status: 400, body: ["error": "expected exactly one object, got \(objects.count)"])
        }
        guard object.kind.rawValue == kind, object.namespace == namespace, object.name == name else {
            return Outcome(status: 400, body: ["error": "the body is \(object.displayName), the path names \(kind) \(namespace)/\(name)"])
        }
        var text = String(decoding: body, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        let existing = find(kind, namespace, name)
        if let conflict = precondition(existing, ifMatch) { return conflict }
        let path: String
        let fileText: String
        if let existing, let source = existing.source, let current = store.text(of: source.file) {
            guard let replaced = ConfigFileEditor.replacing(source.documentIndex, in: current, with: text) else {
                return Outcome(status: 500, body: ["error": "cannot locate \(existing.displayName) in \(source.file)"])
            }
            path = source.file
            fileText = replaced.hasSuffix("\n") ? replaced : replaced + "\n"
        } else {
            path = newFile(kind, namespace, name)
            fileText = text + "\n"
        }
        return checked(path: path, text: fileText, expecting: existing == nil ? .created(object.displayName) : .same) { status in
            var response = summary(object)
            response["file"] = path
            response["resourceVersion"] = Self.version(text)
            return Outcome(status: status, body: response, change: .write(path: path, text: fileText), resourceVersion: Self.version(text))
        }
    }

    func delete(kind: String, namespace: String, name: String, ifMatch: String?) -> Outcome {
        guard let existing = find(kind, namespace, name), let source = existing.source,
              let current = store.text(of: source.file) else { return notFound(kind, namespace, name) }
        if let conflict = precondition(existing, ifMatch) { return conflict }
        let deleted = ["deleted": existing.displayName, "file": source.file]
        if store.objects(in: source.file).count == 1 {
            return Outcome(status: 200, body: deleted, change: .delete(path: source.file))
        }
        guard let remaining = ConfigFileEditor.replacing(source.documentIndex, in: current, with: nil) else {
            return Outcome(status: 500, body: ["error": "cannot locate \(existing.displayName) in \(source.file)"])
        }
        return checked(path: source.file, text: remaining, expecting: .removed(existing.displayName)) { _ in
            Outcome(status: 200, body: deleted, change: .write(path: source.file, text: remaining))
        }
    }

    // MARK: helpers

    enum Expectation {
        case same, created(String), removed(String)
    }

    /// The rewritten file must validate and hold exactly the objects it should:
    /// an edit that would touch any other document is refused, not written.
    private func checked(path: String, text: String, expecting: Expectation, _ success: (Int) -> Outcome) -> Outcome {
        var candidate = store
        let before = Set(store.objects(in: path).map(\.displayName))
        if case .rejected(_, let errors) = candidate.apply(file: path, bytes: Array(text.utf8)) {
            return Outcome(status: 400, body: ["error": "invalid object", "errors": errors])
        }
        let after = Set(candidate.objects(in: path).map(\.displayName))
        switch expecting {
        case .same: guard after == before else { return mismatch(path) }
        case .created(let name): guard after == before.union([name]) else { return mismatch(path) }
        case .removed(let name): guard after == before.subtracting([name]) else { return mismatch(path) }
        }
        if case .created = expecting { return success(201) }
        return success(200)
    }

    private func mismatch(_ path: String) -> Outcome {
        Outcome(status: 500, body: ["error": "editing \(path) would change other objects; nothing was written"])
    }

    private func precondition(_ existing: ConfigObject?, _ ifMatch: String?) -> Outcome? {
        guard let ifMatch = ifMatch.map({ $0.trimmingQuotes() }), !ifMatch.isEmpty, ifMatch != "*" else { return nil }
        let current = existing.flatMap { document(of: $0) }.map(Self.version)
        guard current == ifMatch else {
            return Outcome(status: 409, body: ["error": "conflict: resourceVersion is \(current ?? "none (no such object)"), not \(ifMatch); read it again and retry",
                                               "resourceVersion": current ?? ""])
        }
        return nil
    }

    private func find(_ kind: String, _ namespace: String, _ name: String) -> ConfigObject? {
        store.objects.first { $0.kind.rawValue == kind && $0.namespace == namespace && $0.name == name }
    }

    private func notFound(_ kind: String, _ namespace: String, _ name: String) -> Outcome {
        Outcome(status: 404, body: ["error": "no \(kind) \(namespace)/\(name)"])
    }

    func document(of object: ConfigObject) -> String? {
        guard let source = object.source, let text = store.text(of: source.file) else { return nil }
        return ConfigFileEditor.document(source.documentIndex, in: text)
    }

    func summary(_ object: ConfigObject) -> [String: Any] {
        var body: [String: Any] = ["kind": object.kind.rawValue, "apiVersion": object.apiVersion, "namespace": object.namespace, "name": object.name]
        if let source = object.source { body["file"] = source.file }
        if let text = document(of: object) { body["resourceVersion"] = Self.version(text) }
        return body
    }

    private func newFile(_ kind: String, _ namespace: String, _ name: String) -> String {
        let base = "\(directory)/\(kind.lowercased())-\(namespace)-\(name)"
        var path = base + ".yaml"
        var suffix = 2
        while store.text(of: path) != nil {
            path = "\(base)-\(suffix).yaml"
            suffix += 1
        }
        return path
    }

    /// FNV-1a over the document text, as 16 hex digits.
    static func version(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension String {
    func trimmingQuotes() -> String {
        var text = self
        if text.hasPrefix("W/") { text.removeFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        return text
    }

    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
