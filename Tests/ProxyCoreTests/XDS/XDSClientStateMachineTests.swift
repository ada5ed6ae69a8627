import Testing
@testable import ProxyCore

@Suite struct XDSClientStateMachineTests {
    let cds = XDSTypeURL.cluster, eds = XDSTypeURL.endpoint, lds = XDSTypeURL.listener, rds = XDSTypeURL.route

    func sotw(_ out: [XDSOutgoing]) -> [XDSRequest] {
        out.compactMap { if case .sotw(let r) = $0 { r } else { nil } }
    }

    func delta(_ out: [XDSOutgoing]) -> [XDSDeltaRequest] {
        out.compactMap { if case .delta(let r) = $0 { r } else { nil } }
    }

    @Test func warmingSendsListenersOnlyAfterClustersAndEndpoints() {
        var client = XDSClientStateMachine(mode: .stateOfTheWorld)
        #expect(client.subscribe(lds, names: nil).isEmpty)   // not connected yet
        _ = client.subscribe(cds, names: nil)
        let first = sotw(client.connected())
        #expect(first.map(\.typeURL) == [cds])
        #expect(first[0].includeNode && first[0].versionInfo == "" && first[0].responseNonce == "")

        // The proxy parses CDS, subscribes the EDS names it found, then accepts CDS.
        let edsRequest = sotw(client.subscribe(eds, names: ["outbound|80||a", "outbound|80||b"]))
        #expect(edsRequest.map(\.resourceNames) == [["outbound|80||a", "outbound|80||b"]])
        #expect(!edsRequest[0].includeNode)
        let cdsAck = sotw(client.accept(XDSResponse(typeURL: cds, versionInfo: "v1", nonce: "n1", resourceNames: ["a", "b"])))
        #expect(cdsAck.count == 1)
        #expect(cdsAck[0].versionInfo == "v1" && cdsAck[0].responseNonce == "n1" && cdsAck[0].errorMessage == nil)

        let partial = sotw(client.accept(XDSResponse(typeURL: eds, versionInfo: "e1", nonce: "n2",
                                                     resourceNames: ["outbound|80||a"])))
        #expect(partial.map(\.typeURL) == [eds])
        #expect(!client.clustersWarm)
        let warm = sotw(client.accept(XDSResponse(typeURL: eds, versionInfo: "e2", nonce: "n3",
                                                  resourceNames: ["outbound|80||b"])))
        #expect(warm.map(\.typeURL) == [eds, lds])
        #expect(client.initialWarmingDone)
    }

