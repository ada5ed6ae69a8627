import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// A TLS client for loopback tests: connects, completes the handshake, sends
/// bytes and collects what comes back until the connection goes quiet or closes.
final class TLSTestClient {
    let channel: any Channel
    private let collector: Collector
    let negotiatedProtocol: String?
    let serverCertificate: NIOSSLCertificate?

    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var received: [UInt8] = []
        var handshake: EventLoopPromise<String?>?
        /// Read when the handshake completes (the server may close right after).
        var serverCertificate: NIOSSLCertificate?

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted(let negotiated)? = event as? TLSUserEvent {
                serverCertificate = (try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self))?.peerCertificate
                handshake?.succeed(negotiated)
            }
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += Array(buffer: unwrapInboundIn(data))
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            handshake?.fail(error)
            context.close(promise: nil)
        }
        func channelInactive(context: ChannelHandlerContext) {
            handshake?.fail(ChannelError.eof)
        }
    }

    /// - Parameters: `certificate`/`key` (PEM files): the client certificate to present.
    init(group: any EventLoopGroup, port: Int, trusting roots: String, certificate: String? = nil, key: String? = nil,
         serverName: String? = "svc.example.com", alpn: [String] = ["http/1.1"]) async throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(roots)
        configuration.certificateVerification = .noHostnameVerification
        configuration.applicationProtocols = alpn
        if let certificate, let key {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        let context = try NIOSSLContext(configuration: configuration)
        let collector = Collector()
        let loop = group.next()
        let handshake = loop.makePromise(of: String?.self)
        collector.handshake = handshake
        let channel = try await ClientBootstrap(group: loop).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                try channel.pipeline.syncOperations.addHandler(collector)
            }
        }.connect(host: "127.0.0.1", port: port).get()
        self.channel = channel
        self.collector = collector
        do {
            negotiatedProtocol = try await handshake.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        serverCertificate = try await channel.eventLoop.submit { collector.serverCertificate }.get()
    }

    /// Sends `text` and waits until `complete` accepts what arrived (or 5 s, or close).
    /// With `fromStart`, what arrived before sending counts too (a server that
    /// speaks first, as HTTP/2's SETTINGS right after the handshake).
    func exchange(_ text: String, fromStart: Bool = false, until complete: @escaping (String) -> Bool = TLSTestClient.wholeResponse) async throws -> String {
        let start = fromStart ? 0 : try await channel.eventLoop.submit { self.collector.received.count }.get()
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
        for _ in 0..<500 {
            let text = try await channel.eventLoop.submit { String(decoding: self.collector.received[start...], as: UTF8.self) }.get()
            if complete(text) || !channel.isActive { return text }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await channel.eventLoop.submit { String(decoding: self.collector.received[start...], as: UTF8.self) }.get()
    }

    /// A response head with its Content-Length body complete.
    static func wholeResponse(_ text: String) -> Bool {
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return true }
        return text.utf8.count - text[..<end.upperBound].utf8.count >= length
    }

    /// Waits up to 5 s for the connection to close; true when it did.
    func closedByPeer() async -> Bool {
        for _ in 0..<500 {
            if !channel.isActive { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func close() async {
        try? await channel.close().get()
    }
}

extension TLSTestClient {
    /// Sends `text`, then its FIN (close_notify and a write shutdown), and collects
    /// what arrives until the peer closes (or 5 s).
    func sendAndHalfClose(_ text: String) async throws -> String {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
        try await channel.close(mode: .output).get()
        _ = await closedByPeer()
        return try await channel.eventLoop.submit { String(decoding: self.collector.received, as: UTF8.self) }.get()
    }
}
