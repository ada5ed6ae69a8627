import Foundation

extension WorkloadSecrets {
    /// Envoy's admin `/certs` shape (the fields tools read): the workload
    /// certificate's SAN and expiry, plus the agent's install count.
    public func certsJSON(now: Double = Date().timeIntervalSince1970) -> String {
        let expiry = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: notAfter))
        let entry: [String: Any] = [
            "cert_chain": [[
                "subject_alt_names": [["uri": identity]],
                "serial_number": serialNumber,
                "expiration_time": expiry,
                "seconds_until_expiration": String(Int(notAfter - now)),
            ]],
            "ca_cert": [["path": "ROOTCA"]],
            "swiftmesh_generation": generation,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: ["certificates": [entry]], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
