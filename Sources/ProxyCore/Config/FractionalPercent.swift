/// Envoy's FractionalPercent (runtime fractions, mirror percentages): `numerator`
/// out of `denominator` (100, 10 000 or 1 000 000).
public struct FractionalPercent: Sendable, Equatable {
    public let numerator: UInt64
    public let denominator: UInt64

    public init(numerator: UInt64, denominator: UInt64) {
        self.numerator = numerator
        self.denominator = max(denominator, 1)
    }

    /// Envoy's `featureEnabled` test: the random value modulo the denominator falls
    /// below the numerator.
    public func includes(_ random: UInt64) -> Bool {
        random % denominator < numerator
    }
}
