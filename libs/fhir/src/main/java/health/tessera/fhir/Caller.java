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

    private final JsonWebToken token;

    public Caller(JsonWebToken token) {
        this.token = token;
    }

    /** The caller's organisation; a token without one may not touch organisation-owned data (403). */
    public String organization() {
        Object org = token.getClaim(ORGANIZATION_CLAIM);
        if (org == null || org.toString().isBlank()) {
            throw new FhirException(403, IssueType.FORBIDDEN, "The token names no organisation");
        }
        return org.toString();
    }

    public String clientId() {
        Object azp = token.getClaim("azp");
        return azp == null ? token.getSubject() : azp.toString();
    }
}
