import Synchronization
import Testing
@testable import MeshProxy

@Suite struct StartupPageTrimTests {
    /// Shapes of /proc/self/smaps on Linux 6.x (fields trimmed to those that matter, plus a few others).
    static let smaps = """
    5581a0000000-5581a1cfd000 r-xp 00000000 fe:01 393228                     /opt/app/swiftmesh-proxy
    Size:              29684 kB
    Rss:               15400 kB
    Anonymous:             0 kB
    VmFlags: rd ex mr mw me dw
    5581a1cfe000-5581a1ddc000 r--p 01cfd000 fe:01 393228                     /opt/app/swiftmesh-proxy
    Size:                888 kB
    Rss:                 888 kB
    Anonymous:           888 kB
    VmFlags: rd mr mw me dw ac
    5581a1ddc000-5581a1f3a000 rw-p 01ddb000 fe:01 393228                     /opt/app/swiftmesh-proxy
    Rss:                1600 kB
    Anonymous:           204 kB
    VmFlags: rd wr mr mw me dw ac
    5581a2f00000-5581a3000000 rw-p 00000000 00:00 0                          [heap]
    Rss:                1024 kB
    Anonymous:          1024 kB
    VmFlags: rd wr mr mw me ac
    7f0000000000-7f00005d3000 r-xp 00000000 fe:01 1200                       /opt/swift/usr/lib/swift/linux/libswiftCore.so
    Rss:                4736 kB
    Anonymous:             0 kB
    VmFlags: rd ex mr mw me
    7f0000600000-7f0000610000 r--p 00000000 fe:01 1300                       /usr/lib/locale/C.utf8/LC_CTYPE
    Rss:                   0 kB
    Anonymous:             0 kB
    VmFlags: rd mr mw me
    7f0000700000-7f0000710000 r-xp 00000000 fe:01 1400                       /opt/app/old build/libold.so (deleted)
    Rss:                  64 kB
    Anonymous:             0 kB
    VmFlags: rd ex mr mw me
    7f0000800000-7f0000810000 r-xp 00000000 fe:01 1500                       /opt/app/locked.so
    Rss:                  64 kB
    Anonymous:             0 kB
    VmFlags: rd ex mr mw me lo
    7f0000900000-7f0000910000 r-xp 00000000 fe:01 1600                       /opt/app/patched.so
    Rss:                  64 kB
    Anonymous:             4 kB
    VmFlags: rd ex mr mw me
    7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]
    Rss:                   8 kB
    Anonymous:             0 kB
    VmFlags: rd ex mr mw me de
    """

    @Test func parsesEveryMappingWithItsFacts() {
        let mappings = StartupPageTrim.mappings(smaps: Self.smaps)
        #expect(mappings.count == 10)
        let binary = mappings[0]
        #expect(binary.start == 0x5581a000_0000 && binary.end == 0x5581a1cf_d000)
        #expect(binary.permissions == "r-xp" && binary.path == "/opt/app/swiftmesh-proxy")
        #expect(binary.residentKiB == 15400 && binary.anonymousKiB == 0 && binary.flags == ["rd", "ex", "mr", "mw", "me", "dw"])
        #expect(mappings[6].path == "/opt/app/old build/libold.so (deleted)")
        #expect(mappings[9].path == "[vdso]")
    }

    /// Only clean, read-only, file-backed pages go: relocated data, writable
    /// data, the heap, locked or patched mappings and vanished files stay.
    @Test func dropsOnlyCleanReadOnlyFilePages() {
        let dropped = StartupPageTrim.droppable(smaps: Self.smaps).map(\.path)
        #expect(dropped == ["/opt/app/swiftmesh-proxy", "/opt/swift/usr/lib/swift/linux/libswiftCore.so"])
    }

    @Test func skipsLinesItDoesNotKnow() {
        let text = "garbage\nRss: 12 kB\n00400000-00500000 r-xp 00000000 fe:01 1 /bin/x\nRss:  8 kB\nAnonymous: 0 kB\nnonsense line here\n"
        let mappings = StartupPageTrim.mappings(smaps: text)
        #expect(mappings.map(\.path) == ["/bin/x"])
        #expect(mappings.first?.residentKiB == 8)
    }

    /// The real thing on this process: pages go, the code they held still runs.
    @Test func trimsThisProcessAndKeepsRunning() throws {
        try #require(!StartupPageTrim.isTraced(), "a debugger is attached: the trim declines by design")
        let outcome = try #require(StartupPageTrim.trimOwnProcess())
        #expect(outcome.mappings > 0 && outcome.residentKiB > 0 && outcome.failures == 0)
        // Code and constant tables fault back in from the page cache.
        #expect(StartupPageTrim.mappings(smaps: Self.smaps).count == 10)
    }

    @Test func schedulerTrimsOnceAfterABurst() async throws {
        let count = Counter()
        let scheduler = StartupPageTrim.Scheduler(delay: .milliseconds(200)) { count.increment() }
        for _ in 0..<5 {
            scheduler.configApplied()
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(count.value == 0)
        try await Task.sleep(for: .milliseconds(600))
        #expect(count.value == 1)
        scheduler.configApplied()
        scheduler.cancel()
        try await Task.sleep(for: .milliseconds(400))
        #expect(count.value == 1)
    }
}

private final class Counter: Sendable {
    private let storage = Mutex(0)
    var value: Int { storage.withLock { $0 } }
    func increment() { storage.withLock { $0 += 1 } }
}
