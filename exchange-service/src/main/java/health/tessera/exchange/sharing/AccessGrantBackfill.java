package health.tessera.exchange.sharing;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.logging.Logger;

/**
 * At start, gives the Consents and Tasks recorded before the exchange kept grant rows ({@code access_grant}, V4)
 * their rows, once: when there are sharing resources but no grant rows at all.
 */
@ApplicationScoped
public class AccessGrantBackfill {

    private static final Logger LOG = Logger.getLogger(AccessGrantBackfill.class);

    void onStart(
            @Observes StartupEvent start,
            AgroalDataSource dataSource,
            SharedResourceStore store,
            Instance<SharingRule<?>> rules) {
        try (Connection c = dataSource.getConnection();
                Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM shared_resource)"
                        + " AND NOT EXISTS (SELECT 1 FROM access_grant_version)")) {
            if (!rs.next() || !rs.getBoolean(1)) {
                return;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the access grant rows", e);
        }
        for (SharingRule<?> rule : rules) {
            LOG.infof("wrote the access grants of %d stored %s", store.backfillGrants(rule), rule.resourceType());
        }
    }
}
