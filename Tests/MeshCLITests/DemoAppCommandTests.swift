import Foundation
import Testing

/// `swiftmesh demo-app` as a process: the listening line, answers, clean exit on
/// SIGTERM/SIGINT. (The HTTP behaviour itself is tested in MeshDemoAppTests.)
@Suite(.enabled(if: DemoAppRegistration.registered, "demo-app is not registered in SwiftMeshCommand yet"))
struct DemoAppCommandTests {
    static let curl = ["/usr/bin/curl", "/usr/local/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Starts demo-app and reads its first stdout line; returns the process and the port.
    func launch(_ arguments: [String]) throws -> (Process, Int, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["demo-app"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break } // the process ended
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let port = Int(text.split(separator: ":").last ?? "") ?? 0
        return (process, port, text)
    }

    func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.curl!)
        process.arguments = ["-sS", "-i"] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func servesAndExitsCleanlyOnSIGTERM() throws {
        let (process, port, line) = try launch(["--service", "ratings", "--version", "v9", "--listen", "127.0.0.1:0", "--instance", "pod-7"])
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        #expect(line == "demo-app ratings v=v9 listening on 127.0.0.1:\(port)")
        #expect(port > 0)
        if Self.curl != nil {
            let h1 = try curl(["-H", "x-request-id: cli-1", "http://127.0.0.1:\(port)/ratings/0"])
            #expect(h1.hasPrefix("HTTP/1.1 200"), "\(h1)")
            #expect(h1.contains("x-served-by: ratings-v9"))
            #expect(h1.contains(#""instance":"pod-7""#))
            #expect(h1.contains(#""x-request-id":"cli-1""#))
            let h2 = try curl(["--http2-prior-knowledge", "http://127.0.0.1:\(port)/status/418"])
            #expect(h2.hasPrefix("HTTP/2 418"), "\(h2)")
        }
        process.terminate() // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test func exitsCleanlyOnSIGINT() throws {
        let (process, port, _) = try launch(["--service", "a", "--version", "v1", "--listen", "127.0.0.1:0"])
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        #expect(port > 0)
        process.interrupt() // SIGINT
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test func rejectsBadOptions() throws {
        let result = try CommandRunner.run(["demo-app", "--service", "a", "--version", "v1", "--listen", "127.0.0.1:0", "--delay", "5"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--delay"))
        let missing = try CommandRunner.run(["demo-app", "--service", "a"])
        #expect(missing.status == 64)
    }
}

enum DemoAppRegistration {
    static let registered: Bool = (try? CommandRunner.run(["--help"]).stdout.contains("demo-app")) ?? false
}
