/// One worker's Istio metrics: plain arrays and dictionaries confined to the
/// worker's event loop, so recording is an index lookup and a few increments
/// with no lock or atomic. Series are keyed by small integers (slots) for the
/// listener scope, the cluster's service and the peer workload; their label
/// text is built only when `/stats/prometheus` renders them.
public struct TelemetryStore: Sendable {
    struct RequestKey: Hashable, Sendable {
        var scope: Int32
        var service: Int32
        var peer: Int32
        var code: UInt16
        var flags: UInt32
        /// Istio's gRPC labels: `notGRPC`, `grpcWithoutStatus`, or the grpc-status.
        var grpcStatus: Int16 = TelemetryStore.notGRPC
        /// ConnectionSecurity slot (0: the scope's defaults).
        var security: Int32 = 0
    }

    /// `recordRequest`'s `grpcStatus` for a request that is not gRPC
    /// (`request_protocol="http"`).
    public static let notGRPC: Int16 = -1
    /// A gRPC request whose response carried no grpc-status (label empty).
    public static let grpcWithoutStatus: Int16 = -2

    struct TCPKey: Hashable, Sendable {
        var scope: Int32
        var service: Int32
        var peer: Int32
        var flags: UInt32
        var security: Int32 = 0
    }

    /// Label parts by slot; slot 0 of services and peers is "unknown".
    private(set) var scopes = SlotTable<TelemetryScope>(reservingUnknown: false)
    private(set) var services = SlotTable<IstioService>(reservingUnknown: true)
    private(set) var peers = SlotTable<WorkloadMetadata>(reservingUnknown: true)
    private(set) var securities = SlotTable<ConnectionSecurity>(reservingUnknown: true)
    /// Exchange header (id, else value) hash -> peer slot, as Istio's MX cache.
    private var peerCache: [UInt64: Int32] = [:]

    private var requestIndex: [RequestKey: Int] = [:]
    private(set) var requestKeys: [RequestKey] = []
    private(set) var requestCounts: [UInt64] = []
    /// `HistogramBuckets.count` entries per series (per-bucket, not cumulative).
    private(set) var durationBuckets: [UInt64] = []
    private(set) var durationSums: [Double] = []
    private(set) var requestBytesBuckets: [UInt64] = []
    private(set) var requestBytesSums: [Double] = []
    private(set) var responseBytesBuckets: [UInt64] = []
    private(set) var responseBytesSums: [Double] = []

    private var tcpIndex: [TCPKey: Int] = [:]
    private(set) var tcpKeys: [TCPKey] = []
    private(set) var tcpOpened: [UInt64] = []
    private(set) var tcpClosed: [UInt64] = []
    private(set) var tcpSent: [UInt64] = []
    private(set) var tcpReceived: [UInt64] = []

    public init() {}

    // MARK: slots (config time, or first sight of a peer)

    public mutating func slot(for scope: TelemetryScope) -> Int32 { scopes.slot(for: scope) }

    /// 0 for nil (`unknown`).
    public mutating func slot(for service: IstioService?) -> Int32 { service.map { services.slot(for: $0) } ?? 0 }

    public mutating func slot(for peer: WorkloadMetadata?) -> Int32 { peer.map { peers.slot(for: $0) } ?? 0 }

    public mutating func slot(for security: ConnectionSecurity) -> Int32 { securities.slot(for: security) }

    /// The peer named by metadata-exchange header values (`id` may be empty). The
    /// value is decoded once per id; later requests cost one hash and one lookup.
    public mutating func peerSlot(id: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Int32 {
        guard value.count > 0 else { return 0 }
        let key = Self.fnv1a(id.count > 0 ? id : value)
        if let slot = peerCache[key] { return slot }
        let slot = slot(for: WorkloadMetadata(exchangeHeaderValue: value))
        // Bounded as Istio's cache is; peers come and go with their pods.
        if peerCache.count >= 1024 { peerCache.removeAll(keepingCapacity: true) }
        peerCache[key] = slot
        return slot
    }

    @inline(__always) static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    // MARK: recording (per request / connection)

    /// One finished HTTP exchange. `code` 0: no response was sent (Istio's "0").
    public mutating func recordRequest(scope: Int32, service: Int32, peer: Int32, code: Int, flags: ResponseFlags,
                                       durationMilliseconds: Double, requestBytes: Int, responseBytes: Int,
                                       grpcStatus: Int16 = TelemetryStore.notGRPC, security: Int32 = 0) {
        let key = RequestKey(scope: scope, service: service, peer: peer, code: UInt16(clamping: code), flags: flags.rawValue,
                             grpcStatus: grpcStatus, security: security)
        let series: Int
        if let index = requestIndex[key] {
            series = index
        } else {
            series = addRequestSeries(key)
        }
        requestCounts[series] &+= 1
        let base = series * HistogramBuckets.count
        durationBuckets[base + HistogramBuckets.index(of: durationMilliseconds)] &+= 1
        durationSums[series] += durationMilliseconds
        requestBytesBuckets[base + HistogramBuckets.index(of: Double(requestBytes))] &+= 1
        requestBytesSums[series] += Double(requestBytes)
        responseBytesBuckets[base + HistogramBuckets.index(of: Double(responseBytes))] &+= 1
        responseBytesSums[series] += Double(responseBytes)
    }

    private mutating func addRequestSeries(_ key: RequestKey) -> Int {
        let series = requestKeys.count
        requestKeys.append(key)
        requestIndex[key] = series
        requestCounts.append(0)
        durationBuckets.append(contentsOf: repeatElement(0, count: HistogramBuckets.count))
        durationSums.append(0)
        requestBytesBuckets.append(contentsOf: repeatElement(0, count: HistogramBuckets.count))
        requestBytesSums.append(0)
        responseBytesBuckets.append(contentsOf: repeatElement(0, count: HistogramBuckets.count))
        responseBytesSums.append(0)
        return series
    }

    public mutating func recordTCPOpened(scope: Int32, service: Int32, security: Int32 = 0) {
        tcpOpened[tcpSeries(TCPKey(scope: scope, service: service, peer: 0, flags: 0, security: security))] &+= 1
    }

    /// A relayed connection ended: its byte counts and close, under its flags.
    public mutating func recordTCPClosed(scope: Int32, service: Int32, flags: ResponseFlags, sent: Int, received: Int, security: Int32 = 0) {
        let series = tcpSeries(TCPKey(scope: scope, service: service, peer: 0, flags: flags.rawValue, security: security))
        tcpClosed[series] &+= 1
        tcpSent[series] &+= UInt64(max(0, sent))
        tcpReceived[series] &+= UInt64(max(0, received))
    }

    private mutating func tcpSeries(_ key: TCPKey) -> Int {
        if let index = tcpIndex[key] { return index }
        let series = tcpKeys.count
        tcpKeys.append(key)
        tcpIndex[key] = series
        tcpOpened.append(0)
        tcpClosed.append(0)
        tcpSent.append(0)
        tcpReceived.append(0)
        return series
    }
}
