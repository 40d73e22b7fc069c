package health.tessera.exchange.sharing;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

/**
 * At every start, brings the exchange's grant rows ({@code access_grant}) up to the stored Consents and Tasks: those
 * recorded before the exchange kept grant rows (V4), and any version written meanwhile by a replica of an older build
 * that did not write them (a rolling deploy), so no revocation is missed.
 */
@ApplicationScoped
public class AccessGrantBackfill {

    private static final Logger LOG = Logger.getLogger(AccessGrantBackfill.class);

    void onStart(@Observes StartupEvent start, SharedResourceStore store, Instance<SharingRule<?>> rules) {
        for (SharingRule<?> rule : rules) {
            int written = store.backfillGrants(rule);
            if (written > 0) {
                LOG.infof("brought the access grants of %d stored %s up to date", written, rule.resourceType());
            }
        }
    }
}
