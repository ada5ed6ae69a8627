/// Rewrites of a received request head that the connection manager makes before
/// anything reads it (a normalised path, repeated Host fields joined). The result
/// is the whole received byte run with the head changed, parsed again by the
/// caller, so every later step sees one consistent head. Rare, so it allocates.
public enum HTTP1HeadRewrite {
    /// `bytes` with the head's path replaced by `path`.
    public static func replacingPath(_ bytes: UnsafeRawBufferPointer, head: HTTP1RequestHead, with path: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + path.count)
        output.append(contentsOf: bytes[..<Int(head.path.start)])
        output.append(contentsOf: path)
        output.append(contentsOf: bytes[Int(head.path.end)...])
        return output
    }

    /// `bytes` with every Host field folded into the first one, values joined with
    /// "," (Envoy's header map does this for repeated Host / :authority).
    public static func joiningHosts(_ bytes: UnsafeRawBufferPointer, head: HTTP1RequestHead) -> [UInt8] {
        let hosts = head.fields.filter { $0.kind == .host }
        guard let first = hosts.first else { return Array(bytes) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        for field in head.fields where field.kind == .host {
            output.append(contentsOf: bytes[position..<Int(field.line.start)])
            position = Int(field.line.end)
            guard field.line.start == first.line.start else { continue }
            output.append(contentsOf: "host: ".utf8)
            for (index, host) in hosts.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: host.value.bytes(in: bytes))
            }
            output.append(contentsOf: "\r\n".utf8)
        }
        output.append(contentsOf: bytes[position...])
        return output
    }
}
