#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProxyCore

extension WorkerRuntime {
    /// `date: <now>\r\n` for a response written at monotonic time `now` (ns); the
    /// wall clock is read once a second.
    func dateLine(now: UInt64) -> [UInt8] {
        dateCache.line(now: now) {
            var wall = timespec()
            clock_gettime(CLOCK_REALTIME, &wall)
            return (Int64(wall.tv_sec), Int64(wall.tv_nsec))
        }
    }
}
