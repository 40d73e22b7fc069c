package health.tessera.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    /** A clock the test moves. */
    private static final class Moving extends Clock {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static SecurityIdentity identity(Instant expires) {
        Map<String, Object> claims = Map.of("exp", expires.getEpochSecond(), "org", "org-a");
        JsonWebToken token = new JsonWebToken() {
            @Override
            public String getName() {
                return "clinic-a";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
        return QuarkusSecurityIdentity.builder().setPrincipal(token).build();
    }

    @Test
    void aVerifiedTokenIsKnownUntilItExpiresAndNoOtherHeaderIs() {
        Moving clock = new Moving();
        VerifiedTokens tokens = new VerifiedTokens(100, clock);
        SecurityIdentity identity = identity(clock.now.plusSeconds(300));
        tokens.remember("Bearer abc.def.ghi", identity);

        assertThat(tokens.find("Bearer abc.def.ghi")).isSameAs(identity);
        assertThat(tokens.find("Bearer abc.def.ghX")).as("a tampered token").isNull();
        assertThat(tokens.find(null)).isNull();

        clock.now = clock.now.plusSeconds(300);
        assertThat(tokens.find("Bearer abc.def.ghi")).as("expired").isNull();
    }

    @Test
    void expiredOrOversizedTokensAreNotRemembered() {
        Moving clock = new Moving();
        VerifiedTokens tokens = new VerifiedTokens(100, clock);
        tokens.remember("Bearer old", identity(clock.now.minusSeconds(1)));
        assertThat(tokens.find("Bearer old")).isNull();
        String huge = "Bearer " + "x".repeat(VerifiedTokens.MAX_HEADER_LENGTH);
        tokens.remember(huge, identity(clock.now.plusSeconds(300)));
        assertThat(tokens.find(huge)).isNull();
    }
}
