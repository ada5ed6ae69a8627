import Foundation

/// Certificates made by the openssl CLI in a temporary directory: roots and
/// leaves with URI (SPIFFE) and DNS SANs, as a mesh CA would issue them.
final class TestCertificates {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A self-signed root: `NAME.pem`, `NAME.key`.
    @discardableResult
    func root(_ name: String) throws -> String {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                     "-subj", "/O=\(name)", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                     "-keyout", path("\(name).key"), "-out", path("\(name).pem")])
        return path("\(name).pem")
    }

    /// A leaf signed by `issuer` with these SANs (`URI:...`, `DNS:...`): `NAME.pem`, `NAME.key`.
    func leaf(_ name: String, issuer: String, sans: [String]) throws -> (certificate: String, key: String) {
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/O=mesh",
                     "-addext", "subjectAltName=\(sans.joined(separator: ","))", "-keyout", path("\(name).key"), "-out", path("\(name).csr")])
        try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(issuer).pem"), "-CAkey", path("\(issuer).key"),
                     "-CAcreateserial", "-days", "1", "-copy_extensions", "copyall", "-out", path("\(name).pem")])
        return (path("\(name).pem"), path("\(name).key"))
    }

    func bytes(_ file: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: file))) }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw OpenSSLFailed(arguments: arguments) }
    }

    struct OpenSSLFailed: Error { let arguments: [String] }
}
