package health.tessera.fhir.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens this service has verified, with the identity the verification gave, until the token expires.
 * Verifying a JWT (RSA signature, JSON parsing, claim checks) was 60% of the CPU of a read by id; a client
 * sends the same token for minutes, and the verification of the same bytes gives the same answer until the
 * token's {@code exp}, which is checked again on every hit. Only successfully verified tokens are remembered,
 * keyed by the whole Authorization header, so a tampered or different token is always verified afresh.
 * Revocation is no weaker than before: a JWT verified locally was never checked against Keycloak either.
 *
 * <p>The identity is kept without the request it was verified on: Quarkus puts that request's routing context
 * among the identity's attributes, and a remembered context held on to everything the request had touched until
 * the token expired (a 34,613-entry transaction's answer Bundle, 45 MB, stayed in records-service's heap for each
 * token that had sent one, and six ingests filled it). Each later request gets its own context in that place.
 */
@ApplicationScoped
public class VerifiedTokens {

    /** Longer headers are not remembered (they are verified every time). */
    static final int MAX_HEADER_LENGTH = 8192;

    private final Cache<String, Verified> verified;
    private final Clock clock;

    /**
     * A verified token's identity, the names of its attributes that held the verifying request's routing context
     * (empty in the identity kept), and when it stops being valid.
     */
    record Verified(SecurityIdentity identity, Set<String> requestAttributes, Instant expires) {}

    @jakarta.inject.Inject
    public VerifiedTokens(
            @ConfigProperty(name = "tessera.security.verified-token-cache-size", defaultValue = "10000") long size) {
        this(size, Clock.systemUTC());
    }

    VerifiedTokens(long size, Clock clock) {
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(size)
                .expireAfter(new Expiry<String, Verified>() {
                    @Override
                    public long expireAfterCreate(String key, Verified value, long currentTime) {
                        return Math.max(
                                0,
                                java.time.Duration.between(clock.instant(), value.expires())
                                        .toNanos());
                    }

                    @Override
                    public long expireAfterUpdate(String key, Verified value, long currentTime, long duration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, Verified value, long currentTime, long duration) {
                        return duration;
                    }
                })
                .build();
    }

    /**
     * The identity of an Authorization header verified before and not expired since, or null; {@code request}, the
     * request it now comes with, takes the place of the routing context the verifying request had left in it.
     */
    public SecurityIdentity find(String authorization, RoutingContext request) {
        if (authorization == null) {
            return null;
        }
        Verified found = verified.getIfPresent(authorization);
        if (found == null) {
            return null;
        }
        if (!clock.instant().isBefore(found.expires())) {
            verified.invalidate(authorization);
            return null;
        }
        return found.requestAttributes().isEmpty()
                ? found.identity()
                : withAttributes(found.identity(), found.requestAttributes(), request);
    }

    /** Remembers the identity a successful verification of {@code authorization} gave, until the token's exp. */
    public void remember(String authorization, SecurityIdentity identity) {
        if (authorization == null
                || authorization.length() > MAX_HEADER_LENGTH
                || !(identity.getPrincipal() instanceof JsonWebToken token)
                || token.getExpirationTime() <= 0) {
            return;
        }
        Instant expires = Instant.ofEpochSecond(token.getExpirationTime());
        if (clock.instant().isBefore(expires)) {
            Set<String> requestAttributes = identity.getAttributes().entrySet().stream()
                    .filter(attribute -> attribute.getValue() instanceof RoutingContext)
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toUnmodifiableSet());
            verified.put(authorization, new Verified(withoutRequest(identity), requestAttributes, expires));
        }
    }

    /**
     * A copy of {@code identity} that keeps no reference to it: principal, roles, credentials and every attribute
     * but a routing context (its name stays, without a value). Not {@code QuarkusSecurityIdentity.builder(identity)}:
     * that copy checks permissions by asking the original, and so holds on to it and its request. The original's
     * permission checkers are not carried over, so a remembered identity grants no permission: Tessera authorises
     * by the token's scopes and organisation, and {@code @PermissionsAllowed} would fail closed here, not open.
     */
    static SecurityIdentity withoutRequest(SecurityIdentity identity) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials())
                .setAnonymous(identity.isAnonymous());
        identity.getAttributes()
                .forEach((name, value) -> builder.addAttribute(name, value instanceof RoutingContext ? null : value));
        return builder.build();
    }

    /** {@code identity} with {@code request} under each of {@code names}. */
    private static SecurityIdentity withAttributes(SecurityIdentity identity, Set<String> names, Object request) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity);
        names.forEach(name -> builder.addAttribute(name, request));
        return builder.build();
    }
}
