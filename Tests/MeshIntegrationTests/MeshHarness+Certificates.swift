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

extension MeshHarness {
    /// A root CA made by openssl: (certificate path, key path).
    func makeRootCertificate(_ name: String) throws -> (String, String) {
        let certificate = directory.appendingPathComponent("\(name)-cert.pem").path
        let key = directory.appendingPathComponent("\(name)-key.pem").path
        let openssl = try launch("openssl-\(name)", "/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                                                        "-nodes", "-days", "1", "-subj", "/O=\(name)",
                                                                        "-addext", "basicConstraints=critical,CA:TRUE",
                                                                        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                                                                        "-keyout", key, "-out", certificate])
        openssl.waitUntilExit()
        return (certificate, key)
    }

    /// A leaf signed by the root `issuer` (its certificate and key paths) with
    /// these SANs (`DNS:...`, `URI:spiffe://...`): (certificate path, key path).
    func makeLeafCertificate(_ name: String, issuer: (String, String), sans: [String]) throws -> (String, String) {
        let certificate = directory.appendingPathComponent("\(name)-cert.pem").path
        let key = directory.appendingPathComponent("\(name)-key.pem").path
        let request = directory.appendingPathComponent("\(name).csr").path
        let csr = try launch("openssl-\(name)-csr", "/usr/bin/openssl", ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                                        "-subj", "/O=mesh", "-addext", "subjectAltName=\(sans.joined(separator: ","))",
                                                                        "-keyout", key, "-out", request])
        csr.waitUntilExit()
        let sign = try launch("openssl-\(name)-sign", "/usr/bin/openssl", ["x509", "-req", "-in", request, "-CA", issuer.0, "-CAkey", issuer.1,
                                                                          "-CAcreateserial", "-days", "1", "-copy_extensions", "copyall", "-out", certificate])
        sign.waitUntilExit()
        return (certificate, key)
    }
}
