// The few libm functions the balancers need; the C library, not Foundation.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func power(_ base: Double, _ exponent: Double) -> Double { pow(base, exponent) }
