import Foundation
import MeshDemoApp
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix

/// One parsed answer, from either protocol.
struct TestResponse: Sendable {
    var status: Int
    /// Lower-case names; repeated fields joined with ", ".
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> JSONValue { try JSONParser.parse(body) }
}

enum TestClientError: Error { case timedOut, malformed(String) }

/// Starts a server for the duration of `body` and always shuts it down.
func withDemoServer<T>(_ options: DemoAppOptions, _ body: (DemoAppServer) async throws -> T) async throws -> T {
    let server = try await DemoAppServer.start(options)
    do {
        let result = try await body(server)
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

func demoOptions(_ service: String = "reviews", _ version: String = "v1", calls: [String] = [], delay: String? = nil, failRatio: Double = 0, failStatus: Int = 503, dead: Bool = false, instance: String? = nil) throws -> DemoAppOptions {
    try DemoAppOptions(service: service, version: version, listen: "127.0.0.1:0", instance: instance, calls: calls, delay: delay, failRatio: failRatio, failStatus: failStatus, dead: dead)
}

// MARK: HTTP/1.1 over a raw socket

/// Sends raw bytes and reads everything until the server closes the connection.
enum RawTCPClient {
    static func exchange(port: Int, send: String, timeout: TimeAmount = .seconds(10)) async throws -> [UInt8] {
        let group = MultiThreadedEventLoopGroup.singleton
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: [UInt8].self)
        let timer = eventLoop.scheduleTask(in: timeout) { promise.fail(TestClientError.timedOut) }
        let channel = try await ClientBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ReadAllHandler(promise: promise)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        channel.writeAndFlush(channel.allocator.buffer(string: send), promise: nil)
        defer { timer.cancel(); channel.close(promise: nil) }
        return try await promise.futureResult.get()
    }

    final class ReadAllHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<[UInt8]>
        var bytes: [UInt8] = []
        init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            bytes.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        }
        func channelInactive(context: ChannelHandlerContext) { promise.succeed(bytes) }
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // A reset after the data still counts as the end of the stream.
            promise.succeed(bytes)
            context.close(promise: nil)
        }
    }

    /// Splits a byte stream into HTTP/1.1 responses framed by Content-Length (or with
    /// no body for 204/304 and answers to HEAD, when `bodyless` says so).
    static func parseResponses(_ bytes: [UInt8], bodyless: Bool = false) throws -> [TestResponse] {
        var responses: [TestResponse] = []
        var rest = bytes[...]
        let separator = Array("\r\n\r\n".utf8)
        while !rest.isEmpty {
            guard let end = rest.firstRange(of: separator) else { throw TestClientError.malformed(String(decoding: rest, as: UTF8.self)) }
            let lines = String(decoding: rest[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            let statusParts = lines[0].split(separator: " ")
            guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestClientError.malformed(lines[0]) }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers[name] = headers[name].map { $0 + ", " + value } ?? value
            }
            rest = rest[end.upperBound...]
            var length = Int(headers["content-length"] ?? "0") ?? 0
            if bodyless || status == 204 || status == 304 { length = 0 }
            guard rest.count >= length else { throw TestClientError.malformed("short body") }
            responses.append(TestResponse(status: status, headers: headers, body: Array(rest.prefix(length))))
            rest = rest.dropFirst(length)
        }
        return responses
    }

    /// One request on its own connection.
    static func request(port: Int, method: String = "GET", path: String, headers: [(String, String)] = []) async throws -> TestResponse {
        var text = "\(method) \(path) HTTP/1.1\r\nhost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "connection: close\r\n\r\n"
        let responses = try parseResponses(try await exchange(port: port, send: text), bodyless: method == "HEAD")
        guard responses.count == 1 else { throw TestClientError.malformed("expected one response, got \(responses.count)") }
        return responses[0]
    }
}

// MARK: HTTP/2 with prior knowledge (NIO's client pipeline)

enum H2Client {
    /// Sends the requests as concurrent streams on one connection.
    static func requests(port: Int, _ requests: [(method: String, path: String, headers: [(String, String)])], timeout: TimeAmount = .seconds(10)) async throws -> [TestResponse] {
        let group = MultiThreadedEventLoopGroup.singleton
        let (channel, multiplexer) = try await ClientBootstrap(group: group)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let multiplexer = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .client, connectionConfiguration: .init(), streamConfiguration: .init()
                    ) { stream in stream.eventLoop.makeSucceededVoidFuture() }
                    return (channel, multiplexer)
                }
            }
        defer { channel.close(promise: nil) }
        var futures: [EventLoopFuture<TestResponse>] = []
        for request in requests {
            let promise = channel.eventLoop.makePromise(of: TestResponse.self)
            let timer = channel.eventLoop.scheduleTask(in: timeout) { promise.fail(TestClientError.timedOut) }
            promise.futureResult.whenComplete { _ in timer.cancel() }
            let stream = try await multiplexer.createStreamChannel { stream in
                stream.eventLoop.makeCompletedFuture { try stream.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise)) }
            }.get()
            var fields = HPACKHeaders([(":method", request.method), (":scheme", "http"), (":authority", "127.0.0.1:\(port)"), (":path", request.path)])
            for (name, value) in request.headers { fields.add(name: name, value: value) }
            stream.writeAndFlush(HTTP2Frame.FramePayload.headers(.init(headers: fields, endStream: true)), promise: nil)
            futures.append(promise.futureResult)
        }
        var responses: [TestResponse] = []
        for future in futures { responses.append(try await future.get()) }
        return responses
    }

    static func get(port: Int, path: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await requests(port: port, [(method: "GET", path: path, headers: headers)])[0]
    }

    final class ResponseCollector: ChannelInboundHandler {
        typealias InboundIn = HTTP2Frame.FramePayload
        let promise: EventLoopPromise<TestResponse>
        var response = TestResponse(status: 0, headers: [:], body: [])
        init(promise: EventLoopPromise<TestResponse>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .headers(let frame):
                for (name, value, _) in frame.headers {
                    if name == ":status" { response.status = Int(value) ?? -1 } else {
                        response.headers[name] = response.headers[name].map { $0 + ", " + value } ?? value
                    }
                }
                if frame.endStream { promise.succeed(response) }
            case .data(let frame):
                if case .byteBuffer(let buffer) = frame.data { response.body.append(contentsOf: buffer.readableBytesView) }
                if frame.endStream { promise.succeed(response) }
            case .rstStream(let code):
                promise.fail(TestClientError.malformed("stream reset: \(code)"))
            default: break
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(TestClientError.malformed("stream closed early"))
        }
    }
}

// MARK: curl (interop with another HTTP/2 implementation)

enum Curl {
    static let path = ["/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { path != nil }

    /// Runs curl and returns its exit status, stdout and stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
