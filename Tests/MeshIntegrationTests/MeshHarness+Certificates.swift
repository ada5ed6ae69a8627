import Foundation

extension MeshHarness {
    /// A self-signed certificate for `host` made by openssl in the harness's
    /// directory; returns (certificate path, key path).
    func makeSelfSignedCertificate(_ name: String, host: String) throws -> (String, String) {
        let certificate = directory.appendingPathComponent("\(name)-cert.pem").path
        let key = directory.appendingPathComponent("\(name)-key.pem").path
        let openssl = try launch("openssl-\(name)", "/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                                                        "-subj", "/CN=\(host)", "-addext", "subjectAltName=DNS:\(host)",
                                                                        "-keyout", key, "-out", certificate])
        openssl.waitUntilExit()
        return (certificate, key)
    }
}
