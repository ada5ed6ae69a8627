import ProxyCore
import Testing
@testable import MeshProxy

/// `swiftmesh proxy --workload-certs DIR`: Istio's file-mounted certificates as
/// the in-process `sds-grpc` secrets.
@Suite struct WorkloadCertificateFilesTests {
    @Test func filesBecomeDefaultAndROOTCA() {
        let provider = WorkloadCertificateFiles.provider("/etc/certs")
        guard case .certificate(let pair)? = provider.secret(named: "default") else {
            Issue.record("default is the key pair")
            return
        }
        #expect(pair == TLSCertificatePair(chain: .file("/etc/certs/cert-chain.pem"), privateKey: .file("/etc/certs/key.pem")))
        guard case .validation(let roots, let names)? = provider.secret(named: "ROOTCA") else {
            Issue.record("ROOTCA is the validation context")
            return
        }
        #expect(roots == .file("/etc/certs/root-cert.pem"))
        #expect(names.isEmpty)
        #expect(provider.secret(named: "other") == nil)
    }
}
