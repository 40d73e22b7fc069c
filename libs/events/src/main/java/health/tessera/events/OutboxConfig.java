package health.tessera.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the outbox relay ({@code tessera.outbox.*}). */
@ConfigMapping(prefix = "tessera.outbox")
public interface OutboxConfig {

    /** Whether this instance publishes outbox rows. Off only to prove, in tests, that unsent rows survive. */
    @WithDefault("true")
    boolean relayEnabled();

    /** Most rows published in one relay pass. */
    @WithDefault("500")
    int batchSize();

    /** How long a publish may wait for the broker's acknowledgement before the pass is retried. */
    @WithDefault("10s")
    Duration publishTimeout();

    /**
     * After this many rows marked sent the relay vacuums the outbox: each mark leaves a dead row version that
     * the relay's next passes would walk over until a vacuum removes it (see {@link OutboxRelay}).
     */
    @WithDefault("50000")
    long vacuumEvery();

    /** Published rows older than this are deleted by the relay's housekeeping. */
    @WithDefault("7d")
    Duration retention();
}
