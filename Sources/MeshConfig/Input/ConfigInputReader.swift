#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads config inputs: files, directories (recursively: .yaml, .yml, .json) and
/// stdin (`-`). Returns raw bytes; parsing is the DocumentParser's job.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

public enum ConfigInputReader {
    public struct Input: Sendable {
        public var name: String
        public var bytes: [UInt8]
    }

    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public static let extensions = [".yaml", ".yml", ".json"]

    /// Expands paths to files in a stable (sorted) order.
    public static func read(paths: [String]) -> (inputs: [Input], errors: [ReadError]) {
        var inputs: [Input] = []
        var errors: [ReadError] = []
        for path in paths {
            if path == "-" {
                inputs.append(Input(name: "<stdin>", bytes: readAll(fd: 0)))
                continue
            }
            switch fileType(path) {
            case .directory:
                for file in listFiles(in: path) {
                    if let bytes = readFile(file) { inputs.append(Input(name: file, bytes: bytes)) }
                    else { errors.append(ReadError(path: file, message: "cannot read file")) }
                }
            case .file:
                if let bytes = readFile(path) { inputs.append(Input(name: path, bytes: bytes)) }
                else { errors.append(ReadError(path: path, message: "cannot read file")) }
            case .missing:
                errors.append(ReadError(path: path, message: "no such file or directory"))
            }
        }
        return (inputs, errors)
    }

    enum FileType { case file, directory, missing }

    static func fileType(_ path: String) -> FileType {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// Config files under `directory`, recursively, sorted; hidden entries skipped.
    public static func listFiles(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var files: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let full = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            switch fileType(full) {
            case .directory: files.append(contentsOf: listFiles(in: full))
            case .file where extensions.contains(where: { name.hasSuffix($0) }): files.append(full)
            default: break
            }
        }
        return files.sorted()
    }

    public static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd: fd)
    }

    static func readAll(fd: Int32) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }
}
