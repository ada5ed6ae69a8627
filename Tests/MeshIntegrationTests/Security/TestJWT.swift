import Foundation

/// RS256 tokens for tests, signed by openssl with a key made for the test (the
/// test target has no crypto library): the JWKS to configure and tokens with any
/// claims, including expired ones or ones for another issuer or audience.
struct TestJWT {
    let keyPath: String
    let jwks: String

    init(directory: URL, name: String = "jwt") throws {
        keyPath = directory.appendingPathComponent("\(name)-key.pem").path
        _ = try Self.openssl(["genrsa", "-out", keyPath, "2048"])
        let modulus = try Self.openssl(["rsa", "-in", keyPath, "-noout", "-modulus"])
        let hex = String(decoding: modulus, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "Modulus=", with: "")
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        jwks = #"{"keys":[{"kty":"RSA","alg":"RS256","use":"sig","kid":"test","e":"AQAB","n":"\#(Self.base64URL(Data(bytes)))"}]}"#
    }

    /// A signed token; `exp` an hour from now unless the claims say otherwise.
    func token(_ claims: [String: Any]) throws -> String {
        var payload = claims
        if payload["exp"] == nil { payload["exp"] = Int(Date().timeIntervalSince1970) + 3600 }
        let header = Self.base64URL(try JSONSerialization.data(withJSONObject: ["alg": "RS256", "typ": "JWT", "kid": "test"]))
        let body = Self.base64URL(try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]))
        let input = header + "." + body
        let file = URL(fileURLWithPath: keyPath + ".\(UUID().uuidString.prefix(8)).in")
        try Data(input.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let signature = try Self.openssl(["dgst", "-sha256", "-sign", keyPath, file.path])
        return input + "." + Self.base64URL(signature)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func openssl(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestJWTError(description: "openssl \(arguments.first ?? "") failed") }
        return data
    }
}

struct TestJWTError: Error, CustomStringConvertible {
    let description: String
}
