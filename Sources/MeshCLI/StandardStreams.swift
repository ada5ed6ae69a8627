#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// stdout for results, stderr for summaries and input errors.
struct StandardStreams {
    mutating func print(_ line: String) {
        Swift.print(line)
    }

    mutating func error(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    }
}
