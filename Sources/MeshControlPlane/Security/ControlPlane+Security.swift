import Foundation
import GRPCCore
import Logging
import MeshCA
import XDSServer

extension ControlPlane {
    /// istiod's security side: the CA (files in `caDirectory`), who may call it,
    /// and 15012 (xDS + CA over TLS with a certificate from the mesh root).
    public struct SecurityOptions: Sendable {
        /// Plug-in CA files, or where a self-signed root is made and kept.
        public var caDirectory: String
        /// xDS + CA over TLS (Istio's 15012); nil: CA on the plaintext port only.
        public var secureXDSPort: Int? = 15012
        /// nil: the mesh config's trustDomain (default cluster.local).
        public var trustDomain: String?
        /// Istio's DEFAULT_WORKLOAD_CERT_TTL / MAX_WORKLOAD_CERT_TTL.
        public var workloadCertTTL: Duration = .seconds(24 * 3600)
        public var maxWorkloadCertTTL: Duration = .seconds(90 * 24 * 3600)
        public var keyAlgorithm: CAKeyAlgorithm = .ecdsaP256
        /// Kubernetes service-account token issuers accepted besides our bootstrap tokens.
        public var kubernetesIssuers: [CallerAuthenticator.TokenIssuer] = []
        /// Where to write a bootstrap token per WorkloadEntry (the local mesh); nil: none.
        public var workloadTokenDirectory: String?
        public var workloadTokenTTL: Duration = .seconds(24 * 3600)

        public init(caDirectory: String) {
            self.caDirectory = caDirectory
        }
    }

    /// What `run` builds from the security options before serving.
    struct SecuritySetup {
        let state: MeshCAState
        let tokens: WorkloadTokens?
        let serverIdentity: XDSServer.TLSIdentity
        let services: [any RegistrableRPCService]
    }

    func makeSecurity(_ security: SecurityOptions) throws -> SecuritySetup {
        var caOptions = CertificateAuthority.Options(trustDomain: security.trustDomain ?? snapshot.meshConfig.effectiveTrustDomain)
        caOptions.defaultTTL = security.workloadCertTTL
        caOptions.maxTTL = max(security.maxWorkloadCertTTL, security.workloadCertTTL)
        let directory = CADirectory(path: security.caDirectory)
        let (authority, source) = try directory.loadOrCreate(options: caOptions, algorithm: security.keyAlgorithm)
        logger.info("mesh CA ready", metadata: ["source": "\(source.rawValue)", "directory": "\(security.caDirectory)",
                                               "trustDomain": "\(caOptions.trustDomain)", "root": "\(authority.root.subject)",
                                               "workloadCertTTL": "\(security.workloadCertTTL)"])
        let issuer = try BootstrapTokenIssuer.loadOrCreate(in: directory)
        let authenticator = CallerAuthenticator(issuers: [issuer.verifier] + security.kubernetesIssuers, trustDomain: caOptions.trustDomain)
        let state = MeshCAState(authority: authority, authenticator: authenticator)
        let tokens = security.workloadTokenDirectory.map { WorkloadTokens(directory: $0, issuer: issuer, ttl: security.workloadTokenTTL) }
        return SecuritySetup(state: state, tokens: tokens, serverIdentity: try ControlPlaneCertificate.make(authority),
                             services: [CertificateService(authority: state, logger: logger)])
    }

    /// Picks up CA files changed under the running control plane (`swiftmesh ca
    /// rotate-root`, a replaced plug-in CA). A half-written set fails to load and is
    /// retried at the next poll; the CA in force stays meanwhile.
    func reloadCAIfChanged() {
        guard let security = options.security, let state = certificateAuthority else { return }
        let directory = CADirectory(path: security.caDirectory)
        let stamp = [CADirectory.caCert, CADirectory.caKey, CADirectory.rootCert, CADirectory.certChain].map { name in
            (try? FileManager.default.attributesOfItem(atPath: directory.file(name))[.modificationDate] as? Date) ?? .distantPast
        }
        guard let previous = caFilesStamp else { caFilesStamp = stamp; return }
        guard stamp != previous else { return }
        do {
            let reloaded = try directory.load(options: state.authority.options)
            state.replace(reloaded)
            caFilesStamp = stamp
            logger.info("mesh CA reloaded", metadata: ["root": "\(reloaded.root.subject)", "trustedRoots": "\(reloaded.trustBundle.count)"])
        } catch {
            logger.warning("CA files changed but do not load yet; the CA in force stays", metadata: ["error": "\(error)"])
        }
    }

    /// Refreshes the workload token files (on start, on config change, and before they expire).
    func writeTokens(_ tokens: WorkloadTokens?) {
        guard let tokens else { return }
        do {
            let count = try tokens.write(for: store.objects)
            logger.debug("workload tokens written", metadata: ["directory": "\(tokens.directory)", "count": "\(count)"])
        } catch {
            logger.error("writing workload tokens failed", metadata: ["directory": "\(tokens.directory)", "error": "\(error)"])
        }
    }
}
