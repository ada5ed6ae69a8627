/// How `swiftmesh proxy` was asked to run.
public struct ProxyOptions: Sendable {
    public var bootstrapPath: String
    /// Event-loop threads (Envoy's `--concurrency`).
    public var concurrency: Int
    /// Overrides the bootstrap's admin address; port 0 picks one.
    public var adminHost: String?
    public var adminPort: Int?

    public init(bootstrapPath: String, concurrency: Int = 1, adminHost: String? = nil, adminPort: Int? = nil) {
        self.bootstrapPath = bootstrapPath
        self.concurrency = concurrency
        self.adminHost = adminHost
        self.adminPort = adminPort
    }
}
