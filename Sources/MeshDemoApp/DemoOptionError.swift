/// A bad demo-app option, with a message meant for the command line.
public struct DemoOptionError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
