import ProxyCore

/// An HTTP listener's live state on one worker: its settings and the route table
/// in force (swapped when RDS changes). Event-loop confined.
final class ListenerRuntime {
    let name: String
    var http: HTTPConnectionConfig
    var routeTable: RouteTable?

    init(name: String, http: HTTPConnectionConfig, routeTable: RouteTable?) {
        self.name = name
        self.http = http
        self.routeTable = routeTable
    }
}
