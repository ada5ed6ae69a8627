import Synchronization

/// The proxy's loggers with Envoy's names and levels, changed at run time through
/// admin `/logging` as on Envoy (`POST /logging?level=debug`,
/// `POST /logging?paths=config:debug,http:warning`). A line below its logger's
/// level costs one atomic load and builds no String.
public enum ProxyLog {
    public enum Level: Int, Sendable, CaseIterable, Comparable {
        case trace, debug, info, warning, error, critical, off

        public var name: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            case .off: "off"
            }
        }

        public init?(name: String) {
            guard let level = Self.allCases.first(where: { $0.name == name || (name == "warn" && $0 == .warning) }) else { return nil }
            self = level
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The loggers that have something to say here (Envoy's names).
    public enum Logger: Int, Sendable, CaseIterable {
        case admin, config, connection, http, main, upstream, secret

        public var name: String {
            switch self {
            case .admin: "admin"
            case .config: "config"
            case .connection: "connection"
            case .http: "http"
            case .main: "main"
            case .upstream: "upstream"
            case .secret: "secret"
            }
        }
    }

    /// Every logger's level, four bits each (one atomic for all).
    private static let levels = Atomic<UInt64>(Logger.allCases.reduce(0) { $0 | (UInt64(Level.info.rawValue) << (4 * UInt64($1.rawValue))) })

    public static func level(_ logger: Logger) -> Level {
        Level(rawValue: Int((levels.load(ordering: .relaxed) >> (4 * UInt64(logger.rawValue))) & 0xF)) ?? .info
    }

    public static func setLevel(_ level: Level, for logger: Logger? = nil) {
        var current = levels.load(ordering: .relaxed)
        while true {
            var next = current
            for candidate in Logger.allCases where logger == nil || logger == candidate {
                let shift = 4 * UInt64(candidate.rawValue)
                next = (next & ~(0xF << shift)) | (UInt64(level.rawValue) << shift)
            }
            let (exchanged, original) = levels.compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    public static func enabled(_ logger: Logger, _ level: Level) -> Bool {
        level != .off && level >= Self.level(logger)
    }

    /// Writes `[level][logger] message` to stderr when enabled.
    public static func write(_ logger: Logger, _ level: Level, _ message: @autoclosure () -> String) {
        guard enabled(logger, level) else { return }
        StandardError.write(message())
    }

    /// Envoy's `GET /logging` text.
    public static func listing() -> String {
        "active loggers:\n" + Logger.allCases.map { "  \($0.name): \(level($0).name)\n" }.joined()
    }

    /// Applies `level=` or `paths=name:level,...` from a `/logging` query; nil when
    /// the query is not understood (Envoy answers 404 with its usage text then).
    public static func apply(query: String) -> String? {
        var changed = false
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            switch parts[0] {
            case "level":
                guard let level = Level(name: parts[1]) else { return nil }
                setLevel(level)
                changed = true
            case "paths":
                for item in parts[1].split(separator: ",") {
                    let entry = item.split(separator: ":").map(String.init)
                    guard entry.count == 2, let logger = Logger.allCases.first(where: { $0.name == entry[0] }),
                          let level = Level(name: entry[1]) else { return nil }
                    setLevel(level, for: logger)
                    changed = true
                }
            default:
                guard let logger = Logger.allCases.first(where: { $0.name == parts[0] }), let level = Level(name: parts[1]) else { return nil }
                setLevel(level, for: logger)
                changed = true
            }
        }
        return changed ? listing() : nil
    }

    static let usage = "usage: /logging?<name>=<level> (change single level)\nusage: /logging?paths=name1:level1,name2:level2,... (change multiple levels)\nusage: /logging?level=<level> (change all levels)\nlevels: trace debug info warning error critical off\n"
}
