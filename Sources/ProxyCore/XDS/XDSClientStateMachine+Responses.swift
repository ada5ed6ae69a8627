extension XDSClientStateMachine {
    /// The proxy applied a state-of-the-world response: ACK it.
    public mutating func accept(_ response: XDSResponse) -> [XDSOutgoing] {
        backoff.reset()
        var state = types[response.typeURL] ?? TypeState()
        state.acceptedVersion = response.versionInfo
        state.nonce = response.nonce
        state.answeredOnce = true
        state.received.formUnion(response.resourceNames)
        types[response.typeURL] = state
        if !subscriptionOrder.contains(response.typeURL) { subscriptionOrder.append(response.typeURL) }
        let ack = XDSOutgoing.sotw(XDSRequest(
            typeURL: response.typeURL, versionInfo: response.versionInfo, resourceNames: sortedNames(state.names),
            responseNonce: response.nonce, errorMessage: nil, includeNode: takeNodeFlag()))
        return [ack] + requestsAfterChange()
    }

    /// The proxy could not apply a response: NACK with the previous version and the reason.
    public mutating func reject(_ response: XDSResponse, error: String) -> [XDSOutgoing] {
        backoff.reset()
        var state = types[response.typeURL] ?? TypeState()
        state.nonce = response.nonce
        // A rejected first response still ends warming for that type (Envoy marks it initialised).
        state.answeredOnce = true
        types[response.typeURL] = state
        let nack = XDSOutgoing.sotw(XDSRequest(
            typeURL: response.typeURL, versionInfo: state.acceptedVersion, resourceNames: sortedNames(state.names),
            responseNonce: response.nonce, errorMessage: error, includeNode: takeNodeFlag()))
        return [nack] + requestsAfterChange()
    }

    /// The proxy applied a delta response: record versions and ACK.
    public mutating func accept(_ response: XDSDeltaResponse) -> [XDSOutgoing] {
        backoff.reset()
        var state = types[response.typeURL] ?? TypeState()
        for resource in response.resources {
            state.resourceVersions[resource.name] = resource.version
            state.received.insert(resource.name)
        }
        for name in response.removedResources {
            state.resourceVersions[name] = nil
            // A removal still answers the subscription for warming purposes.
            state.received.insert(name)
        }
        state.nonce = response.nonce
        state.answeredOnce = true
        if !response.systemVersionInfo.isEmpty { state.acceptedVersion = response.systemVersionInfo }
        types[response.typeURL] = state
        let ack = XDSOutgoing.delta(XDSDeltaRequest(
            typeURL: response.typeURL, resourceNamesSubscribe: [], resourceNamesUnsubscribe: [],
            initialResourceVersions: [:], responseNonce: response.nonce, errorMessage: nil, includeNode: takeNodeFlag()))
        return [ack] + requestsAfterChange()
    }

    /// The proxy rejected a delta response: versions stay as they were; NACK with the reason.
    public mutating func reject(_ response: XDSDeltaResponse, error: String) -> [XDSOutgoing] {
        backoff.reset()
        var state = types[response.typeURL] ?? TypeState()
        state.nonce = response.nonce
        state.answeredOnce = true
        types[response.typeURL] = state
        let nack = XDSOutgoing.delta(XDSDeltaRequest(
            typeURL: response.typeURL, resourceNamesSubscribe: [], resourceNamesUnsubscribe: [],
            initialResourceVersions: [:], responseNonce: response.nonce, errorMessage: error, includeNode: takeNodeFlag()))
        return [nack] + requestsAfterChange()
    }

    func sortedNames(_ names: Set<String>?) -> [String] { names.map { $0.sorted() } ?? [] }
}
