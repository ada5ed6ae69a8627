#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StartupPageTrim {
    /// What one trim handed back.
    public struct Outcome: Sendable, Equatable {
        public var mappings = 0
        public var residentKiB = 0
        public var failures = 0
    }

    /// Set (to anything) to keep every page mapped (comparisons, debugging).
    public static let disableVariable = "SWIFTMESH_PROXY_KEEP_STARTUP_PAGES"

    /// Unmaps this process's droppable pages and returns the malloc arenas' free
    /// pages. Skipped under a debugger (its breakpoints are private copies
    /// written after smaps was read) and when disabled.
    @discardableResult
    public static func trimOwnProcess() -> Outcome? {
        #if os(Linux)
        guard getenv(disableVariable) == nil, !isTraced() else { return nil }
        guard let text = try? FileReader.read("/proc/self/smaps") else { return nil }
        var outcome = Outcome()
        for mapping in droppable(smaps: text) {
            let length = Int(mapping.end - mapping.start)
            if madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), length, MADV_DONTNEED) == 0 {
                outcome.mappings += 1
                outcome.residentKiB += mapping.residentKiB
            } else {
                outcome.failures += 1
            }
        }
        _ = glibcMallocTrim(0)
        return outcome
        #else
        return nil
        #endif
    }

    /// `TracerPid:` in /proc/self/status is not 0 while a debugger is attached.
    static func isTraced() -> Bool {
        guard let status = try? FileReader.read("/proc/self/status") else { return true }
        for line in status.split(separator: "\n") where line.hasPrefix("TracerPid:") {
            return line.dropFirst("TracerPid:".count).drop(while: { $0 == " " || $0 == "\t" }) != "0"
        }
        return false
    }
}

#if os(Linux)
/// glibc's malloc_trim (malloc.h is not in the Glibc module): returns the free
/// pages of every arena to the kernel, not only the top of the main heap.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
