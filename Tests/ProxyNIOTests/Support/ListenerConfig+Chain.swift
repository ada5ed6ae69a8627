import ProxyCore

extension ListenerConfig {
    /// The same single-chain listener with another chain (tests tweak one setting).
    func replacingChain(_ chain: Chain) -> ListenerConfig {
        ListenerConfig(name: name, host: host, port: port, bindToPort: bindToPort, useOriginalDestination: useOriginalDestination,
                       direction: direction, chain: chain)
    }
}
