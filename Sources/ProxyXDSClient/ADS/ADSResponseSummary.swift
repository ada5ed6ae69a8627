import ProxyCore

/// A response as the state machine records it, state of the world or delta, so both
/// ADS sessions end a response the same way (`XDSClientStateMachine.conclude`).
protocol ADSResponseSummary {
    var typeURL: String { get }
    /// How logs name the response: its version, or its nonce for delta.
    var logLabel: String { get }
    func accept(in machine: inout XDSClientStateMachine) -> [XDSOutgoing]
    func reject(in machine: inout XDSClientStateMachine, error: String) -> [XDSOutgoing]
}

extension XDSResponse: ADSResponseSummary {
    var logLabel: String { "version \(versionInfo)" }
    func accept(in machine: inout XDSClientStateMachine) -> [XDSOutgoing] { machine.accept(self) }
    func reject(in machine: inout XDSClientStateMachine, error: String) -> [XDSOutgoing] { machine.reject(self, error: error) }
}

extension XDSDeltaResponse: ADSResponseSummary {
    var logLabel: String { "nonce \(nonce)" }
    func accept(in machine: inout XDSClientStateMachine) -> [XDSOutgoing] { machine.accept(self) }
    func reject(in machine: inout XDSClientStateMachine, error: String) -> [XDSOutgoing] { machine.reject(self, error: error) }
}

extension XDSClientStateMachine {
    /// ACKs a response, or NACKs it with `error` (the response did not convert, or
    /// some of its listeners did not), logging the NACK and counting either.
    mutating func conclude(_ summary: some ADSResponseSummary, error: String?, stats: XDSUpdateStats?,
                           log: (String) -> Void) -> [XDSOutgoing] {
        stats?.record(typeURL: summary.typeURL, accepted: error == nil)
        guard let error else { return summary.accept(in: &self) }
        log("xds: NACK \(summary.typeURL) \(summary.logLabel): \(error)")
        return summary.reject(in: &self, error: error)
    }
}
