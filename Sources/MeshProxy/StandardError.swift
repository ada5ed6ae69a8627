#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Log lines to stderr, unbuffered, without Foundation.
package enum StandardError {
    @Sendable package static func write(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { buffer in _ = Glibc.write(2, buffer.baseAddress, buffer.count) }
    }
}
