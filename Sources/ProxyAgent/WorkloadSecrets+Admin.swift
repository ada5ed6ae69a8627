#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MeshCore

extension WorkloadSecrets {
    /// Envoy's admin `/certs` shape (the fields tools read): the workload
    /// certificate's SAN and expiry, plus the agent's install count.
    public func certsJSON(now: Double) -> String {
        // Whole seconds: protobuf's JSON writes a Timestamp without a zero fraction.
        var expiry = UTCTimestamp(unixMillis: Int64(notAfter.rounded(.down)) * 1000).rfc3339
        expiry.removeLast(5)
        expiry += "Z"
        let chain = CertsPage.Chain(subject_alt_names: [["uri": identity]], serial_number: serialNumber,
                                    expiration_time: expiry, seconds_until_expiration: String(Int(notAfter - now)))
        let page = CertsPage(certificates: [.init(cert_chain: [chain], ca_cert: [["path": Self.rootName]], swiftmesh_generation: generation)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(page)) ?? Data("{\"certificates\": []}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The JSON of Envoy's `/certs` page; field names are Envoy's.
private struct CertsPage: Encodable {
    struct Chain: Encodable {
        var subject_alt_names: [[String: String]]
        var serial_number: String
        var expiration_time: String
        var seconds_until_expiration: String
    }

    struct Certificate: Encodable {
        var cert_chain: [Chain]
        var ca_cert: [[String: String]]
        var swiftmesh_generation: Int
    }

    var certificates: [Certificate]
}
