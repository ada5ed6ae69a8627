import Foundation
import NIOCore
import NIOPosix

/// A raw TCP upstream answering with "TAG|" and then every byte it receives, so
/// a client sees which chain's cluster its connection reached and that the bytes
/// went through unchanged.
final class TaggedUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let tag: String
    private var answered = false

    init(tag: String) { self.tag = tag }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !answered {
            answered = true
            context.write(wrapOutboundOut(ByteBuffer(string: tag + "|")), promise: nil)
        }
        context.writeAndFlush(data, promise: nil)
    }
}

enum TaggedUpstream {
    static func start(group: any EventLoopGroup, tag: String) async throws -> any Channel {
        try await LoopbackServer.start(group: group) { TaggedUpstreamHandler(tag: tag) }
    }

    /// Sends `bytes` on a fresh connection and names what came back: the tag when
    /// the upstream echoed the bytes unchanged, "closed" when nothing came.
    static func exchange(_ bytes: [UInt8], port: Int) throws -> String {
        guard let fd = LoopbackSocket.connect(port: port, receiveTimeoutSeconds: 3) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let bar = received.firstIndex(of: UInt8(ascii: "|")), received.count >= bar + 1 + bytes.count { break }
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        guard let bar = received.firstIndex(of: UInt8(ascii: "|")) else { return received.isEmpty ? "closed" : "garbled" }
        let tag = String(decoding: received[..<bar], as: UTF8.self)
        return Array(received[(bar + 1)...]) == bytes ? tag : "\(tag) (bytes changed)"
    }
}
