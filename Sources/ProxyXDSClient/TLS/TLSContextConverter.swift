import ProxyCore
import XDSAPI

/// Envoy's TLS transport socket (DownstreamTlsContext / UpstreamTlsContext) ->
/// ProxyCore's TLS configs. What the proxy cannot honour (pinned hashes, CRLs,
/// session ticket keys, other SDS servers) is refused by field, never ignored.
enum TLSContextConverter {
    typealias Common = Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext
    typealias Validation = Envoy_Extensions_TransportSockets_Tls_V3_CertificateValidationContext
    static let tlsSocket = "envoy.transport_sockets.tls"
    static let rawBufferSocket = "envoy.transport_sockets.raw_buffer"
    /// Istio's SDS cluster: served in process by the proxy's certificate agent.
    static let agentCluster = "sds-grpc"

    /// A filter chain's transport socket: nil for plain text.
    static func downstream(_ socket: Envoy_Config_Core_V3_TransportSocket, _ scope: ConversionScope,
                           warnings: inout ConversionWarnings) throws(XDSConversionError) -> DownstreamTLSConfig? {
        guard try isTLS(socket, scope) else { return nil }
        let context: Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext = try ListenerConverter.unpack(socket.typedConfig, scope.child("typed_config"))
        let contextScope = scope.child("typed_config")
        switch context.sessionTicketKeysType {
        case .sessionTicketKeys?, .sessionTicketKeysSdsSecretConfig?:
            throw contextScope.child("session_ticket_keys").unsupported("session ticket keys")
        case .disableStatelessSessionResumption?, nil:
            break
        }
        if context.ocspStaplePolicy == .mustStaple { throw contextScope.child("ocsp_staple_policy").unsupported("MUST_STAPLE") }
        let common = try Self.common(context.commonTlsContext, contextScope.child("common_tls_context"), warnings: &warnings)
        guard !common.certificates.isEmpty || !common.certificateSecrets.isEmpty else {
            throw contextScope.child("common_tls_context").error("a server TLS context needs a certificate (tls_certificates or tls_certificate_sds_secret_configs)")
        }
        let require = context.hasRequireClientCertificate && context.requireClientCertificate.value
        if require, common.validation == nil {
            throw contextScope.child("require_client_certificate").error("requiring a client certificate needs a validation context")
        }
        return DownstreamTLSConfig(common: common, requireClientCertificate: require)
    }

    /// A cluster's (or a transport_socket_matches entry's) transport socket.
    static func upstream(_ socket: Envoy_Config_Core_V3_TransportSocket, _ scope: ConversionScope,
                         warnings: inout ConversionWarnings) throws(XDSConversionError) -> TransportSocketConfig {
        guard try isTLS(socket, scope) else { return .plaintext }
        let context: Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext = try ListenerConverter.unpack(socket.typedConfig, scope.child("typed_config"))
        let contextScope = scope.child("typed_config")
        if context.autoHostSni { throw contextScope.child("auto_host_sni").unsupported("SNI from the request's host") }
        if context.allowRenegotiation { throw contextScope.child("allow_renegotiation").unsupported("TLS renegotiation") }
        let common = try Self.common(context.commonTlsContext, contextScope.child("common_tls_context"), warnings: &warnings)
        return .tls(UpstreamTLSConfig(common: common, serverName: context.sni))
    }

    /// raw_buffer (or no typed config at all) is plain text; tls is TLS; anything else is refused.
    static func isTLS(_ socket: Envoy_Config_Core_V3_TransportSocket, _ scope: ConversionScope) throws(XDSConversionError) -> Bool {
        switch socket.name {
        case rawBufferSocket: return false
        case tlsSocket: return true
        default:
            if socket.typedConfig.typeURL.hasSuffix("envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext")
                || socket.typedConfig.typeURL.hasSuffix("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext") {
                return true
            }
            if socket.typedConfig.typeURL.hasSuffix("envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer") { return false }
            throw scope.child("name").unsupported("transport socket \"\(socket.name)\"")
        }
    }

    static func common(_ common: Common, _ scope: ConversionScope, warnings: inout ConversionWarnings) throws(XDSConversionError) -> TLSContextConfig {
        if common.hasTlsCertificateProviderInstance {
            throw scope.child("tls_certificate_provider_instance").unsupported("certificate provider instances")
        }
        if common.hasTlsParams {
            let params = common.tlsParams
            if !params.cipherSuites.isEmpty || !params.ecdhCurves.isEmpty || !params.signatureAlgorithms.isEmpty {
                warnings.add(scope.child("tls_params"), "cipher suites, curves and signature algorithms are BoringSSL's defaults here")
            }
        }
        var config = TLSContextConfig(alpnProtocols: common.alpnProtocols)
        for (index, certificate) in common.tlsCertificates.enumerated() {
            config.certificates.append(try pair(certificate, scope.index("tls_certificates", index)))
        }
        for (index, reference) in common.tlsCertificateSdsSecretConfigs.enumerated() {
            config.certificateSecrets.append(try Self.reference(reference, scope.index("tls_certificate_sds_secret_configs", index)))
        }
        switch common.validationContextType {
        case .validationContext(let validation)?:
            config.validation = try Self.validation(validation, scope.child("validation_context"))
        case .validationContextSdsSecretConfig(let reference)?:
            config.validation = TLSContextConfig.Validation(rootsSecret: try Self.reference(reference, scope.child("validation_context_sds_secret_config")))
        case .combinedValidationContext(let combined)?:
            let combinedScope = scope.child("combined_validation_context")
            var validation = try Self.validation(combined.defaultValidationContext, combinedScope.child("default_validation_context"))
            validation.rootsSecret = try Self.reference(combined.validationContextSdsSecretConfig,
                                                        combinedScope.child("validation_context_sds_secret_config"))
            config.validation = validation
        case nil:
            break
        }
        return config
    }

