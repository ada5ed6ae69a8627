/// The application protocol of a service port, as Istio decides it: the port's
/// `protocol` (ServiceEntry), `appProtocol`, or the port name's prefix (`http-web`).
public enum ServiceProtocol: String, Sendable, Hashable, CaseIterable {
    case http = "HTTP"
    case http2 = "HTTP2"
    case grpc = "GRPC"
    case grpcWeb = "GRPC-WEB"
    case https = "HTTPS"
    case tls = "TLS"
    case tcp = "TCP"
    case udp = "UDP"
    case mongo = "Mongo"
    case redis = "Redis"
    case mysql = "MySQL"
    /// Not declared: Istio sniffs; we treat it as TCP for listeners and say so.
    case unsupported = "UnsupportedProtocol"

    /// From a ServiceEntry / Gateway `protocol` value (case-insensitive).
    public init(declared value: String) {
        switch value.uppercased() {
        case "HTTP", "HTTP_PROXY": self = .http
        case "HTTP2": self = .http2
        case "GRPC": self = .grpc
        case "GRPC-WEB": self = .grpcWeb
        case "HTTPS": self = .https
        case "TLS": self = .tls
        case "TCP": self = .tcp
        case "UDP": self = .udp
        case "MONGO": self = .mongo
        case "REDIS": self = .redis
        case "MYSQL": self = .mysql
        default: self = .unsupported
        }
    }

    /// From a Kubernetes port: `appProtocol` first, then the name's prefix before `-`.
    public init(portName: String?, appProtocol: String?, transport: String?) {
        if transport?.uppercased() == "UDP" { self = .udp; return }
        if let appProtocol, !appProtocol.isEmpty {
            let value = ServiceProtocol(declared: appProtocol)
            if value != .unsupported { self = value; return }
            if appProtocol.lowercased() == "kubernetes.io/h2c" { self = .http2; return }
        }
        let name = (portName ?? "").lowercased()
        if name.hasPrefix("grpc-web") { self = .grpcWeb; return }
        let prefix = name.split(separator: "-", maxSplits: 1).first.map(String.init) ?? name
        self = ServiceProtocol(declared: prefix)
    }

    /// Served by an HTTP connection manager (routes, retries, faults...).
    public var isHTTP: Bool { self == .http || self == .http2 || self == .grpc || self == .grpcWeb }

    /// Carried over HTTP/2 upstream.
    public var isHTTP2: Bool { self == .http2 || self == .grpc || self == .grpcWeb }

    /// TLS carried end to end (routed by SNI).
    public var isTLS: Bool { self == .https || self == .tls }
}
