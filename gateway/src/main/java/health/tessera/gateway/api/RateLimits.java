package health.tessera.gateway.api;

import health.tessera.fhir.FhirException;
import health.tessera.gateway.config.GatewayConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Per-client request rate limits at the gateway ({@code tessera.gateway.rate-limit.*}): each client (the token's
 * {@code azp}) has a budget of requests per second; a request over it gets 429 with {@code Retry-After: 1} and
 * goes no further. Requests without a valid token are not counted here (they end in 401 at no cost upstream).
 */
public class RateLimits {

    private final RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    GatewayConfig config;

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION - 100)
    public Uni<Response> limit(ContainerRequestContext request) {
        return identities.getDeferredIdentity().map(identity -> {
            if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
                return null;
            }
            String client = health.tessera.fhir.Caller.clientIdOf(token);
            if (!limiterOf(client).acquirePermission()) {
                throw FhirException.throttled(
                        "Client " + client + " sent more than " + perSecond(client) + " requests in a second", 1);
            }
            return null;
        });
    }

    private RateLimiter limiterOf(String client) {
        return limiters.rateLimiter(
                client,
                () -> RateLimiterConfig.custom()
                        .limitForPeriod(perSecond(client))
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build());
    }

    private int perSecond(String client) {
        return config.rateLimit()
                .clients()
                .getOrDefault(client, config.rateLimit().requestsPerSecond());
    }
}
