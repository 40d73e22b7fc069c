package health.tessera.records.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Record rows in records-service's database: {@code record} holds the current version of each record,
 * {@code record_version} the versions a newer one replaced (each version's JSON is stored once). Callers own the
 * transaction.
 */
@ApplicationScoped
public class RecordRepository {

    /** A current version, as a version: the columns of {@link StoredRecord}. */
    private static final String CURRENT_COLUMNS =
            "r.resource_type, r.id, r.version, r.organization, r.patient_id, r.last_updated, r.deleted, r.resource";
    /** A replaced version, with its record's owner and patient. */
    private static final String REPLACED_COLUMNS =
            "v.resource_type, v.id, v.version, r.organization, r.patient_id, v.last_updated, v.deleted, v.resource";

    private static final String REPLACED_VERSIONS =
            " FROM record_version v JOIN record r ON r.resource_type = v.resource_type AND r.id = v.id";

    private final AgroalDataSource dataSource;
    /** The same database through the non-blocking client, for reads answered on the event loop. */
    private final io.vertx.mutiny.sqlclient.Pool reactive;

    public RecordRepository(AgroalDataSource dataSource, io.vertx.mutiny.sqlclient.Pool reactive) {
        this.dataSource = dataSource;
        this.reactive = reactive;
    }

    private static final String INSERT_VERSION = "INSERT INTO record_version"
            + " (resource_type, id, version, resource, last_updated, deleted) VALUES (?, ?, ?, ?, ?, ?)";

    /**
     * Runs {@code writes} (in the caller's transaction; the outbox's batched INSERT among them, where records and
     * index rows go by COPY, which plans nothing) with plans PostgreSQL may reuse. The
     * connection otherwise plans every statement for its values, which searches need (application.properties);
     * a multi-row INSERT gains nothing from that and its planning made each batch cost a third more on the
     * database. The connection's setting is back in force when {@code writes} return; when they fail, the
     * transaction is rolled back, which ends the SET LOCAL as well (an aborted transaction would refuse a reset).
     */
    public void withReusablePlans(Runnable writes) {
        setPlanCacheMode("auto");
        writes.run();
        setPlanCacheMode("DEFAULT");
    }

    private void setPlanCacheMode(String mode) {
        try (Connection c = dataSource.getConnection();
                java.sql.Statement set = c.createStatement()) {
            set.execute("SET LOCAL plan_cache_mode TO " + mode);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set plan_cache_mode", e);
        }
    }

    /**
     * Stores the first versions of new records with one COPY (see {@link CopyRows}): a Bundle of thousands of
     * entries costs one round trip, not one per entry.
     */
    public void insertAll(List<StoredRecord> newRecords) {
        insertRendered(newRecords.stream().map(RecordRepository::rendered).toList());
    }

    /** A new record's row as COPY text, for {@link #insertRendered} (no database work: any thread). */
    public static String rendered(StoredRecord record) {
        return new CopyRows()
                .value(record.resourceType())
                .value(record.id())
                .value(record.version())
                .value(record.organization())
                .value(record.patientId())
                .value(record.json())
                .value(record.lastUpdated())
                .value(record.deleted())
                .endRowRendered();
    }

    /** Stores new records from their {@link #rendered} rows with one COPY. */
    public void insertRendered(List<String> renderedRows) {
        if (renderedRows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            CopyRows.copyInto(
                    c,
                    "record",
                    "resource_type, id, version, organization, patient_id, resource, last_updated, deleted",
                    renderedRows);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store " + renderedRows.size() + " new records", e);
        }
    }

    /**
     * Replaces the current version {@code previous} with {@code record}, and keeps {@code previous} in the
     * history, if the current version is still {@code previous}; returns false when another writer got there
     * first. (A version never changes once written, so the copy read before is the one replaced.)
     */
    public boolean replace(StoredRecord record, StoredRecord previous) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement row = c.prepareStatement(
                        "UPDATE record SET version = ?, patient_id = ?, resource = ?,"
                                + " last_updated = ?, deleted = ? WHERE resource_type = ? AND id = ? AND version = ?")) {
            row.setInt(1, record.version());
            row.setString(2, record.patientId());
            row.setString(3, record.json());
            row.setTimestamp(4, Timestamp.from(record.lastUpdated()));
            row.setBoolean(5, record.deleted());
            row.setString(6, record.resourceType());
            row.setObject(7, record.id());
            row.setInt(8, previous.version());
            if (row.executeUpdate() == 0) {
                return false;
            }
            insertVersion(c, previous);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update " + record.resourceType() + "/" + record.id(), e);
        }
    }

    private static void insertVersion(Connection c, StoredRecord record) throws SQLException {
        try (PreparedStatement history = c.prepareStatement(INSERT_VERSION)) {
            bindVersion(history, record);
            history.executeUpdate();
        }
    }

    private static void bindVersion(PreparedStatement history, StoredRecord record) throws SQLException {
        history.setString(1, record.resourceType());
        history.setObject(2, record.id());
        history.setInt(3, record.version());
        history.setString(4, record.json());
        history.setTimestamp(5, Timestamp.from(record.lastUpdated()));
        history.setBoolean(6, record.deleted());
    }

    /** The current version of a record, deleted or not. */
    public Optional<StoredRecord> findCurrent(String resourceType, UUID id) {
        return queryOne(
                "SELECT " + CURRENT_COLUMNS + " FROM record r WHERE r.resource_type = ? AND r.id = ?",
                resourceType,
                id);
    }

    /**
     * {@link #findCurrent} without blocking: the query is sent and answered on the calling event loop, so a read
     * by id needs no worker thread (RecordResource.read).
     */
    public io.smallrye.mutiny.Uni<Optional<StoredRecord>> findCurrentWithoutBlocking(String resourceType, UUID id) {
        return reactive.preparedQuery(
                        "SELECT " + CURRENT_COLUMNS + " FROM record r WHERE r.resource_type = $1 AND r.id = $2")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(resourceType, id))
                .map(rows -> {
                    var found = rows.iterator();
                    if (!found.hasNext()) {
                        return Optional.empty();
                    }
                    io.vertx.mutiny.sqlclient.Row row = found.next();
                    return Optional.of(new StoredRecord(
                            row.getString(0),
                            row.getUUID(1),
                            row.getInteger(2),
                            row.getString(3),
                            row.getString(4),
                            row.getOffsetDateTime(5).toInstant(),
                            row.getBoolean(6),
                            row.getString(7)));
                });
    }

    /** One version of a record, with the record's owner. */
    public Optional<StoredRecord> findVersion(String resourceType, UUID id, int version) {
        return queryOne(
                "SELECT " + CURRENT_COLUMNS + " FROM record r WHERE r.resource_type = ? AND r.id = ? AND r.version = ?"
                        + " UNION ALL SELECT " + REPLACED_COLUMNS + REPLACED_VERSIONS
                        + " WHERE v.resource_type = ? AND v.id = ? AND v.version = ?",
                resourceType,
                id,
                version,
                resourceType,
                id,
                version);
    }

    /** The versions of one record, newest first. */
    public List<StoredRecord> instanceHistory(String resourceType, UUID id, Instant since, int limit) {
        return queryMany(
                "SELECT " + CURRENT_COLUMNS + " FROM record r"
                        + " WHERE r.resource_type = ? AND r.id = ? AND r.last_updated >= ?"
                        + " UNION ALL SELECT " + REPLACED_COLUMNS + REPLACED_VERSIONS
                        + " WHERE v.resource_type = ? AND v.id = ? AND v.last_updated >= ?"
                        + " ORDER BY version DESC LIMIT ?",
                resourceType,
                id,
                Timestamp.from(since),
                resourceType,
                id,
                Timestamp.from(since),
                limit);
    }

    /** The versions of every record of a type owned by {@code organization}, newest first. */
    public List<StoredRecord> typeHistory(String resourceType, String organization, Instant since, int limit) {
        // Each table's newest, read along its own time index, then merged: sorting their union would read all of
        // the type's versions first.
        List<StoredRecord> current = queryMany(
                "SELECT " + CURRENT_COLUMNS + " FROM record r"
                        + " WHERE r.resource_type = ? AND r.organization = ? AND r.last_updated >= ?"
                        + " ORDER BY r.last_updated DESC, r.id, r.version DESC LIMIT ?",
                resourceType,
                organization,
                Timestamp.from(since),
                limit);
        List<StoredRecord> replaced = queryMany(
                "SELECT " + REPLACED_COLUMNS + REPLACED_VERSIONS
                        + " WHERE v.resource_type = ? AND r.organization = ? AND v.last_updated >= ?"
                        + " ORDER BY v.last_updated DESC, v.id, v.version DESC LIMIT ?",
                resourceType,
                organization,
                Timestamp.from(since),
                limit);
        return java.util.stream.Stream.concat(current.stream(), replaced.stream())
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
    }

    /** The order of a type's history: newest first, then by id, a record's versions newest first. */
    private static final java.util.Comparator<StoredRecord> NEWEST_FIRST = java.util.Comparator.comparing(
                    StoredRecord::lastUpdated, java.util.Comparator.reverseOrder())
            .thenComparing(StoredRecord::id)
            .thenComparing(StoredRecord::version, java.util.Comparator.reverseOrder());

    /** A record's current JSON with its type and id. */
    public record RecordJson(String resourceType, UUID id, String json) {}

    /**
     * The current JSON of the given records of {@code resourceType}, in the order of {@code ids}; deleted or
     * unknown ones are left out.
     */
    public List<RecordJson> loadInOrder(String resourceType, List<UUID> ids) {
        return loadInOrder(resourceType, ids, new Visibility.Condition("true", List.of()));
    }

    /**
     * The same for records of several types ({@code types.get(i)} is the type of {@code ids.get(i)}) that {@code
     * visible} (on table alias {@code r}) allows. The key is (type, id), so each record is found through the
     * primary key; by id alone PostgreSQL could only scan the whole table (386 ms a page of $everything with a
     * million records stored).
     */
    public List<RecordJson> loadInOrder(List<String> types, List<UUID> ids, Visibility.Condition visible) {
        List<Object> parameters = new ArrayList<>(List.of(types.toArray(String[]::new), ids.toArray(UUID[]::new)));
        parameters.addAll(visible.parameters());
        return load(
                "SELECT r.resource_type, r.id, r.resource FROM unnest(?::text[], ?::uuid[]) AS k(resource_type, id)"
                        + " JOIN record r ON r.resource_type = k.resource_type AND r.id = k.id WHERE NOT r.deleted"
                        + " AND " + visible.sql(),
                parameters,
                ids);
    }

    /**
     * The same, keeping only what {@code visible} (on table {@code record}) allows: a kept result set is paged
     * through for an hour, and a consent revoked meanwhile must take effect on the next page.
     */
    public List<RecordJson> loadInOrder(String resourceType, List<UUID> ids, Visibility.Condition visible) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(ids.toArray(UUID[]::new));
        parameters.add(resourceType);
        parameters.addAll(visible.parameters());
        return load(
                "SELECT resource_type, id, resource FROM record WHERE id = ANY (?) AND resource_type = ?"
                        + " AND NOT deleted AND " + visible.sql(),
                parameters,
                ids);
    }

    /** Runs {@code sql} (type, id, JSON of each record found) and answers the records in the order of {@code ids}. */
    private List<RecordJson> load(String sql, List<Object> parameters, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        java.util.Map<UUID, RecordJson> found = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            Statements.bind(c, select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(2, UUID.class);
                    found.put(id, new RecordJson(rs.getString(1), id, rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read records", e);
        }
        return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    private Optional<StoredRecord> queryOne(String sql, Object... parameters) {
        List<StoredRecord> found = queryMany(sql, parameters);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<StoredRecord> queryMany(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                List<StoredRecord> records = new ArrayList<>();
                while (rs.next()) {
                    records.add(new StoredRecord(
                            rs.getString(1),
                            rs.getObject(2, UUID.class),
                            rs.getInt(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getTimestamp(6).toInstant(),
                            rs.getBoolean(7),
                            rs.getString(8)));
                }
                return records;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read records", e);
        }
    }
}
