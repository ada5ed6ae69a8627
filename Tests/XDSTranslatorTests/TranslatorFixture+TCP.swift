import Testing
import XDSAPI
@testable import XDSTranslator

/// The TCP services the tcp_proxy translation tests route to, and the way to
/// their tcp_proxy.
extension TranslatorFixture {
    /// A `Service` `name` in `default` with one TCP port 5432, selecting `app: name`.
    static func tcpService(_ name: String, clusterIP: String, portName: String) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata: {name: \(name), namespace: default}
        spec:
          clusterIP: \(clusterIP)
          selector: {app: \(name)}
          ports: [{name: \(portName), port: 5432}]

        """
    }

    /// `db`, a Postgres service on 10.96.0.30:5432.
    static let dbService = tcpService("db", clusterIP: "10.96.0.30", portName: "tcp-postgres")

    /// A `VirtualService` for `db` in `default` with the given `tcp:` list (indented by two).
    static func dbVS(_ tcp: String) -> String {
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: db, namespace: default}\nspec:\n  hosts: [db]\n  tcp:\n" + tcp
    }
}

extension ProxyResources {
    /// The tcp_proxy that ends the first filter chain of `listener`.
    func tcpProxy(_ listener: String) throws -> Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy {
        try Unpack.tcpProxy(try #require(self.listener(listener).filterChains.first?.filters.last))
    }
}
