import Foundation
import MeshCore
import Testing
@testable import ProxyAgent

@Suite struct WorkloadSecretsAdminTests {
    @Test func certsJSONHasEnvoysFields() throws {
        var secrets = WorkloadSecrets(certificateChainPEM: "", privateKeyPEM: "", trustBundlePEM: "",
                                      identity: "spiffe://cluster.local/ns/shop/sa/\"odd\"", notAfter: 1_795_000_000.7, generation: 3)
        secrets.serialNumber = "0a1b"
        let text = secrets.certsJSON(now: 1_794_999_000)
        let root = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let certificate = try #require((root["certificates"] as? [[String: Any]])?.first)
        let chain = try #require((certificate["cert_chain"] as? [[String: Any]])?.first)
        #expect(chain["expiration_time"] as? String == "2026-11-18T11:06:40Z")
        #expect(chain["seconds_until_expiration"] as? String == "1000")
        #expect(chain["serial_number"] as? String == "0a1b")
        #expect((chain["subject_alt_names"] as? [[String: String]]) == [["uri": "spiffe://cluster.local/ns/shop/sa/\"odd\""]])
        #expect((certificate["ca_cert"] as? [[String: String]]) == [["path": "ROOTCA"]])
        #expect(certificate["swiftmesh_generation"] as? Int == 3)
        #expect(text.hasSuffix("}\n"))
    }

    @Test func serialNumbersArePrintedAsLowerCaseHex() {
        #expect(HexText.lowercase([0x00, 0x0a, 0xff, 0x7f]) == "000aff7f")
        #expect(CertificateAgent.tenths(12.34) == "12.3")
        #expect(CertificateAgent.tenths(-0.26) == "-0.3")
    }
}
