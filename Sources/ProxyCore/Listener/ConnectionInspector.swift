/// A connection's listener filters before a chain is chosen, as one value per
/// connection: fed the bytes the client sent so far (held back, not consumed),
/// it fills in the `ConnectionFacts` the chains match on and says what to do.
///
/// In Envoy's order: the TLS inspector first (SNI, ALPN, transport protocol
/// "tls"), then, only while the transport protocol is still "raw_buffer", the
/// HTTP inspector (application protocol "http/1.0", "http/1.1" or "h2c"). A
/// listener filter that gives up (too many bytes without an answer) closes the
/// connection; the listener filter timeout closes it too, or goes on with what is
/// known under `continue_on_listener_filters_timeout`.
public struct ConnectionInspector: Sendable {
    public enum Step: Sendable, Equatable {
        case needMoreBytes
        /// Select the chain with the facts as they are now.
        case choose
        case close
    }

    /// Peek at a ClientHello: the TLS inspector's findings are needed, or a chain
    /// terminates TLS (the SNI is reported on the request path).
    private(set) var peeksClientHello: Bool
    /// The TLS inspector's findings count for matching.
    private(set) var tlsInspector: Bool
    private(set) var sniffsHTTP: Bool
    let maxClientHelloBytes: Int
    let maxHTTPBytes: Int
    let continueOnTimeout: Bool
    private var clientHelloDone = false
    private var httpProgress = HTTPInspectorParser.Progress()
    /// The SNI of a ClientHello peeked without an active TLS inspector: not for
    /// chain matching, only for the chosen chain (the request path reports it).
    public private(set) var serverNameAfterSelection: String?
    // The listener's settings, for `starting(destinationPort:)`.
    private let chainsNeedTLSFindings: Bool
    private let terminatesTLS: Bool
    private let tlsDisabled: ListenerFilterPredicate?
    private let httpDisabled: ListenerFilterPredicate?

    /// The listener's inspectors, their `filter_disabled` predicates not applied
    /// yet (see `starting(destinationPort:)`).
    public init(listener: ListenerConfig) {
        chainsNeedTLSFindings = listener.needsTLSInspection
        terminatesTLS = listener.terminatesTLS
        tlsDisabled = listener.inspection.tlsInspectorDisabled
        httpDisabled = listener.inspection.httpInspectorDisabled
        peeksClientHello = chainsNeedTLSFindings || terminatesTLS
        tlsInspector = listener.inspection.tlsInspector
        sniffsHTTP = listener.needsHTTPInspection
        maxClientHelloBytes = listener.inspection.maxClientHelloBytes
        maxHTTPBytes = listener.inspection.maxHTTPInspectBytes
        continueOnTimeout = listener.inspection.continueOnTimeout
    }

    /// This inspector for one connection: an inspector whose `filter_disabled`
    /// matches the destination port (the original one when restored) is skipped.
    public func starting(destinationPort port: Int) -> ConnectionInspector {
        var copy = self
        if tlsDisabled?.matches(destinationPort: port) == true {
            copy.tlsInspector = false
            copy.peeksClientHello = terminatesTLS
        }
        if httpDisabled?.matches(destinationPort: port) == true {
            copy.sniffsHTTP = false
        }
        return copy
    }

    /// False: nothing to wait for, the chain can be chosen at accept.
    public var waitsForBytes: Bool { peeksClientHello || sniffsHTTP }

    /// `bytes`: everything the client sent so far, from its first byte.
    public mutating func inspect(_ bytes: UnsafeRawBufferPointer, facts: inout ConnectionFacts) -> Step {
        if peeksClientHello, !clientHelloDone {
            switch TLSClientHelloParser.parse(bytes, maxBytes: maxClientHelloBytes) {
            case .needMoreBytes: return .needMoreBytes
            // Envoy's client_hello_too_large: the connection is closed.
            case .tooLarge: return .close
            case .notTLS: clientHelloDone = true
            case .clientHello(let hello):
                clientHelloDone = true
                let name = (hello.serverName ?? "").lowercased()
                if tlsInspector {
                    facts.serverName = name
                    facts.transportProtocol = "tls"
                    facts.applicationProtocols = hello.applicationProtocols
                } else {
                    // Without the TLS inspector Envoy learns nothing for matching;
                    // the SNI is still what the request path reports.
                    serverNameAfterSelection = name
                }
            }
        }
        // Envoy's HTTP inspector skips connections another filter found to be TLS.
        guard sniffsHTTP, facts.transportProtocol == "raw_buffer" else { return .choose }
        switch HTTPInspectorParser.parse(bytes, maxBytes: maxHTTPBytes, progress: &httpProgress) {
        case .needMoreBytes: return .needMoreBytes
        // Envoy: "reached max buffer without determining HTTP version", closed.
        case .tooLarge: return .close
        case .notHTTP: return .choose
        case .detected(let detected):
            facts.applicationProtocols = [detected.rawValue]
            return .choose
        }
    }

    /// The listener filter timeout fired before the filters were done.
    public func timedOut() -> Step {
        continueOnTimeout ? .choose : .close
    }
}

extension ConnectionInspector {
    public mutating func inspect(_ bytes: [UInt8], facts: inout ConnectionFacts) -> Step {
        bytes.withUnsafeBytes { inspect($0, facts: &facts) }
    }
}
