import NIOCore
import NIOPosix
import ProxyCore

/// A tiny HTTP/1.1 keep-alive server for loopback tests: answers every request
/// (no bodies) with 200 and the request path and headers echoed as the body.
final class TestUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var buffer: ByteBuffer?
    private var head = HTTP1RequestHead()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil { buffer = incoming } else { buffer!.writeBuffer(&incoming) }
        while var current = buffer, current.readableBytes > 0 {
            let echo: String? = current.withUnsafeReadableBytes { bytes in
                guard (try? HTTP1RequestParser().parse(bytes, into: &head)) == true else { return nil }
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[Int(head.path.start)..<head.length]), as: UTF8.self)
            }
            guard let echo else { break }
            current.moveReaderIndex(forwardBy: head.length)
            buffer = current.readableBytes > 0 ? current : nil
            let body = "echo " + echo
            context.write(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")), promise: nil)
        }
        context.flush()
    }
}

enum TestUpstream {
    static func start(group: any EventLoopGroup) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(TestUpstreamHandler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}

import NIOSSL

extension TestUpstream {
    /// The echo upstream behind TLS with `certificate`/`key`; with `clientRoots`
    /// it requires a client certificate from them.
    static func startTLS(group: any EventLoopGroup, certificate: String, key: String, clientRoots: String? = nil,
                         alpn: [String] = []) async throws -> any Channel {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        if let clientRoots {
            configuration.trustRoots = .file(clientRoots)
            configuration.certificateVerification = .noHostnameVerification
        }
        configuration.applicationProtocols = alpn
        let context = try NIOSSLContext(configuration: configuration)
        return try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.addHandler(TestUpstreamHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}
