import Foundation

/// A command-line tool the differential tests drive (curl, h2load, openssl, the
/// `.venv`'s python), run to its end: what it wrote on standard output. Its
/// standard error goes to the test's, unless `quiet` (openssl's progress dots).
enum ToolOutput {
    static func data(_ executable: String, _ arguments: [String], quiet: Bool = false) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        if quiet { process.standardError = FileHandle.nullDevice }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    static func text(_ executable: String, _ arguments: [String], quiet: Bool = false) throws -> String {
        String(decoding: try data(executable, arguments, quiet: quiet), as: UTF8.self)
    }
}
