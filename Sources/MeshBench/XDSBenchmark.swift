import Foundation
import Logging
import GRPCCore
import GRPCNIOTransportHTTP2
import MeshControlPlane
import XDSAPI
import XDSServer

/// M services x N simulated ADS clients against the real control plane (in process):
/// time until every client has ACKed everything, then the same after a change, plus
/// translation time per proxy and the process's memory. Prints numbers; asserts nothing.
struct XDSBenchmark {
    let services: Int
    let clients: Int

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-xds-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try MeshGenerator.services(services).write(to: directory.appendingPathComponent("services.yaml"), atomically: true, encoding: .utf8)
        try MeshGenerator.routes(weightV1: 90).write(to: directory.appendingPathComponent("routes.yaml"), atomically: true, encoding: .utf8)
        var options = ControlPlane.Options(configDirectory: directory.path)
        options.xdsPort = 0
        options.httpPort = nil
        var logger = Logger(label: "swiftmesh.bench")
        logger.logLevel = .warning
        let controlPlane = ControlPlane(options: options, logger: logger)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let server = Task { try await controlPlane.run { port, _ in portContinuation.yield(port) } }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        print("xds: \(services) services, \(clients) ADS clients (state of the world), control plane in this process")
        let fleet = ClientFleet(port: port, count: clients)
        let start = ContinuousClock.now
        let firstSync = try await fleet.connectAndSync()
        let initial = ContinuousClock.now - start
        print("  initial sync: all \(clients) clients ACKed CDS/EDS/LDS/RDS in \(format(initial)); per client p50 \(format(firstSync.p50)), p99 \(format(firstSync.p99))")
        let changeStart = ContinuousClock.now
        try MeshGenerator.routes(weightV1: 50).write(to: directory.appendingPathComponent("routes.yaml"), atomically: true, encoding: .utf8)
        let push = try await fleet.awaitChange(since: changeStart)
        print("  change (VirtualService weights) -> ACK: p50 \(format(push.p50)), p99 \(format(push.p99)) (includes 100 ms poll + 100 ms debounce)")
        let stats = await controlPlane.translationStatsPublic()
        print("  translation: \(stats.0) proxies translated, \(String(format: "%.2f", Double(stats.1) / 1e6 / Double(max(1, stats.0)))) ms per proxy")
        print("  control plane process RSS: \(ResidentMemory.megabytes()) MiB (Istio publishes 1 vCPU + 1.5 GB for 1,000 services / 2,000 sidecars)")
        await fleet.close()
    }

    func format(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return ms >= 1000 ? String(format: "%.2f s", ms / 1000) : String(format: "%.0f ms", ms)
    }
}

enum ResidentMemory {
    static func megabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}

/// Generated services: ServiceEntry + WorkloadEntry per service, and one VirtualService.
enum MeshGenerator {
    static func services(_ count: Int) -> String {
        (0..<count).map { index in
            """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: svc-\(index), namespace: bench}
            spec:
              hosts: [svc-\(index).bench.svc.cluster.local]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{name: http, number: 9080, protocol: HTTP}]
              workloadSelector: {labels: {app: svc-\(index)}}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: svc-\(index)-v1, namespace: bench}
            spec:
              address: 10.\(index / 250 % 250).\(index % 250).1
              labels: {app: svc-\(index), version: v1}
            """
        }.joined(separator: "\n---\n")
    }

    static func routes(weightV1: Int) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: svc-0, namespace: bench}
        spec:
          hosts: [svc-0.bench.svc.cluster.local]
          http:
          - route:
            - {destination: {host: svc-0.bench.svc.cluster.local}, weight: \(weightV1)}
            - {destination: {host: svc-1.bench.svc.cluster.local}, weight: \(100 - weightV1)}
        """
    }
}
