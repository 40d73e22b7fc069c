package health.tessera.records.domain.search;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the planner's statistics and the tables' visibility maps in step with bulk loads. A Synthea ingest adds hundreds of thousands of index
 * rows in minutes; until autovacuum analyses them the planner believes the tables are nearly empty and picks
 * plans that scan everything (a patient's blood-pressure search took a minute instead of milliseconds). So
 * once the records written since the last ANALYZE reach a tenth of what was there then (at least
 * {@link #MIN_ROWS}), the record and index tables are analysed after the Bundle that crossed the line commits.
 * In the background: at 2.5 M records an ANALYZE takes 7–11 s, which that Bundle's client used to wait for.
 *
 * <p>The tables are vacuumed in the same pass ({@code VACUUM (ANALYZE)}), which marks the loaded pages all-visible:
 * a search answers its probes from the indexes alone only on such pages, and on a server without autovacuum
 * (this project's machines run one) nothing else ever marks them, so every probe also read the table.
 */
@ApplicationScoped
public class IndexStatistics {

    static final long MIN_ROWS = 5_000;
    private static final Logger LOG = Logger.getLogger(IndexStatistics.class);
    private static final String TABLES =
            "record, search_token, search_string, search_date, search_number, search_reference";

    private final AgroalDataSource dataSource;
    private final AtomicLong writtenSinceAnalyze = new AtomicLong();
    private volatile long recordsAtLastAnalyze = -1;
    /** One analysis at a time, off the request threads; a request that finds one queued or running adds none. */
    private final ExecutorService analyser = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("index-statistics").daemon().factory());

    private final AtomicBoolean analysisPending = new AtomicBoolean();

    public IndexStatistics(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Notes committed records; starts an analysis when enough have changed. Call after the commit. */
    public void recordsCommitted(long count) {
        long written = writtenSinceAnalyze.addAndGet(count);
        if (written >= Math.max(MIN_ROWS, recordsAtLastAnalyze() / 10) && analysisPending.compareAndSet(false, true)) {
            analyser.execute(() -> {
                try {
                    analyze();
                } finally {
                    analysisPending.set(false);
                }
            });
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        analyser.shutdownNow();
    }

    private void analyze() {
        long written = writtenSinceAnalyze.get();
        if (written < Math.max(MIN_ROWS, recordsAtLastAnalyze() / 10)) {
            return; // an analysis that just ended covered these records
        }
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection();
                Statement analyze = c.createStatement()) {
            analyze.execute("VACUUM (ANALYZE) " + TABLES);
            recordsAtLastAnalyze = reltuples(analyze);
            writtenSinceAnalyze.addAndGet(-written);
        } catch (SQLException e) {
            LOG.warnf("could not analyse the search tables: %s", e.getMessage());
            return;
        }
        LOG.infof(
                "vacuumed and analysed the search tables after %d new records (%d records, %d ms)",
                written, recordsAtLastAnalyze, (System.nanoTime() - start) / 1_000_000);
    }

    private long recordsAtLastAnalyze() {
        long known = recordsAtLastAnalyze;
        if (known >= 0) {
            return known;
        }
        try (Connection c = dataSource.getConnection();
                Statement select = c.createStatement()) {
            recordsAtLastAnalyze = reltuples(select);
        } catch (SQLException e) {
            recordsAtLastAnalyze = 0;
        }
        return recordsAtLastAnalyze;
    }

    private static long reltuples(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery(
                "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE relname = 'record'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
