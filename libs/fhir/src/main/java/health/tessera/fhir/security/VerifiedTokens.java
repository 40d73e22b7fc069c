package health.tessera.fhir.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens this service has verified, with the identity the verification gave, until the token expires.
 * Verifying a JWT (RSA signature, JSON parsing, claim checks) was 60% of the CPU of a read by id; a client
 * sends the same token for minutes, and the verification of the same bytes gives the same answer until the
 * token's {@code exp}, which is checked again on every hit. Only successfully verified tokens are remembered,
 * keyed by the whole Authorization header, so a tampered or different token is always verified afresh.
 * Revocation is no weaker than before: a JWT verified locally was never checked against Keycloak either.
 */
@ApplicationScoped
public class VerifiedTokens {

    /** Longer headers are not remembered (they are verified every time). */
    static final int MAX_HEADER_LENGTH = 8192;

    private final Cache<String, Verified> verified;
    private final Clock clock;

    /** A verified token's identity and when it stops being valid. */
    record Verified(SecurityIdentity identity, Instant expires) {}

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

    /** The identity of an Authorization header verified before and not expired since, or null. */
    public SecurityIdentity find(String authorization) {
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
        return found.identity();
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
            verified.put(authorization, new Verified(identity, expires));
        }
    }
}
