package health.tessera.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
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
        return identity(expires, Map.of());
    }

    /** A routing context that is nothing but itself: the tests only follow where it ends up. */
    private static RoutingContext request() {
        return (RoutingContext) Proxy.newProxyInstance(
                RoutingContext.class.getClassLoader(),
                new Class<?>[] {RoutingContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "request@" + System.identityHashCode(proxy);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static SecurityIdentity identity(Instant expires, Map<String, Object> attributes) {
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
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(token)
                .addAttributes(attributes)
                .build();
    }

    @Test
    void aVerifiedTokenIsKnownUntilItExpiresAndNoOtherHeaderIs() {
        Moving clock = new Moving();
        VerifiedTokens tokens = new VerifiedTokens(100, clock);
        SecurityIdentity identity = identity(clock.now.plusSeconds(300));
        tokens.remember("Bearer abc.def.ghi", identity);

        assertThat(tokens.find("Bearer abc.def.ghi", null).getPrincipal()).isSameAs(identity.getPrincipal());
        assertThat(tokens.find("Bearer abc.def.ghX", null))
                .as("a tampered token")
                .isNull();
        assertThat(tokens.find(null, null)).isNull();

        clock.now = clock.now.plusSeconds(300);
        assertThat(tokens.find("Bearer abc.def.ghi", null)).as("expired").isNull();
    }

    @Test
    void expiredOrOversizedTokensAreNotRemembered() {
        Moving clock = new Moving();
        VerifiedTokens tokens = new VerifiedTokens(100, clock);
        tokens.remember("Bearer old", identity(clock.now.minusSeconds(1)));
        assertThat(tokens.find("Bearer old", null)).isNull();
        String huge = "Bearer " + "x".repeat(VerifiedTokens.MAX_HEADER_LENGTH);
        tokens.remember(huge, identity(clock.now.plusSeconds(300)));
        assertThat(tokens.find(huge, null)).isNull();
    }

    @Test
    void theVerifyingRequestIsNotKeptAndEachRequestFindsItsOwnInItsPlace() {
        Moving clock = new Moving();
        VerifiedTokens tokens = new VerifiedTokens(100, clock);
        RoutingContext verifying = request();
        tokens.remember(
                "Bearer abc.def.ghi",
                identity(clock.now.plusSeconds(300), Map.of("routing-context", verifying, "tenant-id", "tessera")));

        RoutingContext later = request();
        SecurityIdentity found = tokens.find("Bearer abc.def.ghi", later);
        assertThat(found.<Object>getAttribute("routing-context")).isSameAs(later);
        assertThat(found.<Object>getAttribute("tenant-id")).isEqualTo("tessera");
        assertThat(found.getPrincipal().getName()).isEqualTo("clinic-a");
        assertThat(tokens.find("Bearer abc.def.ghi", null).getAttributes())
                .as("what the cache holds: no request")
                .doesNotContainValue(verifying)
                .containsEntry("tenant-id", "tessera");
    }

    @Test
    void aRememberedTokenLetsItsVerifyingRequestBeCollected() throws InterruptedException {
        Moving clock = new Moving();
        VerifiedTokens tokens = new VerifiedTokens(100, clock);
        WeakReference<RoutingContext> verifying = rememberVerifiedOn(tokens, "Bearer abc.def.ghi", clock);
        for (int i = 0; i < 50 && verifying.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(verifying.get())
                .as("the request a token was verified on, once nothing but the cache could hold it")
                .isNull();
        assertThat(tokens.find("Bearer abc.def.ghi", request())).isNotNull();
    }

    private static WeakReference<RoutingContext> rememberVerifiedOn(
            VerifiedTokens tokens, String header, Moving clock) {
        RoutingContext request = request();
        tokens.remember(header, identity(clock.now.plusSeconds(300), Map.of("routing-context", request)));
        return new WeakReference<>(request);
    }
}
