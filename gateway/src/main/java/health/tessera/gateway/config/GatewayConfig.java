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
}
