import MeshSnapshot
import SwiftProtobuf
import XDSAPI
import XDSServer
import XDSTranslator

/// Translated resources per (snapshot version, proxy scope): the translator is pure, so
/// its inputs are the key, and proxies that only differ in what translation does not
/// read share one entry. Old versions are dropped when a new snapshot arrives.
actor TranslationCache {
    private var version = -1
    private var entries: [ProxyNode: NodeResources] = [:]
    /// Each proxy's cache key for this version: working it out builds the proxy's
    /// sidecar scope, too costly to repeat on every push to every stream.
    private var keys: [ProxyNode: ProxyNode] = [:]
    private(set) var translations = 0
    private(set) var translationNanoseconds: UInt64 = 0

    func resources(for proxy: ProxyNode, snapshot: MeshSnapshot, translator: XDSTranslator) -> NodeResources {
        if snapshot.version != version {
            version = snapshot.version
            entries.removeAll()
            keys.removeAll()
        }
        let key: ProxyNode
        if let known = keys[proxy] {
            key = known
        } else {
            key = translator.cacheKey(for: proxy, in: snapshot)
            keys[proxy] = key
        }
        if let cached = entries[key] { return cached }
        let start = ContinuousClock.now
        let resources = Self.pack(translator.resources(for: key, in: snapshot))
        let elapsed = ContinuousClock.now - start
        translations += 1
        translationNanoseconds += UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
        entries[key] = resources
        return resources
    }

    static func pack(_ resources: ProxyResources) -> NodeResources {
        func packed<M: SwiftProtobuf.Message>(_ items: [M], _ name: (M) -> String) -> [(name: String, resource: Google_Protobuf_Any)] {
            items.map { (name($0), try! Google_Protobuf_Any(deterministicallyPacking: $0)) }
        }
        return NodeResources([
            TypeURL.listener: packed(resources.listeners) { $0.name },
            TypeURL.route: packed(resources.routes) { $0.name },
            TypeURL.cluster: packed(resources.clusters) { $0.name },
            TypeURL.endpoint: packed(resources.endpoints) { $0.clusterName },
            TypeURL.secret: packed(resources.secrets) { $0.name },
        ])
    }
}
