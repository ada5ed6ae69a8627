import SwiftProtobuf
import Testing
import XDSAPI
@testable import XDSServer

@Suite struct DeltaStreamStateMachineTests {
    func clusters(_ names: [String], timeout: Int64 = 1) -> NodeResources {
        NodeResources([TypeURL.cluster: names.map { name in
            var cluster = Envoy_Config_Cluster_V3_Cluster()
            cluster.name = name
            cluster.connectTimeout = Google_Protobuf_Duration(seconds: timeout)
            return (name, try! Google_Protobuf_Any(message: cluster))
        }])
    }

    func sent(_ actions: [DeltaStreamStateMachine.Action]) -> [Envoy_Service_Discovery_V3_DeltaDiscoveryResponse] {
        actions.compactMap { if case .send(let response) = $0 { response } else { nil } }
    }

    @Test func wildcardSubscriptionSendsOnlyDifferences() throws {
        var machine = DeltaStreamStateMachine()
        var subscribe = Envoy_Service_Discovery_V3_DeltaDiscoveryRequest()
        subscribe.typeURL = TypeURL.cluster
        let first = try #require(sent(machine.received(subscribe, resources: clusters(["a", "b"]))).first)
        #expect(first.resources.map(\.name) == ["a", "b"])
        var ack = Envoy_Service_Discovery_V3_DeltaDiscoveryRequest()
        ack.typeURL = TypeURL.cluster
        ack.responseNonce = first.nonce
        #expect(machine.received(ack, resources: clusters(["a", "b"])) == [.ack(typeURL: TypeURL.cluster, nonce: first.nonce)])
        #expect(sent(machine.resourcesChanged(clusters(["a", "b"]))).isEmpty)
        let update = try #require(sent(machine.resourcesChanged(clusters(["a", "c"]))).first)
        #expect(update.resources.map(\.name) == ["c"], "a is unchanged, so only c is sent")
        #expect(update.removedResources == ["b"])
    }

    @Test func initialVersionsAvoidResending() throws {
        var machine = DeltaStreamStateMachine()
        let resources = clusters(["a"])
        var request = Envoy_Service_Discovery_V3_DeltaDiscoveryRequest()
        request.typeURL = TypeURL.cluster
        request.initialResourceVersions = ["a": resources.version(TypeURL.cluster, name: "a")!]
        #expect(sent(machine.received(request, resources: resources)).isEmpty)
    }

    @Test func namedSubscriptionsAndUnsubscribe() throws {
        var machine = DeltaStreamStateMachine()
        var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
        assignment.clusterName = "a"
        let resources = NodeResources([TypeURL.endpoint: [("a", try Google_Protobuf_Any(message: assignment))]])
        var request = Envoy_Service_Discovery_V3_DeltaDiscoveryRequest()
        request.typeURL = TypeURL.endpoint
        request.resourceNamesSubscribe = ["a", "missing"]
        let first = try #require(sent(machine.received(request, resources: resources)).first)
        #expect(first.resources.map(\.name) == ["a"])
        var unsubscribe = Envoy_Service_Discovery_V3_DeltaDiscoveryRequest()
        unsubscribe.typeURL = TypeURL.endpoint
        unsubscribe.resourceNamesUnsubscribe = ["a"]
        unsubscribe.responseNonce = first.nonce
        _ = machine.received(unsubscribe, resources: resources)
        #expect(machine.subscriptions[TypeURL.endpoint]?.names == ["missing"])
    }
}
