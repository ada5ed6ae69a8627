import SwiftProtobuf
import Testing
import XDSAPI
@testable import XDSServer

@Suite struct ADSStreamStateMachineTests {
    func cluster(_ name: String, timeout: Int64 = 1) -> (name: String, resource: Google_Protobuf_Any) {
        var cluster = Envoy_Config_Cluster_V3_Cluster()
        cluster.name = name
        cluster.connectTimeout = Google_Protobuf_Duration(seconds: timeout)
        return (name, try! Google_Protobuf_Any(message: cluster))
    }

    func request(_ type: String, names: [String] = [], version: String = "", nonce: String = "", error: String? = nil) -> Envoy_Service_Discovery_V3_DiscoveryRequest {
        var request = Envoy_Service_Discovery_V3_DiscoveryRequest()
        request.typeURL = type
        request.resourceNames = names
        request.versionInfo = version
        request.responseNonce = nonce
        if let error {
            var status = Google_Rpc_Status()
            status.code = 3
            status.message = error
            request.errorDetail = status
        }
        return request
    }

    func sent(_ actions: [ADSStreamStateMachine.Action]) -> [Envoy_Service_Discovery_V3_DiscoveryResponse] {
        actions.compactMap { if case .send(let response) = $0 { response } else { nil } }
    }

    @Test func subscribeAckAndPushOnlyChanges() throws {
        var machine = ADSStreamStateMachine()
        let v1 = NodeResources([TypeURL.cluster: [cluster("a"), cluster("b")]])
        let first = try #require(sent(machine.received(request(TypeURL.cluster), resources: v1)).first)
        #expect(first.resources.count == 2)
        #expect(first.nonce == "1")
        let ack = machine.received(request(TypeURL.cluster, version: first.versionInfo, nonce: first.nonce), resources: v1)
        #expect(ack == [.ack(typeURL: TypeURL.cluster, version: first.versionInfo)])
        #expect(sent(machine.resourcesChanged(v1)).isEmpty, "unchanged content is not re-sent")
        let v2 = NodeResources([TypeURL.cluster: [cluster("a", timeout: 2), cluster("b")]])
        let push = try #require(sent(machine.resourcesChanged(v2)).first)
        #expect(push.versionInfo != first.versionInfo)
        #expect(push.nonce == "2")
    }

    /// A modified EDS cluster warms until Envoy gets endpoints again: a cluster push
    /// re-sends the (unchanged) endpoints.
    @Test func clusterPushResendsEndpoints() throws {
        var machine = ADSStreamStateMachine()
        var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
        assignment.clusterName = "a"
        let endpoints = ("a", try Google_Protobuf_Any(message: assignment))
        let v1 = NodeResources([TypeURL.cluster: [cluster("a")], TypeURL.endpoint: [endpoints]])
        let cds = try #require(sent(machine.received(request(TypeURL.cluster), resources: v1)).first)
        let eds = try #require(sent(machine.received(request(TypeURL.endpoint, names: ["a"]), resources: v1)).first)
        _ = machine.received(request(TypeURL.cluster, version: cds.versionInfo, nonce: cds.nonce), resources: v1)
        _ = machine.received(request(TypeURL.endpoint, names: ["a"], version: eds.versionInfo, nonce: eds.nonce), resources: v1)
        let v2 = NodeResources([TypeURL.cluster: [cluster("a", timeout: 2)], TypeURL.endpoint: [endpoints]])
        let pushed = sent(machine.resourcesChanged(v2))
        #expect(pushed.map(\.typeURL) == [TypeURL.cluster, TypeURL.endpoint])
        #expect(pushed.last?.versionInfo == eds.versionInfo)
        // Nothing changed: nothing sent.
        #expect(sent(machine.resourcesChanged(v2)).isEmpty)
    }

    @Test func nackIsRecordedAndNotRetriedUntilContentChanges() throws {
        var machine = ADSStreamStateMachine()
        let resources = NodeResources([TypeURL.cluster: [cluster("a")]])
        let first = try #require(sent(machine.received(request(TypeURL.cluster), resources: resources)).first)
        let actions = machine.received(request(TypeURL.cluster, nonce: first.nonce, error: "bad cluster"), resources: resources)
        #expect(actions == [.nack(typeURL: TypeURL.cluster, version: first.versionInfo, error: "bad cluster")])
        #expect(machine.subscriptions[TypeURL.cluster]?.nack == "bad cluster")
        #expect(sent(machine.resourcesChanged(resources)).isEmpty)
    }

    @Test func namedSubscriptionsGetOnlyWhatTheyAskFor() throws {
        var machine = ADSStreamStateMachine()
        var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
        assignment.clusterName = "a"
        var other = assignment
        other.clusterName = "b"
        let resources = NodeResources([TypeURL.endpoint: [("a", try Google_Protobuf_Any(message: assignment)), ("b", try Google_Protobuf_Any(message: other))]])
        let first = try #require(sent(machine.received(request(TypeURL.endpoint, names: ["a"]), resources: resources)).first)
        #expect(first.resources.count == 1)
        let wider = sent(machine.received(request(TypeURL.endpoint, names: ["a", "b"], version: first.versionInfo, nonce: first.nonce), resources: resources))
        #expect(wider.first?.resources.count == 2)
    }

    @Test func staleNoncesAreIgnored() throws {
        var machine = ADSStreamStateMachine()
        let resources = NodeResources([TypeURL.cluster: [cluster("a")]])
        _ = machine.received(request(TypeURL.cluster), resources: resources)
        #expect(machine.received(request(TypeURL.cluster, nonce: "99"), resources: resources).isEmpty)
    }
}

/// Subscribed names are canonical (sorted, unique) and, when they are all of the
/// proxy's resources, the translation's own array rather than a per-stream copy.
struct ADSSubscriptionNamesTests {
    @Test func canonicalNamesShareTheTranslationsArray() {
        let shared = ["a", "b", "c"]
        let same = ADSStreamStateMachine.canonical(["c", "a", "b", "a"], shared: shared)
        #expect(same == shared)
        same.withUnsafeBufferPointer { mine in
            shared.withUnsafeBufferPointer { theirs in #expect(mine.baseAddress == theirs.baseAddress, "shared storage, not a copy") }
        }
        #expect(ADSStreamStateMachine.canonical(["b", "x", "b"], shared: shared) == ["b", "x"])
        #expect(ADSStreamStateMachine.canonical([], shared: shared) == [])
    }
}
