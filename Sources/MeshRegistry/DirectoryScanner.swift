#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MeshConfig

/// Watches a config directory by polling: cheap (a stat per file), portable, and
/// reliable for editors that replace files. A scan is a value; `changes(since:)`
/// says which files to (re)read and which are gone.
public struct DirectoryScan: Sendable, Equatable {
    public struct Fingerprint: Sendable, Equatable {
        var size: Int
        var modifiedNanoseconds: Int
        var inode: UInt64
    }

    public private(set) var files: [String: Fingerprint] = [:]

    public init() {}

    public static func scan(_ directory: String) -> DirectoryScan {
        var result = DirectoryScan()
        for path in ConfigInputReader.listFiles(in: directory) {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            #if canImport(Glibc)
            let modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
            #else
            let modified = Int(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int(info.st_mtimespec.tv_nsec)
            #endif
            result.files[path] = Fingerprint(size: Int(info.st_size), modifiedNanoseconds: modified, inode: UInt64(info.st_ino))
        }
        return result
    }

    /// Files added or modified since `previous`, and files removed.
    public func changes(since previous: DirectoryScan) -> (changed: [String], removed: [String]) {
        let changed = files.filter { previous.files[$0.key] != $0.value }.keys.sorted()
        let removed = previous.files.keys.filter { files[$0] == nil }.sorted()
        return (changed, removed)
    }
}