    @Test func nackCarriesPreviousVersionAndError() {
        var client = XDSClientStateMachine(mode: .stateOfTheWorld)
        _ = client.subscribe(cds, names: nil)
        _ = client.connected()
        _ = client.accept(XDSResponse(typeURL: cds, versionInfo: "v1", nonce: "n1", resourceNames: []))
        let nack = sotw(client.reject(XDSResponse(typeURL: cds, versionInfo: "v2", nonce: "n2", resourceNames: []),
                                      error: "cluster x: unsupported lb_policy"))
        #expect(nack.first == XDSRequest(typeURL: cds, versionInfo: "v1", resourceNames: [], responseNonce: "n2",
                                         errorMessage: "cluster x: unsupported lb_policy", includeNode: false))
        #expect(client.acceptedVersion(cds) == "v1")
        #expect(client.lastNonce(cds) == "n2")
    }

    @Test func subscriptionChangesCarryVersionAndLatestNonce() {
        var client = XDSClientStateMachine(mode: .stateOfTheWorld)
        _ = client.subscribe(cds, names: nil)
        _ = client.connected()
        _ = client.subscribe(eds, names: ["a"])
        _ = client.accept(XDSResponse(typeURL: eds, versionInfo: "e1", nonce: "n5", resourceNames: ["a"]))
        let change = sotw(client.subscribe(eds, names: ["a", "b"]))
        #expect(change == [XDSRequest(typeURL: eds, versionInfo: "e1", resourceNames: ["a", "b"], responseNonce: "n5",
                                      errorMessage: nil, includeNode: false)])
        #expect(client.subscribe(eds, names: ["b", "a"]).isEmpty)
    }

    @Test func reconnectReRequestsWithLastVersions() {
        var client = XDSClientStateMachine(mode: .stateOfTheWorld)
        _ = client.subscribe(cds, names: nil)
        _ = client.subscribe(lds, names: nil)
        _ = client.connected()
        _ = client.accept(XDSResponse(typeURL: cds, versionInfo: "c7", nonce: "n1", resourceNames: []))
        _ = client.accept(XDSResponse(typeURL: lds, versionInfo: "l3", nonce: "n2", resourceNames: []))
        var random = SplitMix64(seed: 1)
        _ = client.disconnected(random: &random)
        let again = sotw(client.connected())
        #expect(again.map(\.typeURL) == [cds, lds])
        #expect(again.map(\.versionInfo) == ["c7", "l3"])
        #expect(again.map(\.responseNonce) == ["", ""])
        #expect(again.map(\.includeNode) == [true, false])
    }

    @Test func reconnectBackoffIsJitteredExponential() {
        var client = XDSClientStateMachine(mode: .stateOfTheWorld)
        var random = ScriptedRandom([UInt64.max])
        let delays = (0..<8).map { _ in client.disconnected(random: &random) }
        let ceilings: [UInt64] = [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]
        #expect(delays == ceilings.map { Int64(UInt64.max % $0) })
        _ = client.subscribe(cds, names: nil)
        _ = client.connected()
        _ = client.accept(XDSResponse(typeURL: cds, versionInfo: "1", nonce: "a", resourceNames: []))
        #expect(client.disconnected(random: &random) == Int64(UInt64.max % 500))
    }

    @Test func initialFetchTimeoutReleasesListeners() {
        var client = XDSClientStateMachine(mode: .stateOfTheWorld)
        _ = client.subscribe(cds, names: nil)
        _ = client.subscribe(lds, names: nil)
        #expect(sotw(client.connected()).map(\.typeURL) == [cds])
        #expect(sotw(client.initialFetchTimedOut()).map(\.typeURL) == [lds])
    }

    @Test func deltaSubscribesAcksAndResumesWithVersions() {
        var client = XDSClientStateMachine(mode: .delta)
        _ = client.subscribe(cds, names: nil)
        let first = delta(client.connected())
        #expect(first == [XDSDeltaRequest(typeURL: cds, resourceNamesSubscribe: [], resourceNamesUnsubscribe: [],
                                          initialResourceVersions: [:], responseNonce: "", errorMessage: nil,
                                          includeNode: true)])
        let ack = delta(client.accept(XDSDeltaResponse(typeURL: cds, nonce: "d1",
                                                       resources: [("a", "1"), ("b", "1")])))
        #expect(ack.first?.responseNonce == "d1" && ack.first?.errorMessage == nil)
        _ = client.accept(XDSDeltaResponse(typeURL: cds, nonce: "d2", resources: [("a", "2")], removedResources: ["b"]))
        #expect(client.resourceVersions(cds) == ["a": "2"])

        let nack = delta(client.reject(XDSDeltaResponse(typeURL: cds, nonce: "d3", resources: [("a", "3")]), error: "bad"))
        #expect(nack.first?.errorMessage == "bad" && nack.first?.responseNonce == "d3")
        #expect(client.resourceVersions(cds) == ["a": "2"])

        var random = SplitMix64(seed: 1)
        _ = client.disconnected(random: &random)
        let resumed = delta(client.connected())
        #expect(resumed.first?.initialResourceVersions == ["a": "2"])
    }

    @Test func deltaSendsOnlySubscriptionDifferences() {
        var client = XDSClientStateMachine(mode: .delta)
        _ = client.subscribe(cds, names: nil)
        _ = client.connected()
        let add = delta(client.subscribe(eds, names: ["a", "b"]))
        #expect(add.first?.resourceNamesSubscribe == ["a", "b"])
        let change = delta(client.subscribe(eds, names: ["b", "c"]))
        #expect(change.first?.resourceNamesSubscribe == ["c"])
        #expect(change.first?.resourceNamesUnsubscribe == ["a"])
        #expect(client.subscribe(eds, names: ["c", "b"]).isEmpty)
    }
}
