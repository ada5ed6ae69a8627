import SwiftASN1
import X509

/// PEM text with any number of certificates (a root bundle, a cert chain).
public enum PEMBundle {
    public static func certificates(_ text: String, what: String) throws(CAError) -> [Certificate] {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw .invalidCAFiles("\(what): not PEM (\(error))")
        }
        var certificates: [Certificate] = []
        for (index, document) in documents.enumerated() {
            guard document.discriminator == "CERTIFICATE" else {
                throw .invalidCAFiles("\(what): PEM block \(index + 1) is \(document.discriminator), not CERTIFICATE")
            }
            do {
                certificates.append(try Certificate(pemDocument: document))
            } catch {
                throw .invalidCAFiles("\(what): certificate \(index + 1) does not parse (\(error))")
            }
        }
        return certificates
    }

    public static func pem(_ certificate: Certificate) -> String {
        // Serialising a certificate we hold cannot fail short of a library bug.
        (try? certificate.serializeAsPEM().pemString) ?? ""
    }

    public static func pem(_ certificates: [Certificate]) -> String {
        certificates.map { pem($0) + "\n" }.joined()
    }
}
