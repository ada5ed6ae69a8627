import ProxyCore
import XDSAPI

/// SDS Secret resources (received on ADS) -> ProxyCore's TLSSecret.
public enum SecretConverter {
    public static func convert(_ secret: Envoy_Extensions_TransportSockets_Tls_V3_Secret) throws(XDSConversionError) -> TLSSecret {
        let scope = ConversionScope(resource: "Secret \(secret.name)", path: "")
        switch secret.type {
        case .tlsCertificate(let certificate)?:
            return .certificate(try TLSContextConverter.pair(certificate, scope.child("tls_certificate")))
        case .validationContext(let validation)?:
            let converted = try TLSContextConverter.validation(validation, scope.child("validation_context"))
            return .validation(trustedCA: converted.trustedCA, subjectAltNames: converted.subjectAltNames)
        case .sessionTicketKeys?:
            throw scope.child("session_ticket_keys").unsupported("session ticket keys")
        case .genericSecret?:
            throw scope.child("generic_secret").unsupported("generic secrets")
        case nil:
            throw scope.error("a secret needs tls_certificate or validation_context")
        }
    }
}
