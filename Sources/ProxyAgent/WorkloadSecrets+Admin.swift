import MeshCore

extension WorkloadSecrets {
    /// Envoy's admin `/certs` shape (the fields tools read): the workload
    /// certificate's SAN and expiry, plus the agent's install count. Written by
    /// hand so the proxy needs no Foundation JSON.
    public func certsJSON(now: Double) -> String {
        // Whole seconds: protobuf's JSON writes a Timestamp without a zero fraction.
        var expiry = UTCTimestamp(unixMillis: Int64(notAfter.rounded(.down)) * 1000).rfc3339
        expiry.removeLast(5)
        expiry += "Z"
        var out: [UInt8] = []
        func key(_ name: String, _ indent: Int) {
            out.append(contentsOf: Array(repeating: UInt8(ascii: " "), count: indent))
            JSONString.write(name.utf8, into: &out)
            out.append(contentsOf: " : ".utf8)
        }
        func string(_ value: String) { JSONString.write(value.utf8, into: &out) }
        out.append(contentsOf: "{\n".utf8)
        key("certificates", 2)
        out.append(contentsOf: "[\n    {\n".utf8)
        key("ca_cert", 6)
        out.append(contentsOf: "[\n        {\n".utf8)
        key("path", 10)
        string(Self.rootName)
        out.append(contentsOf: "\n        }\n      ],\n".utf8)
        key("cert_chain", 6)
        out.append(contentsOf: "[\n        {\n".utf8)
        key("expiration_time", 10)
        string(expiry)
        out.append(contentsOf: ",\n".utf8)
        key("seconds_until_expiration", 10)
        string(String(Int(notAfter - now)))
        out.append(contentsOf: ",\n".utf8)
        key("serial_number", 10)
        string(serialNumber)
        out.append(contentsOf: ",\n".utf8)
        key("subject_alt_names", 10)
        out.append(contentsOf: "[\n            {\n".utf8)
        key("uri", 14)
        string(identity)
        out.append(contentsOf: "\n            }\n          ]\n        }\n      ],\n".utf8)
        key("swiftmesh_generation", 6)
        out.append(contentsOf: String(generation).utf8)
        out.append(contentsOf: "\n    }\n  ]\n}\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
