package health.tessera.patient.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Source Patient rows in patient-service's database. Callers own the transaction. */
@ApplicationScoped
public class PatientRepository {

    /** Rows the matching index reads per statement while it catches up. */
    private static final int CATCH_UP_PAGE = 5_000;

    private final AgroalDataSource dataSource;

    public PatientRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(SourcePatient patient) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement row = c.prepareStatement(
                        "INSERT INTO patient (id, organization, enterprise_id, version, resource, last_updated)"
                                + " VALUES (?, ?, ?, ?, ?::jsonb, ?)")) {
            row.setObject(1, patient.id());
            row.setString(2, patient.organization());
            row.setObject(3, patient.enterpriseId());
            row.setInt(4, patient.version());
            row.setString(5, patient.json());
            row.setTimestamp(6, Timestamp.from(patient.lastUpdated()));
            row.executeUpdate();
            keepVersion(c, patient, false);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store Patient " + patient.id(), e);
        }
    }

    /** The source record, unless it is unknown or deleted. */
    public Optional<SourcePatient> find(UUID id) {
        return find(id, false);
    }

    /** The source record if it was deleted (its tombstone: the last version stored before the deletion). */
    public Optional<SourcePatient> findDeleted(UUID id) {
        return find(id, true);
    }

    private Optional<SourcePatient> find(UUID id, boolean deleted) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM patient WHERE id = ? AND deleted = " + deleted)) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read Patient " + id, e);
        }
    }

    /** Ids of the organisation's patients that carry the identifier (any system when {@code system} is null). */
    public java.util.List<UUID> findByIdentifier(String organization, String system, String value) {
        return withIdentifier(organization, system, value).stream()
                .map(SourcePatient::id)
                .toList();
    }

    /** Whether any record carries an identifier of {@code system} (an identifier domain known here). */
    public boolean knowsIdentifierSystem(String system) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT EXISTS (SELECT 1 FROM patient_identifier WHERE system = ?)")) {
            select.setString(1, system);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up identifier system " + system, e);
        }
    }

    /**
     * The patients that carry the identifier, of {@code organization} or of any organisation (null), oldest first;
     * any system when {@code system} is null.
     */
    public java.util.List<SourcePatient> withIdentifier(String organization, String system, String value) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM patient WHERE id IN"
                        + " (SELECT patient_id FROM patient_identifier WHERE value = ?"
                        + (system == null ? "" : " AND system = ?") + ")"
                        + (organization == null ? "" : " AND organization = ?")
                        + " ORDER BY created_at LIMIT 100")) {
            int i = 1;
            select.setString(i++, value);
            if (system != null) {
                select.setString(i++, system);
            }
            if (organization != null) {
                select.setString(i, organization);
            }
            try (ResultSet rs = select.executeQuery()) {
                java.util.List<SourcePatient> found = new java.util.ArrayList<>();
                while (rs.next()) {
                    found.add(row(rs));
                }
                return found;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search patients by identifier", e);
        }
    }

    /** A record that carries one of the identifiers asked about, and which. */
    public record Holder(SourcePatient patient, String system, String value) {}

    /** The records that carry any of {@code identifiers} ({system, value} pairs), in one query. */
    public java.util.List<Holder> holdersOf(java.util.List<String[]> identifiers) {
        if (identifiers.isEmpty()) {
            return java.util.List.of();
        }
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < identifiers.size(); i++) {
            pairs.append(i == 0 ? "" : " OR ").append("(x.value = ? AND x.system = ?)");
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS.replaceAll("(^|, )", "$1p.")
                        + ", x.system, x.value FROM patient_identifier x JOIN patient p ON p.id = x.patient_id WHERE "
                        + pairs + " LIMIT 100")) {
            int i = 1;
            for (String[] identifier : identifiers) {
                select.setString(i++, identifier[1]);
                select.setString(i++, identifier[0]);
            }
            try (ResultSet rs = select.executeQuery()) {
                java.util.List<Holder> found = new java.util.ArrayList<>();
                while (rs.next()) {
                    found.add(new Holder(row(rs), rs.getString(8), rs.getString(9)));
                }
                return found;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up identifiers", e);
        }
    }

    /** The version row (vread, history) and the identifier rows of a record just inserted or updated. */
    private static void keepVersion(Connection c, SourcePatient patient, boolean updated) throws SQLException {
        try (PreparedStatement history = c.prepareStatement(
                "INSERT INTO patient_version (id, version, resource, last_updated) VALUES (?, ?, ?::jsonb, ?)")) {
            history.setObject(1, patient.id());
            history.setInt(2, patient.version());
            history.setString(3, patient.json());
            history.setTimestamp(4, Timestamp.from(patient.lastUpdated()));
            history.executeUpdate();
        }
        indexIdentifiers(c, patient.id(), patient.json(), updated);
    }

    /** Replaces the identifier rows of a record with those of its JSON (after an insert or an update). */
    private static void indexIdentifiers(Connection c, UUID id, String json, boolean replace) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM patient_identifier WHERE patient_id = ?");
                PreparedStatement insert =
                        c.prepareStatement("INSERT INTO patient_identifier (patient_id, system, value)"
                                + " SELECT ?, coalesce(i ->> 'system', ''), i ->> 'value'"
                                + " FROM jsonb_array_elements(?::jsonb -> 'identifier') i"
                                + " WHERE i ->> 'value' IS NOT NULL ON CONFLICT DO NOTHING")) {
            if (replace) {
                delete.setObject(1, id);
                delete.executeUpdate();
            }
            insert.setObject(1, id);
            insert.setString(2, json);
            insert.executeUpdate();
        }
    }

    /**
     * The source patients inserted, updated or relinked after change number {@code after}, in that order, with
     * their change numbers: the matching index is built from 0 at start and catches up from its last number
     * before each decision (another replica may have written since).
     */
    public long forEachChangedSince(long after, java.util.function.BiConsumer<SourcePatient, Boolean> each) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                        + ", change_seq, deleted FROM patient WHERE change_seq > ? ORDER BY change_seq LIMIT "
                        + CATCH_UP_PAGE)) {
            // Planned on every execution: a server-side prepared statement keeps the generic plan made while the
            // table was small (a sort of the whole table), and without autovacuum nothing makes a better one.
            select.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
            select.setFetchSize(1000);
            long last = after;
            int read;
            do {
                select.setLong(1, last);
                read = 0;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        each.accept(row(rs), rs.getBoolean(9));
                        last = rs.getLong(8);
                        read++;
                    }
                }
            } while (read == CATCH_UP_PAGE);
            return last;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read patients", e);
        }
    }

    /** One page of the organisation's patients that {@code search} finds, oldest first, and the total. */
    public record Page(java.util.List<SourcePatient> patients, int total) {}

    public Page search(String organization, PatientSearch search, int count, int offset) {
        String from = " FROM patient WHERE organization = ? AND NOT deleted" + search.where();
        try (Connection c = dataSource.getConnection();
                PreparedStatement total = c.prepareStatement("SELECT count(*)" + from);
                PreparedStatement select =
                        c.prepareStatement("SELECT " + COLUMNS + from + " ORDER BY created_at, id LIMIT ? OFFSET ?")) {
            int next = bind(total, organization, search);
            bind(select, organization, search);
            select.setInt(next, count);
            select.setInt(next + 1, offset);
            int matches;
            try (ResultSet rs = total.executeQuery()) {
                rs.next();
                matches = rs.getInt(1);
            }
            java.util.List<SourcePatient> found = new java.util.ArrayList<>();
            if (count > 0) {
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.add(row(rs));
                    }
                }
            }
            return new Page(found, matches);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search patients", e);
        }
    }

    /** Binds the organisation and the search's arguments; returns the next parameter index. */
    private static int bind(PreparedStatement statement, String organization, PatientSearch search)
            throws SQLException {
        int i = 1;
        statement.setString(i++, organization);
        for (Object argument : search.arguments()) {
            statement.setObject(i++, argument);
        }
        return i;
    }

    /** One stored version: its JSON, or null for the version that deleted the record. */
    public record Version(int version, Instant lastUpdated, String json) {
        public boolean deletion() {
            return json == null;
        }
    }

    /** Every stored version of a source record, newest first. */
    public java.util.List<Version> versions(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT version, last_updated, resource::text"
                        + " FROM patient_version WHERE id = ? ORDER BY version DESC")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                java.util.List<Version> versions = new java.util.ArrayList<>();
                while (rs.next()) {
                    versions.add(new Version(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3)));
                }
                return versions;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the history of Patient " + id, e);
        }
    }

    /** A new version of a source record (its link unchanged); the caller has checked the version. */
    public void update(SourcePatient patient) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement row =
                        c.prepareStatement("UPDATE patient SET version = ?, resource = ?::jsonb, last_updated = ?,"
                                + " change_seq = nextval('patient_change_seq') WHERE id = ?")) {
            row.setInt(1, patient.version());
            row.setString(2, patient.json());
            row.setTimestamp(3, Timestamp.from(patient.lastUpdated()));
            row.setObject(4, patient.id());
            row.executeUpdate();
            keepVersion(c, patient, true);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update Patient " + patient.id(), e);
        }
    }

    /**
     * Deletes a source record: a new version without content, the row kept as a tombstone (out of its identity,
     * searches and matching at the next catch-up), its identifiers free for another record.
     */
    public void delete(UUID id, int version, Instant at) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement row = c.prepareStatement("UPDATE patient SET deleted = true, version = ?,"
                        + " last_updated = ?, change_seq = nextval('patient_change_seq') WHERE id = ?");
                PreparedStatement history = c.prepareStatement("INSERT INTO patient_version"
                        + " (id, version, resource, last_updated, deleted) VALUES (?, ?, NULL, ?, true)");
                PreparedStatement identifiers =
                        c.prepareStatement("DELETE FROM patient_identifier WHERE patient_id = ?")) {
            row.setInt(1, version);
            row.setTimestamp(2, Timestamp.from(at));
            row.setObject(3, id);
            row.executeUpdate();
            history.setObject(1, id);
            history.setInt(2, version);
            history.setTimestamp(3, Timestamp.from(at));
            history.executeUpdate();
            identifiers.setObject(1, id);
            identifiers.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete Patient " + id, e);
        }
    }

    /** Moves a source record to another enterprise identity; returns the new link number. */
    public int relink(UUID patientId, UUID enterpriseId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update =
                        c.prepareStatement("UPDATE patient SET enterprise_id = ?, link_version = link_version + 1,"
                                + " change_seq = nextval('patient_change_seq') WHERE id = ? RETURNING link_version")) {
            update.setObject(1, enterpriseId);
            update.setObject(2, patientId);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no Patient " + patientId);
                }
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot relink Patient " + patientId, e);
        }
    }

    /** The source records linked to an enterprise identity, oldest first. */
    public java.util.List<SourcePatient> members(UUID enterpriseId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM patient WHERE enterprise_id = ? AND NOT deleted ORDER BY created_at, id")) {
            select.setObject(1, enterpriseId);
            try (ResultSet rs = select.executeQuery()) {
                java.util.List<SourcePatient> members = new java.util.ArrayList<>();
                while (rs.next()) {
                    members.add(row(rs));
                }
                return members;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the records of enterprise " + enterpriseId, e);
        }
    }

    private static final String COLUMNS =
            "id, organization, enterprise_id, version, last_updated, resource::text, link_version";

    /** A row of {@link #COLUMNS}. */
    private static SourcePatient row(ResultSet rs) throws SQLException {
        return new SourcePatient(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getObject(3, UUID.class),
                rs.getInt(4),
                rs.getTimestamp(5).toInstant(),
                rs.getString(6),
                rs.getInt(7));
    }
}
