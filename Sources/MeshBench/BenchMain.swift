#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `swiftmesh-bench`: benchmark commands that print numbers (never timed tests).
///   swift run -c release swiftmesh-bench validate [--objects N] [--rounds R]
///   swift run -c release swiftmesh-bench xds [--services 1000] [--clients 2000]
///   swift run -c release swiftmesh-bench proxy [--quick] [--harness PATH] [--targets LIST]
@main
enum BenchMain {
    static func main() async {
        do {
            try await run()
        } catch {
            // A benchmark that cannot run says why in one line, not with a crash report.
            print("swiftmesh-bench: \(error)")
            exit(1)
        }
    }

    static func run() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first else { usage() }
        arguments.removeFirst()
        switch command {
        case "validate":
            ValidateBenchmark(objects: option("--objects", in: arguments) ?? 10_000, rounds: option("--rounds", in: arguments) ?? 5).run()
        case "xds":
            try await XDSBenchmark(services: option("--services", in: arguments) ?? 1_000, clients: option("--clients", in: arguments) ?? 2_000).run()
        case "proxy":
            try ProxyBenchmark(harness: string("--harness", in: arguments) ?? "../shared/bench/proxy-bench.sh",
                               quick: arguments.contains("--quick"),
                               targets: string("--targets", in: arguments) ?? "direct,envoy,nginx").run()
        default:
            usage()
        }
    }

    static func option(_ name: String, in arguments: [String]) -> Int? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return Int(arguments[index + 1])
    }

    static func string(_ name: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }

    static func usage() -> Never {
        print("usage: swiftmesh-bench validate [--objects N] [--rounds R]")
        print("       swiftmesh-bench xds [--services M] [--clients N]")
        print("       swiftmesh-bench proxy [--quick] [--harness PATH] [--targets direct,envoy,nginx]")
        exit(2)
    }
}
