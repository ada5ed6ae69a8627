import Synchronization

/// The proxy's certificate agent as the data path sees it: secrets by name for
/// SDS references to Istio's `sds-grpc` cluster ("default": the workload's key and
/// chain, "ROOTCA": the trusted roots), served in process instead of over a
/// socket. The CA client's agent implements it; tests and file-mounted
/// certificates use `StaticSecretProvider`.
public protocol SecretProvider: AnyObject, Sendable {
    /// The secret's current value; nil while it is not known (yet).
    func secret(named name: String) -> TLSSecret?
    /// `handler` runs (on any thread) after any secret changed; the proxy then
    /// builds new TLS contexts for new connections, open ones keep theirs.
    func onChange(_ handler: @escaping @Sendable () -> Void)
}

/// A SecretProvider holding values it is given (files read by the caller, or a
/// rotation in a test).
public final class StaticSecretProvider: SecretProvider {
    private let state = Mutex<(secrets: [String: TLSSecret], observers: [@Sendable () -> Void])>(([:], []))

    public init(_ secrets: [String: TLSSecret] = [:]) {
        state.withLock { $0.secrets = secrets }
    }

    public func secret(named name: String) -> TLSSecret? {
        state.withLock { $0.secrets[name] }
    }

    public func onChange(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.observers.append(handler) }
    }

    /// Sets (or with nil removes) a secret and tells the observers.
    public func update(_ name: String, _ secret: TLSSecret?) {
        let observers = state.withLock { state -> [@Sendable () -> Void] in
            state.secrets[name] = secret
            return state.observers
        }
        for observer in observers { observer() }
    }
}