    static func pair(_ certificate: Envoy_Extensions_TransportSockets_Tls_V3_TlsCertificate, _ scope: ConversionScope) throws(XDSConversionError) -> TLSCertificatePair {
        if certificate.hasPassword { throw scope.child("password").unsupported("encrypted private keys") }
        if certificate.hasPkcs12 { throw scope.child("pkcs12").unsupported("PKCS#12 bundles") }
        guard certificate.hasCertificateChain, certificate.hasPrivateKey else {
            throw scope.error("needs certificate_chain and private_key")
        }
        return TLSCertificatePair(chain: try source(certificate.certificateChain, scope.child("certificate_chain")),
                                  privateKey: try source(certificate.privateKey, scope.child("private_key")))
    }

    static func source(_ source: Envoy_Config_Core_V3_DataSource, _ scope: ConversionScope) throws(XDSConversionError) -> TLSDataSource {
        switch source.specifier {
        case .filename(let path)?:
            // Envoy reads TLS files when it loads the config and rejects it when it cannot.
            guard FileAccess.readable(path) else { throw scope.child("filename").error("Invalid path: \(path)") }
            return .file(path)
        case .inlineBytes(let bytes)?: return .inline(Array(bytes))
        case .inlineString(let text)?: return .inline(Array(text.utf8))
        case .environmentVariable?: throw scope.child("environment_variable").unsupported("TLS material from environment variables")
        case nil: throw scope.error("empty data source")
        }
    }

    static func validation(_ validation: Validation, _ scope: ConversionScope) throws(XDSConversionError) -> TLSContextConfig.Validation {
        if !validation.verifyCertificateSpki.isEmpty { throw scope.child("verify_certificate_spki").unsupported("pinned SPKI hashes") }
        if !validation.verifyCertificateHash.isEmpty { throw scope.child("verify_certificate_hash").unsupported("pinned certificate hashes") }
        if validation.hasCrl { throw scope.child("crl").unsupported("certificate revocation lists") }
        if validation.trustChainVerification == .acceptUntrusted {
            throw scope.child("trust_chain_verification").unsupported("ACCEPT_UNTRUSTED")
        }
        if validation.hasCustomValidatorConfig { throw scope.child("custom_validator_config").unsupported("custom certificate validators") }
        if validation.hasCaCertificateProviderInstance {
            throw scope.child("ca_certificate_provider_instance").unsupported("certificate provider instances")
        }
        var result = TLSContextConfig.Validation()
        if validation.hasTrustedCa { result.trustedCA = try source(validation.trustedCa, scope.child("trusted_ca")) }
        for (index, matcher) in validation.matchTypedSubjectAltNames.enumerated() {
            let matcherScope = scope.index("match_typed_subject_alt_names", index)
            let kind: SubjectAltNameMatcher.Kind
            switch matcher.sanType {
            case .dns: kind = .dns
            case .uri: kind = .uri
            case .email: kind = .email
            case .ipAddress: kind = .ipAddress
            case .otherName: throw matcherScope.child("san_type").unsupported("OTHER_NAME")
            case .unspecified, .UNRECOGNIZED: throw matcherScope.child("san_type").error("a SAN type is required")
            }
            result.subjectAltNames.append(SubjectAltNameMatcher(kind: kind, matcher: try StringMatchConverter.convert(matcher.matcher, matcherScope.child("matcher"))))
        }
        // The deprecated untyped form matches a SAN of any type.
        for (index, matcher) in validation.matchSubjectAltNames.enumerated() {
            let match = try StringMatchConverter.convert(matcher, scope.index("match_subject_alt_names", index))
            for kind in [SubjectAltNameMatcher.Kind.dns, .uri, .email, .ipAddress] {
                result.subjectAltNames.append(SubjectAltNameMatcher(kind: kind, matcher: match))
            }
        }
        return result
    }

    static func reference(_ reference: Envoy_Extensions_TransportSockets_Tls_V3_SdsSecretConfig,
                          _ scope: ConversionScope) throws(XDSConversionError) -> SDSSecretReference {
        guard !reference.name.isEmpty else { throw scope.child("name").error("secret name is empty") }
        guard reference.hasSdsConfig else {
            throw scope.child("sds_config").unsupported("static secrets (bootstrap static_resources.secrets)")
        }
        switch reference.sdsConfig.configSourceSpecifier {
        case .ads?:
            return SDSSecretReference(name: reference.name, source: .ads)
        case .apiConfigSource(let api)?:
            let clusters = api.grpcServices.compactMap { service -> String? in
                if case .envoyGrpc(let grpc)? = service.targetSpecifier { return grpc.clusterName }
                return nil
            }
            guard clusters == [agentCluster] else {
                throw scope.child("sds_config.api_config_source").unsupported("SDS from clusters other than \(agentCluster) (got \(clusters))")
            }
            return SDSSecretReference(name: reference.name, source: .agent)
        default:
            throw scope.child("sds_config").unsupported("SDS from a source other than ADS or \(agentCluster)")
        }
    }
}
