extension XDSClientStateMachine {
    /// The request that puts a type's current subscription on the wire, or nil if it already is.
    mutating func subscriptionRequest(_ typeURL: String) -> XDSOutgoing? {
        guard var state = types[typeURL] else { return nil }
        defer { types[typeURL] = state }
        switch mode {
        case .stateOfTheWorld:
            if state.requestedOnStream && state.sentNames == state.names { return nil }
            state.requestedOnStream = true
            state.sentNames = state.names
            return .sotw(XDSRequest(
                typeURL: typeURL, versionInfo: state.acceptedVersion, resourceNames: sortedNames(state.names),
                responseNonce: state.nonce, errorMessage: nil, includeNode: takeNodeFlag()))
        case .delta:
            let wanted = state.names ?? []
            if !state.requestedOnStream {
                // First request on this stream: the full subscription plus what we already hold.
                state.requestedOnStream = true
                state.sentNames = wanted
                return .delta(XDSDeltaRequest(
                    typeURL: typeURL, resourceNamesSubscribe: wanted.sorted(), resourceNamesUnsubscribe: [],
                    initialResourceVersions: state.resourceVersions, responseNonce: "", errorMessage: nil,
                    includeNode: takeNodeFlag()))
            }
            let sent = state.sentNames ?? []
            let subscribe = wanted.subtracting(sent).sorted()
            let unsubscribe = sent.subtracting(wanted).sorted()
            guard !subscribe.isEmpty || !unsubscribe.isEmpty else { return nil }
            state.sentNames = wanted
            for name in unsubscribe {
                state.resourceVersions[name] = nil
                state.received.remove(name)
            }
            return .delta(XDSDeltaRequest(
                typeURL: typeURL, resourceNamesSubscribe: subscribe, resourceNamesUnsubscribe: unsubscribe,
                initialResourceVersions: [:], responseNonce: "", errorMessage: nil, includeNode: takeNodeFlag()))
        }
    }
}
