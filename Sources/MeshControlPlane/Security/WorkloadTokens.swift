import Foundation
import MeshCA
import MeshConfig

/// The local mesh's bootstrap tokens: one file per WorkloadEntry
/// (`<dir>/<name>.<namespace>.token`, 0600) naming its namespace and service
/// account (`default` when the entry names none, as Kubernetes would).
struct WorkloadTokens {
    let directory: String
    let issuer: BootstrapTokenIssuer
    let ttl: Duration

    static func fileName(name: String, namespace: String) -> String { "\(name).\(namespace).token" }

    /// Writes (or refreshes) a token for every WorkloadEntry in `objects`; returns how many.
    @discardableResult
    func write(for objects: [ConfigObject], now: Date = Date()) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let caDirectory = CADirectory(path: directory)
        var count = 0
        for object in objects {
            guard case .workloadEntry(let entry) = object.spec else { continue }
            let account = entry.serviceAccount.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            let token = try issuer.token(namespace: object.namespace, serviceAccount: account, ttl: ttl, now: now)
            try caDirectory.writeFile(Self.fileName(name: object.name, namespace: object.namespace), token + "\n", mode: 0o600)
            count += 1
        }
        return count
    }
}
