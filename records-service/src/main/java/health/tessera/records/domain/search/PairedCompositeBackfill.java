package health.tessera.records.domain.search;

import ca.uhn.fhir.context.FhirContext;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hl7.fhir.r4.model.Resource;
import org.jboss.logging.Logger;

/**
 * Writes the paired composite rows ({@code component-code-value-quantity} and the like) of the records stored before
 * records-service indexed them, once, in the background after start: without them those parameters, which the
 * CapabilityStatement offers, would miss every older record. Only records whose JSON holds the repeating element
 * (an Observation's {@code component}) are read; each batch replaces the batch's paired rows in one transaction, so
 * a record written meanwhile, or a run cut short and started again, ends with its rows once. One replica does it (an
 * advisory lock); the {@code index_backfill} row says it is done.
 */
@ApplicationScoped
public class PairedCompositeBackfill {

    static final String JOB = "paired-composites-1";
    private static final Logger LOG = Logger.getLogger(PairedCompositeBackfill.class);
    private static final int BATCH = 500;

    private final AgroalDataSource dataSource;
    private final SearchParameterRegistry registry;
    private final SearchIndexer indexer;
    private final SearchIndexRepository index;
    private final FhirContext fhir;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("composite-backfill").daemon().factory());

    public PairedCompositeBackfill(
            AgroalDataSource dataSource,
            SearchParameterRegistry registry,
            SearchIndexer indexer,
            SearchIndexRepository index,
            FhirContext fhir) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.indexer = indexer;
        this.index = index;
        this.fhir = fhir;
    }

    void onStart(@Observes StartupEvent start) {
        worker.execute(this::runOnce);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    void runOnce() {
        try (Connection lock = dataSource.getConnection();
                PreparedStatement tryLock = lock.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            tryLock.setString(1, JOB);
            try (ResultSet rs = tryLock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return; // another replica is at it
                }
            }
            try {
                if (done(lock)) {
                    return;
                }
                long started = System.nanoTime();
                long records = 0;
                for (String type : typesWithPairs()) {
                    records += backfill(type);
                }
                try (PreparedStatement finished = lock.prepareStatement(
                        "INSERT INTO index_backfill (name, records) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    finished.setString(1, JOB);
                    finished.setLong(2, records);
                    finished.executeUpdate();
                }
                LOG.infof(
                        "wrote the paired composite rows of %d stored records (%d ms)",
                        records, (System.nanoTime() - started) / 1_000_000);
            } finally {
                try (PreparedStatement unlock = lock.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                    unlock.setString(1, JOB);
                    unlock.execute();
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf(
                    "the paired composite rows of stored records are not written yet (next start tries again): %s", e);
        }
    }

    private static boolean done(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM index_backfill WHERE name = ?")) {
            select.setString(1, JOB);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Set<String> typesWithPairs() {
        Set<String> types = new LinkedHashSet<>();
        for (String type : health.tessera.fhir.ResourceOwnership.RECORDS.resourceTypes()) {
            if (registry.compositesOf(type).values().stream().anyMatch(CompositeParameter::paired)) {
                types.add(type);
            }
        }
        return types;
    }

    /** The records of {@code type} that may hold pairs, in id order, a batch at a time. Returns how many. */
    private long backfill(String type) throws SQLException {
        List<CompositeParameter> paired = registry.compositesOf(type).values().stream()
                .filter(CompositeParameter::paired)
                .toList();
        // "Observation.component" → records whose JSON has "component": the others have no pair to index
        List<String> elements = paired.stream()
                .map(c -> "%\"" + c.baseElement() + "\"%")
                .distinct()
                .toList();
        StringBuilder sql = new StringBuilder(
                "SELECT id, resource FROM record WHERE resource_type = ? AND NOT deleted" + " AND id > ? AND (");
        for (int i = 0; i < elements.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append("resource LIKE ?");
        }
        sql.append(") ORDER BY id LIMIT ").append(BATCH);
        UUID after = new UUID(0, 0); // the lowest as PostgreSQL orders uuids (byte by byte, unsigned)
        long records = 0;
        while (true) {
            List<SearchIndexRepository.RecordEntries> batch = new ArrayList<>(BATCH);
            try (Connection c = dataSource.getConnection();
                    PreparedStatement select = c.prepareStatement(sql.toString())) {
                select.setString(1, type);
                select.setObject(2, after);
                for (int i = 0; i < elements.size(); i++) {
                    select.setString(3 + i, elements.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getObject(1, UUID.class);
                        Resource resource = (Resource) fhir.newJsonParser().parseResource(rs.getString(2));
                        batch.add(
                                new SearchIndexRepository.RecordEntries(type, after, indexer.pairedEntries(resource)));
                    }
                }
            }
            if (batch.isEmpty()) {
                return records;
            }
            QuarkusTransaction.requiringNew().run(() -> {
                index.deletePaired(
                        type,
                        batch.stream()
                                .map(SearchIndexRepository.RecordEntries::id)
                                .toList(),
                        paired);
                index.insertAll(batch);
            });
            records += batch.size();
            if (batch.size() < BATCH) {
                return records;
            }
        }
    }
}
