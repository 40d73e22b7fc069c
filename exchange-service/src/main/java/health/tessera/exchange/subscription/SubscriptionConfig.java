package health.tessera.exchange.subscription;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How Subscriptions are delivered ({@code tessera.subscriptions.*}). */
@ConfigMapping(prefix = "tessera.subscriptions")
public interface SubscriptionConfig {

    /**
     * Whether endpoints may be plain http and on loopback or private addresses. Off in production: a subscriber
     * could otherwise make the exchange post to services inside the cluster. The local platform turns it on so a
     * developer's receiver on localhost works.
     */
    @WithDefault("false")
    boolean allowLocalEndpoints();

    /** How long an endpoint has to answer a notification. */
    @WithDefault("5s")
    Duration deliveryTimeout();

    /** Consecutive failed deliveries after which a subscription goes to status error and deliveries stop. */
    @WithDefault("10")
    int maxFailures();

    /** Failed handshakes after which a requested subscription goes to status error. */
    @WithDefault("3")
    int handshakeAttempts();

    /** The longest wait between two attempts at a failing endpoint (the wait doubles from one second). */
    @WithDefault("5m")
    Duration maxRetryDelay();

    /** The most subscriptions one organisation may keep (deleted ones do not count). */
    @WithDefault("100")
    int maxPerOrganization();

    /** The most events one notification Bundle carries. */
    @WithDefault("100")
    int maxEventsPerNotification();
}
