#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `swiftmesh-bench`: benchmark commands that print numbers (never timed tests);
/// build with scripts/build-release.sh first.
///   .build/release/swiftmesh-bench validate [--objects N] [--rounds R]
///   .build/release/swiftmesh-bench xds [--services 1000] [--clients 2000]
///   .build/release/swiftmesh-bench proxy [--quick] [--harness PATH] [--targets LIST]
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
        if arguments.contains("--help") || arguments.contains("-h") || command == "--help" || command == "-h" { usage(status: 0) }
        switch command {
        case "validate":
            let flags = try BenchFlags(arguments, values: ["--objects", "--rounds"])
            ValidateBenchmark(objects: try flags.integer("--objects") ?? 10_000, rounds: try flags.integer("--rounds") ?? 5).run()
        case "xds":
            let flags = try BenchFlags(arguments, values: ["--services", "--clients"])
            try await XDSBenchmark(services: try flags.integer("--services") ?? 1_000, clients: try flags.integer("--clients") ?? 2_000).run()
        case "proxy":
            let flags = try BenchFlags(arguments, values: ["--harness", "--targets"], switches: ["--quick"])
            try ProxyBenchmark(harness: flags.values["--harness"] ?? "../shared/bench/proxy-bench.sh",
                               quick: flags.switches.contains("--quick"),
                               targets: flags.values["--targets"] ?? "direct,envoy,nginx").run()
        default:
            print("swiftmesh-bench: unknown command '\(command)'")
            usage()
        }
    }

    static func usage(status: Int32 = 2) -> Never {
        print("usage: swiftmesh-bench validate [--objects N] [--rounds R]")
        print("       swiftmesh-bench xds [--services M] [--clients N]")
        print("       swiftmesh-bench proxy [--quick] [--harness PATH] [--targets direct,envoy,nginx]")
        exit(status)
    }
}
