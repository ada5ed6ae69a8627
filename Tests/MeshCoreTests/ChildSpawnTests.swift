#if canImport(Glibc)
import Glibc
#endif
import MeshCore
import Testing

@Suite struct ChildSpawnTests {
    static func temporaryPath(_ name: String) -> String {
        "/tmp/childspawn-\(getpid())-\(name)"
    }

    static func read(_ path: String) -> String {
        guard let file = fopen(path, "r") else { return "" }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func mask(_ field: String, _ status: String) -> UInt64 {
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
        return UInt64(line.dropFirst(field.count + 1).drop(while: { $0 == "\t" || $0 == " " }), radix: 16) ?? .max
    }

    /// A parent that blocks and ignores SIGTERM (as our processes do to handle it
    /// themselves) still gets a child that stops on TERM.
    @Test func childStartsWithEmptyMaskAndDefaultActions() throws {
        let log = Self.temporaryPath("mask")
        defer { unlink(log) }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        let previousAction = signal(SIGHUP, SIG_IGN)
        defer {
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            signal(SIGHUP, previousAction)
        }
        var spawn = ChildSpawn("/bin/sh", ["-c", "grep -E '^(SigBlk|SigIgn):' /proc/self/status; echo to-stderr >&2"])
        spawn.standardOutput = .file(log)
        spawn.standardError = .standardOutput
        let pid = try spawn.spawn()
        #expect(ChildSpawn.shellStatus(ChildSpawn.waitForExit(of: pid)) == 0)
        let output = Self.read(log)
        // Bit n-1 stands for signal n; glibc's internal real-time signals may show.
        let parentSignals: UInt64 = 1 << UInt64(SIGHUP - 1) | 1 << UInt64(SIGTERM - 1)
        #expect(Self.mask("SigBlk", output) & parentSignals == 0)
        #expect(Self.mask("SigIgn", output) & parentSignals == 0)
        #expect(output.contains("to-stderr"))
    }

    @Test func stopEndsAChildWithTermAndReapsIt() throws {
        var spawn = ChildSpawn("/bin/sleep", ["30"])
        spawn.newProcessGroup = true
        let pid = try spawn.spawn()
        #expect(getpgid(pid) == pid)
        #expect(ChildSpawn.exitStatus(of: pid) == nil)
        let status = ChildSpawn.stop(pid, grace: .seconds(5))
        #expect(ChildSpawn.shellStatus(status) == 128 + SIGTERM)
        #expect(ChildSpawn.exitStatus(of: pid) == -1)
    }

    @Test func stopKillsAChildThatIgnoresTerm() throws {
        let pid = try ChildSpawn("/bin/sh", ["-c", "trap '' TERM; while :; do sleep 0.05; done"]).spawn()
        usleep(200_000)
        let status = ChildSpawn.stop(pid, grace: .milliseconds(300))
        #expect(ChildSpawn.shellStatus(status) == 128 + SIGKILL)
    }

    @Test func environmentAndExitCodeReachTheCaller() throws {
        let log = Self.temporaryPath("env")
        defer { unlink(log) }
        var spawn = ChildSpawn("/bin/sh", ["-c", "echo \"$GREETING\"; exit 3"])
        spawn.environment = ["GREETING=hello", "PATH=/usr/bin:/bin"]
        spawn.standardOutput = .file(log)
        spawn.standardInput = .null
        let pid = try spawn.spawn()
        #expect(ChildSpawn.shellStatus(ChildSpawn.waitForExit(of: pid)) == 3)
        #expect(Self.read(log) == "hello\n")
    }

    @Test func aMissingExecutableIsAnErrorNamingIt() {
        #expect(throws: ChildSpawn.SpawnError.self) { try ChildSpawn("/nonexistent/binary").spawn() }
        do {
            _ = try ChildSpawn("/nonexistent/binary").spawn()
        } catch {
            #expect(error.description.contains("/nonexistent/binary"))
        }
    }
}
