package health.tessera.fhir;

import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Who is calling, from the validated access token. Data is stamped with {@link #organization()}, never with
 * an organisation taken from the request body.
 */
@RequestScoped
public class Caller {

    /** The token claim that carries the caller's organisation (set by the Keycloak client's mapper). */
    public static final String ORGANIZATION_CLAIM = "org";

    /** The SMART launch-context claim naming the patient a patient-context token acts for. */
    public static final String PATIENT_CLAIM = "patient";

    /** The Keycloak realm role of operators: admin APIs (the master patient index's links, reviews, merges). */
    public static final String ADMIN_ROLE = "admin";

    private final JsonWebToken token;
    private final io.quarkus.security.identity.SecurityIdentity identity;

    public Caller(JsonWebToken token, io.quarkus.security.identity.SecurityIdentity identity) {
        this.token = token;
        this.identity = identity;
    }

    /** The token's SMART resource scopes. */
    public health.tessera.fhir.security.SmartScopes scopes() {
        return health.tessera.fhir.security.SmartScopes.of(token);
    }

    /** Whether the caller is an operator ({@link #ADMIN_ROLE}). */
    public boolean isAdmin() {
        return identity.hasRole(ADMIN_ROLE);
    }

    /** 403 unless the caller is an operator. */
    public void requireAdmin() {
        if (!isAdmin()) {
            throw new FhirException(403, IssueType.FORBIDDEN, "This needs the " + ADMIN_ROLE + " role");
        }
    }

    /** Who acts, for the record of decisions: the user's name, else the client. */
    public String actor() {
        Object user = claimOf(token, "preferred_username");
        return user == null ? clientId() : user.toString();
    }

    /** The caller's organisation; a token without one may not touch organisation-owned data (403). */
    public String organization() {
        if (patientContext().isPresent()) {
            throw new FhirException(
                    403, IssueType.FORBIDDEN, "This interaction is not available to a patient's own (patient/) token");
        }
        Object org = claimOf(token, ORGANIZATION_CLAIM);
        if (org == null || org.toString().isBlank()) {
            throw new FhirException(403, IssueType.FORBIDDEN, "The token names no organisation");
        }
        return org.toString();
    }

    /**
     * The patient a patient-context token (SMART {@code patient} claim: the patient portal, patient-facing apps)
     * acts for; such a caller sees that patient's records in every organisation and nothing else.
     */
    public java.util.Optional<String> patientContext() {
        return java.util.Optional.ofNullable(patientContextOf(token));
    }

    /** The token's SMART {@code patient} claim, or null. */
    public static String patientContextOf(JsonWebToken token) {
        Object patient = claimOf(token, PATIENT_CLAIM);
        return patient == null || patient.toString().isBlank() ? null : patient.toString();
    }

    public String clientId() {
        return clientIdOf(token);
    }

    /**
     * A claim of a verified token, or null. Read from the verified claim set: smallrye-jwt's {@code getClaim}
     * first looks the name up among the standard claims and throws (and catches) an exception for every other
     * name ({@code org}, {@code patient}, {@code scope}), several times a request on every service.
     */
    public static Object claimOf(JsonWebToken token, String name) {
        // An injected JsonWebToken is a CDI proxy of the principal: unwrapped, or the check below never matched.
        if (io.quarkus.arc.ClientProxy.unwrap(token)
                instanceof io.quarkus.oidc.runtime.OidcJwtCallerPrincipal principal) {
            return principal.getClaims().getClaimValue(name);
        }
        return token.getClaim(name);
    }

    /** The client a token was issued to ({@code azp}), else its subject. */
    public static String clientIdOf(JsonWebToken token) {
        Object azp = claimOf(token, "azp");
        return azp == null ? token.getSubject() : azp.toString();
    }
}
