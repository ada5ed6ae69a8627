import Foundation
import Logging
import GRPCCore
import GRPCNIOTransportHTTP2
import MeshControlPlane
import XDSAPI
import XDSServer

/// M services x N simulated ADS clients against the real control plane, run as
/// its own process (`swiftmesh control-plane`, the binary next to this one), so its
/// memory and CPU are measured apart from the clients': time until every client has
/// ACKed everything, then the same after a change, translation time per proxy
/// scope, and the control plane's RSS and CPU. Prints numbers; asserts nothing.
struct XDSBenchmark {
    let services: Int
    let clients: Int

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-xds-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try MeshGenerator.services(services).write(to: config.appendingPathComponent("services.yaml"), atomically: true, encoding: .utf8)
        try MeshGenerator.routes(weightV1: 90).write(to: config.appendingPathComponent("routes.yaml"), atomically: true, encoding: .utf8)
        let controlPlane = try ControlPlaneProcess(config: config.path, log: directory.appendingPathComponent("control-plane.log"))
        defer { controlPlane.stop() }
        let idle = controlPlane.usage()
        print("xds: \(services) services, \(clients) ADS clients (state of the world); control plane = `swiftmesh control-plane` (pid \(controlPlane.pid)), clients in this process")
        print("  control plane after loading the config: RSS \(idle.rssMiB) MiB, CPU \(format(seconds: idle.cpuSeconds))")
        let fleet = ClientFleet(port: controlPlane.xdsPort, count: clients)
        let start = ContinuousClock.now
        let firstSync = try await fleet.connectAndSync()
        let initial = ContinuousClock.now - start
        let synced = controlPlane.usage()
        print("  initial sync: all \(clients) clients ACKed CDS/EDS/LDS/RDS in \(format(initial)); per client p50 \(format(firstSync.p50)), p99 \(format(firstSync.p99))")
        print("    control plane CPU for it: \(format(seconds: synced.cpuSeconds - idle.cpuSeconds)); RSS \(synced.rssMiB) MiB")
        let changeStart = ContinuousClock.now
        try MeshGenerator.routes(weightV1: 50).write(to: config.appendingPathComponent("routes.yaml"), atomically: true, encoding: .utf8)
        let push = try await fleet.awaitChange(since: changeStart)
        let changed = controlPlane.usage()
        print("  change (VirtualService weights) -> ACK by all: p50 \(format(push.p50)), p99 \(format(push.p99)) (includes up to 100 ms poll + 100 ms debounce)")
        print("    control plane CPU for it: \(format(seconds: changed.cpuSeconds - synced.cpuSeconds)); RSS \(changed.rssMiB) MiB, peak \(changed.peakMiB) MiB")
        let metrics = controlPlane.metrics()
        let translations = metrics["swiftmesh_translations_total"] ?? 0
        let seconds = metrics["swiftmesh_translation_seconds_total"] ?? 0
        print("  translation: \(Int(translations)) proxy scopes translated, \(String(format: "%.1f", seconds * 1000 / max(1, translations))) ms each")
        print("  Istio's published reference for 1,000 services / 2,000 sidecars: 1 vCPU, 1.5 GB")
        await fleet.close()
    }

    func format(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return ms >= 1000 ? String(format: "%.2f s", ms / 1000) : String(format: "%.0f ms", ms)
    }

    func format(seconds: Double) -> String { String(format: "%.2f s", seconds) }
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
