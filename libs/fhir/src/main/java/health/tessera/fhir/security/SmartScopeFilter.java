package health.tessera.fhir.security;

import health.tessera.fhir.FhirException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Enforces SMART on FHIR scopes on every FHIR request, in every service and at the gateway (each checks the token
 * itself): the token's {@link SmartScopes} must grant every {@link ScopeRequirements requirement} of the request,
 * else 403 naming what is missing. Requests without a token pass on to the endpoint, whose authentication answers
 * 401; requests that need no resource scope (metadata, the base URL's Bundles, admin APIs) are not checked here.
 */
public class SmartScopeFilter {

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Response> requireScopes(ContainerRequestContext request) {
        List<ScopeRequirements.Requirement> needed = ScopeRequirements.of(
                request.getMethod(),
                request.getUriInfo().getPath(),
                request.getUriInfo().getQueryParameters());
        if (needed.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> {
            if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
                return null;
            }
            SmartScopes scopes = SmartScopes.of(token);
            boolean patientContext = health.tessera.fhir.Caller.patientContextOf(token) != null;
            for (ScopeRequirements.Requirement requirement : needed) {
                boolean allowed = patientContext
                        ? scopes.allowsInPatientContext(requirement.type(), requirement.interaction())
                        : scopes.allows(requirement.type(), requirement.interaction());
                if (!allowed) {
                    String type = requirement.type().equals("*") ? "every resource type" : requirement.type();
                    throw new FhirException(
                            403,
                            IssueType.FORBIDDEN,
                            "The token's scopes do not allow " + SmartScopes.describe(requirement.interaction())
                                    + " on " + type + " (a SMART scope such as "
                                    + (patientContext ? "patient/" : "system/") + requirement.type() + "."
                                    + requirement.interaction() + " is needed)");
                }
            }
            return null;
        });
    }
}
