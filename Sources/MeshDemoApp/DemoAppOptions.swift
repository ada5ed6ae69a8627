import MeshCore

/// Everything that shapes one demo workload (what `swiftmesh demo-app` parses).
public struct DemoAppOptions: Sendable {
    public var service: String
    public var version: String
    public var listen: DemoListenAddress
    /// "instance" in every answer; nil means the address actually bound (ADDR:PORT,
    /// with the real port when `listen` asked for port 0).
    public var instance: String?
    /// Called in order, once each, for every request (except /healthz).
    public var calls: [DemoCallURL]
    /// Slept before answering (not for /healthz).
    public var delayNanoseconds: Int64
    /// Fraction (0...1) of requests answered with `failStatus` (not /healthz).
    public var failRatio: Double
    public var failStatus: Int
    /// Accept connections and close them at once, answering nothing.
    public var dead: Bool
    /// Limit for one outbound call: connect + request + whole response.
    public var callTimeoutNanoseconds: Int64
    /// Where calls connect, when not to the URL's host: the workload's sidecar
    /// egress (captureMode NONE). The URL's authority is still the Host header,
    /// which is what the sidecar routes on.
    public var callVia: DemoListenAddress?

    public init(
        service: String,
        version: String,
        listen: DemoListenAddress,
        instance: String? = nil,
        calls: [DemoCallURL] = [],
        delayNanoseconds: Int64 = 0,
        failRatio: Double = 0,
        failStatus: Int = 503,
        dead: Bool = false,
        callTimeoutNanoseconds: Int64 = 15 * GoDuration.second,
        callVia: DemoListenAddress? = nil
    ) {
        self.service = service
        self.version = version
        self.listen = listen
        self.instance = instance
        self.calls = calls
        self.delayNanoseconds = delayNanoseconds
        self.failRatio = failRatio
        self.failStatus = failStatus
        self.dead = dead
        self.callTimeoutNanoseconds = callTimeoutNanoseconds
        self.callVia = callVia
    }

    /// Builds options from command-line text, checking each value.
    public init(
        service: String,
        version: String,
        listen: String,
        instance: String? = nil,
        calls: [String] = [],
        delay: String? = nil,
        failRatio: Double = 0,
        failStatus: Int = 503,
        dead: Bool = false,
        callVia: String? = nil
    ) throws(DemoOptionError) {
        guard !service.isEmpty else { throw DemoOptionError("--service must not be empty") }
        guard !version.isEmpty else { throw DemoOptionError("--version must not be empty") }
        let address = try DemoListenAddress(parsing: listen)
        var urls: [DemoCallURL] = []
        for call in calls { urls.append(try DemoCallURL(parsing: call)) }
        var delayNanoseconds: Int64 = 0
        if let delay {
            do {
                delayNanoseconds = try GoDuration.parse(delay)
            } catch {
                throw DemoOptionError("--delay: \(error.description)")
            }
            guard delayNanoseconds >= 0 else { throw DemoOptionError("--delay must not be negative") }
        }
        guard failRatio >= 0 && failRatio <= 1 else {
            throw DemoOptionError("--fail-ratio must be between 0 and 1 (got \(failRatio))")
        }
        guard (200...599).contains(failStatus) else {
            throw DemoOptionError("--fail-status must be an HTTP status 200-599 (got \(failStatus))")
        }
        if let instance, instance.isEmpty { throw DemoOptionError("--instance must not be empty") }
        self.init(
            service: service, version: version, listen: address, instance: instance, calls: urls,
            delayNanoseconds: delayNanoseconds, failRatio: failRatio, failStatus: failStatus, dead: dead,
            callVia: try callVia.map { text throws(DemoOptionError) in
                do throws(DemoOptionError) { return try DemoListenAddress(parsing: text) } catch { throw DemoOptionError("--call-via: \(error.description)") }
            }
        )
    }

    /// `NAME-V`, the value of the `x-served-by` response header.
    public var servedBy: String { "\(service)-\(version)" }
}
