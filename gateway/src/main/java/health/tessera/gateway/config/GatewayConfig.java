package health.tessera.gateway.config;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Map;

/** Gateway settings ({@code tessera.gateway.*}). */
@ConfigMapping(prefix = "tessera.gateway")
public interface GatewayConfig {

    /** Base URL of each service by its short name: patient, records, exchange, alerts. */
    Map<String, String> services();

    /** How long an upstream service may take to answer. */
    Duration upstreamTimeout();

    /** How long records-service may take to answer a batch or transaction Bundle (a whole patient history). */
    Duration bundleTimeout();

    /** The audit event of every request ({@code tessera.audit.v1}). */
    Audit audit();

    interface Audit {
        /**
         * How long a request waits for the broker to acknowledge its audit event; after it the request is answered
         * with 503 instead (fail closed).
         */
        @io.smallrye.config.WithDefault("3s")
        Duration timeout();
    }

    /** Request rate limits, per client (the token's {@code azp}). */
    RateLimit rateLimit();

    interface RateLimit {
        /** Requests each client may send per second; more in the same second get 429 with Retry-After. */
        @io.smallrye.config.WithDefault("5000")
        int requestsPerSecond();

        /** Clients with their own limit (client id to requests per second). */
        Map<String, Integer> clients();
    }
}
