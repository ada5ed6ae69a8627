/// Envoy's response flags (`%RESPONSE_FLAGS%`): why a response is not simply the
/// upstream's. Short names are Envoy's, so access logs and Istio's
/// `response_flags` label read the same.
public struct ResponseFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let noHealthyUpstream = ResponseFlags(rawValue: 1 << 0)           // UH
    public static let upstreamConnectionFailure = ResponseFlags(rawValue: 1 << 1)   // UF
    public static let upstreamOverflow = ResponseFlags(rawValue: 1 << 2)            // UO
    public static let noRouteFound = ResponseFlags(rawValue: 1 << 3)                // NR
    public static let upstreamRetryLimitExceeded = ResponseFlags(rawValue: 1 << 4)  // URX
    public static let upstreamRequestTimeout = ResponseFlags(rawValue: 1 << 5)      // UT
    public static let downstreamConnectionTermination = ResponseFlags(rawValue: 1 << 6) // DC
    public static let faultInjected = ResponseFlags(rawValue: 1 << 7)               // FI
    public static let delayInjected = ResponseFlags(rawValue: 1 << 8)               // DI
    public static let rateLimited = ResponseFlags(rawValue: 1 << 9)                 // RL
    public static let upstreamConnectionTermination = ResponseFlags(rawValue: 1 << 10) // UC
    public static let localReset = ResponseFlags(rawValue: 1 << 11)                 // LR
    public static let noClusterFound = ResponseFlags(rawValue: 1 << 12)             // NC
    public static let downstreamProtocolError = ResponseFlags(rawValue: 1 << 13)    // DPE
    public static let upstreamProtocolError = ResponseFlags(rawValue: 1 << 14)      // UPE
    public static let durationTimeout = ResponseFlags(rawValue: 1 << 15)            // DT
    /// URX as tcp_proxy sets it: after the connect failure that used up its
    /// attempts, so Envoy prints `UF,URX` (the router's URX comes first).
    public static let connectAttemptsExceeded = ResponseFlags(rawValue: 1 << 16)    // URX

    /// In the order Envoy 1.40 prints `%RESPONSE_FLAGS%`: the order the flags were
    /// set. The router sets URX before the failure that ended the last attempt
    /// (`URX,UF`, `URX,UC`), the fault filter DI before FI; otherwise Envoy's flag
    /// enum order (UH, UT, LR, UF, UC, UO, NR, ...).
    static let names: [(ResponseFlags, String)] = [
        (.upstreamRetryLimitExceeded, "URX"),
        (.noHealthyUpstream, "UH"), (.upstreamRequestTimeout, "UT"), (.localReset, "LR"),
        (.upstreamConnectionFailure, "UF"), (.connectAttemptsExceeded, "URX"), (.upstreamConnectionTermination, "UC"), (.upstreamOverflow, "UO"),
        (.noRouteFound, "NR"), (.delayInjected, "DI"), (.faultInjected, "FI"), (.rateLimited, "RL"),
        (.downstreamConnectionTermination, "DC"),
        (.downstreamProtocolError, "DPE"), (.durationTimeout, "DT"), (.upstreamProtocolError, "UPE"), (.noClusterFound, "NC"),
    ]

    /// The flag of an Envoy short name; nil for names this proxy never sets (or unknown).
    public static func named(_ name: String) -> ResponseFlags? {
        // URX has two bits (set before or after the failure): a filter matches either.
        let flags = names.filter { $0.1 == name }.reduce(ResponseFlags()) { $0.union($1.0) }
        return flags.isEmpty ? nil : flags
    }

    /// Every short name Envoy 1.40 accepts in a response_flag_filter (its proto
    /// validation's list, as `envoy --mode validate` prints it).
    public static let envoyNames: Set<String> = [
        "LH", "UH", "UT", "LR", "UR", "UF", "UC", "UO", "NR", "DI", "FI", "RL", "UAEX", "RLSE", "DC", "URX",
        "SI", "IH", "DPE", "UMSDR", "RFCF", "NFCF", "DT", "UPE", "NC", "OM", "DF", "DO", "DR", "UDO",
    ]

    /// `UH,UF` style, or `-` when none (Envoy's rendering).
    public var envoyString: String {
        let parts = Self.names.filter { contains($0.0) }.map(\.1)
        return parts.isEmpty ? "-" : parts.joined(separator: ",")
    }

    /// The same text appended to `out`, for the access log (no String built).
    public func write(into out: inout [UInt8]) {
        guard !isEmpty else {
            out.append(UInt8(ascii: "-"))
            return
        }
        var first = true
        for (flag, name) in Self.names where contains(flag) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: name.utf8)
            first = false
        }
    }
}
