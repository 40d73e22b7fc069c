package health.tessera.gateway.api;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * SMART on FHIR discovery ({@code [base]/.well-known/smart-configuration}, public): where to get tokens and what
 * the server supports. It advertises what works: confidential provider systems with client credentials (SMART
 * backend services with a signed JWT assertion, or a client secret), public apps (the clinician app and the patient portal) with the
 * authorization code flow and PKCE (S256), SMART v2 scopes for system, user and patient contexts (a patient
 * token sees its patient's compartment only: SmartScopes, CallerVisibility), and the patient and fhirUser launch
 * context claims.
 */
@Path("/.well-known/smart-configuration")
@PermitAll
@jakarta.enterprise.context.ApplicationScoped
public class SmartConfigurationResource {

    private final String realm;

    public SmartConfigurationResource(@ConfigProperty(name = "quarkus.oidc.auth-server-url") String realm) {
        this.realm = realm;
    }

    /** The document at the server root (the FHIR base's copy is served by {@link FhirGatewayResource}). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> configuration() {
        Map<String, Object> smart = new LinkedHashMap<>();
        smart.put("issuer", realm);
        smart.put("jwks_uri", realm + "/protocol/openid-connect/certs");
        smart.put("token_endpoint", realm + "/protocol/openid-connect/token");
        smart.put("introspection_endpoint", realm + "/protocol/openid-connect/token/introspect");
        smart.put("revocation_endpoint", realm + "/protocol/openid-connect/revoke");
        smart.put("authorization_endpoint", realm + "/protocol/openid-connect/auth");
        smart.put("grant_types_supported", List.of("client_credentials", "authorization_code"));
        smart.put(
                "token_endpoint_auth_methods_supported",
                List.of("private_key_jwt", "client_secret_basic", "client_secret_post"));
        smart.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        smart.put(
                "scopes_supported",
                List.of(
                        "openid",
                        "fhirUser",
                        "launch/patient",
                        "patient/*.rs",
                        "patient/Observation.c",
                        "patient/Communication.c",
                        "system/*.cruds",
                        "system/*.rs",
                        "system/Observation.cruds",
                        "system/Subscription.cruds",
                        "user/*.cruds",
                        "user/*.rs"));
        smart.put("response_types_supported", List.of("code"));
        smart.put(
                "capabilities",
                List.of(
                        "client-confidential-asymmetric",
                        "client-confidential-symmetric",
                        "client-public",
                        "launch-standalone",
                        "context-standalone-patient",
                        "permission-patient",
                        "permission-user",
                        "permission-v2",
                        "sso-openid-connect"));
        smart.put("code_challenge_methods_supported", List.of("S256"));
        return smart;
    }
}
