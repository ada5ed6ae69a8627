#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import ProxyCore

/// One access-log destination on one worker: lines are formatted straight into
/// a byte buffer and written with one `write(2)` when it passes 16 KiB or a
/// second after the first unwritten line (Envoy's file flush interval is 1 s),
/// so logging costs no syscall per request. Event-loop confined.
final class AccessLogSink {
    let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let eventLoop: any EventLoop
    /// Formatted lines not written yet.
    var pending: [UInt8] = []
    private var flushScheduled = false

    init?(path: String, eventLoop: any EventLoop) {
        self.path = path
        self.eventLoop = eventLoop
        switch path {
        case "/dev/stdout":
            descriptor = 1
            ownsDescriptor = false
        case "/dev/stderr":
            descriptor = 2
            ownsDescriptor = false
        default:
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return nil }
            descriptor = fd
            ownsDescriptor = true
        }
        pending.reserveCapacity(32 * 1024)
    }

    deinit {
        flush()
        if ownsDescriptor { close(descriptor) }
    }

    /// Call after appending a line to `pending`.
    func lineAdded() {
        if pending.count >= 16 * 1024 {
            flush()
        } else if !flushScheduled {
            flushScheduled = true
            eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { [weak self] in
                guard let self else { return }
                self.flushScheduled = false
                self.flush()
            }
        }
    }

    func flush() {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    break  // A full disk or closed pipe must not stop traffic: drop.
                }
                offset += written
            }
        }
        pending.removeAll(keepingCapacity: true)
    }
}

/// An access log as a listener uses it: its format and this worker's sink.
struct AccessLogRuntime {
    let format: AccessLogFormat
    let filter: AccessLogFilter?
    let sink: AccessLogSink
}
