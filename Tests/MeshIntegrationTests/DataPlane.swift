import Testing

/// Which proxy runs as sidecar and gateway in an integration scenario. Every
/// scenario of the control-plane issue runs on both with identical config, so the
/// client-visible results of stock Envoy and our proxy are held to the same checks.
enum DataPlane: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case envoy
    case swift

    var testDescription: String { rawValue }

    /// Runs `body`; on our proxy, failures are recorded as a known gap (`reason`)
    /// until the feature lands there. The gap must really fail: once it passes,
    /// Swift Testing reports the stale marker and it has to go.
    func gap(_ reason: Comment, on planes: Set<DataPlane> = [.swift], _ body: () throws -> Void) throws {
        if planes.contains(self) {
            withKnownIssue(reason) { try body() }
        } else {
            try body()
        }
    }
}
