package health.tessera.fhir.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Answers for a bearer token verified before ({@link VerifiedTokens}); for any other request it steps aside
 * (null) and the OIDC extension's bearer mechanism, next in line, verifies the token as always.
 */
@ApplicationScoped
public class CachedBearerAuthentication implements HttpAuthenticationMechanism {

    private final VerifiedTokens tokens;

    public CachedBearerAuthentication(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        SecurityIdentity known = tokens.find(context.request().getHeader("Authorization"), context);
        return known == null ? Uni.createFrom().nullItem() : Uni.createFrom().item(known);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem(); // the OIDC mechanism's challenge (WWW-Authenticate: Bearer) applies
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100; // before the OIDC bearer mechanism
    }
}
