/// Which resident pages a ready proxy can hand back: the read-only file
/// mappings (code and constant tables of the binary, the Swift runtime, libc)
/// that no write has made private. Start-up runs a lot of code once (bootstrap
/// and xDS decoding, TLS set-up) and the kernel keeps every page it touched,
/// and 64 KiB around each fault, mapped until memory runs short. Unmapping them
/// (MADV_DONTNEED) keeps the page cache as it is; what the proxy runs afterwards
/// faults back in from it. Pure: a function of `/proc/self/smaps` text.
public enum StartupPageTrim {
    /// One mapping of `/proc/self/smaps` with the facts the choice needs.
    public struct Mapping: Equatable, Sendable {
        public var start: UInt
        public var end: UInt
        public var permissions: String
        public var path: String
        public var residentKiB: Int = 0
        /// Private copies in the mapping (written pages: relocated data, breakpoints).
        public var anonymousKiB: Int = 0
        public var flags: [String] = []

        public init(start: UInt, end: UInt, permissions: String, path: String) {
            self.start = start
            self.end = end
            self.permissions = permissions
            self.path = path
        }

        /// Unmapping loses nothing: file-backed, never writable, no private
        /// copy, not locked, and the file still there to fault back from.
        public var isDroppable: Bool {
            guard path.hasPrefix("/"), !path.hasSuffix(" (deleted)"), residentKiB > 0, anonymousKiB == 0 else { return false }
            guard permissions.count == 4, permissions.hasPrefix("r"), !permissions.contains("w") else { return false }
            return !flags.contains(where: { $0 == "lo" || $0 == "io" || $0 == "pf" || $0 == "dd" })
        }
    }

    /// Parses `/proc/PID/smaps`; lines it does not know are skipped.
    public static func mappings(smaps text: String) -> [Mapping] {
        var result: [Mapping] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if let mapping = header(line) {
                result.append(mapping)
                continue
            }
            guard !result.isEmpty else { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let key = fields.first else { continue }
            switch key {
            case "Rss:": result[result.count - 1].residentKiB = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            case "Anonymous:": result[result.count - 1].anonymousKiB = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            case "VmFlags:": result[result.count - 1].flags = fields.dropFirst().map(String.init)
            default: break
            }
        }
        return result
    }

    /// The mappings to unmap, as address ranges.
    public static func droppable(smaps text: String) -> [Mapping] {
        mappings(smaps: text).filter(\.isDroppable)
    }

    /// `start-end perms offset dev inode [path]`; nil for a field line.
    static func header(_ line: Substring) -> Mapping? {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, !fields[0].hasSuffix(":") else { return nil }
        let range = fields[0].split(separator: "-")
        guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), start < end else { return nil }
        let path = fields.count == 6 ? String(fields[5].drop(while: { $0 == " " })) : ""
        return Mapping(start: start, end: end, permissions: String(fields[1]), path: path)
    }
}
