package health.tessera.records.domain.search;

import health.tessera.fhir.ResourceIds;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

/** Writes a record's index entries into the search tables, in the caller's transaction. */
@ApplicationScoped
public class SearchIndexRepository {

    private static final List<String> TABLES =
            List.of("search_token", "search_string", "search_date", "search_number", "search_reference");

    private final AgroalDataSource dataSource;

    public SearchIndexRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The index entries of one record. */
    public record RecordEntries(String resourceType, UUID id, List<IndexEntry> entries) {}

    /** Replaces the entries of one record with {@code entries} (none: the record is no longer searchable). */
    public void replace(String resourceType, UUID id, List<IndexEntry> entries, boolean existedBefore) {
        if (existedBefore) {
            try (Connection c = dataSource.getConnection()) {
                for (String table : TABLES) {
                    try (PreparedStatement delete =
                            c.prepareStatement("DELETE FROM " + table + " WHERE id = ? AND resource_type = ?")) {
                        delete.setObject(1, id);
                        delete.setString(2, resourceType);
                        delete.executeUpdate();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot index " + resourceType + "/" + id, e);
            }
        }
        insertAll(List.of(new RecordEntries(resourceType, id, entries)));
    }

    /** Removes the rows of {@code composites} (paired) of the records {@code ids}, in the caller's transaction. */
    public void deletePaired(String resourceType, List<UUID> ids, List<CompositeParameter> composites) {
        try (Connection c = dataSource.getConnection()) {
            for (CompositeParameter composite : composites) {
                String table =
                        SearchSqlBuilder.tableOf(composite.components().get(1).kind());
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM " + table + " WHERE resource_type = ? AND id = ANY (?) AND param LIKE ?")) {
                    delete.setString(1, resourceType);
                    delete.setArray(2, c.createArrayOf("uuid", ids.toArray()));
                    delete.setString(3, SearchSqlBuilder.escapeLike(composite.key("")) + "%");
                    delete.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot replace the paired rows of " + ids.size() + " records", e);
        }
    }

    /** Adds the entries of records that have none yet: one JDBC batch per index table for all of them. */
    public void insertAll(List<RecordEntries> records) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement token = c.prepareStatement(
                        "INSERT INTO search_token (resource_type, id, param, system, code, text) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement string = c.prepareStatement(
                        "INSERT INTO search_string (resource_type, id, param, normalized, exact) VALUES (?, ?, ?, ?, ?)");
                PreparedStatement date = c.prepareStatement(
                        "INSERT INTO search_date (resource_type, id, param, low, high) VALUES (?, ?, ?, ?, ?)");
                PreparedStatement number = c.prepareStatement(
                        "INSERT INTO search_number (resource_type, id, param, value, system, code) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement reference = c.prepareStatement(
                        "INSERT INTO search_reference (resource_type, id, param, target_type, target_id, target_uuid) VALUES (?, ?, ?, ?, ?, ?)")) {
            boolean[] used = new boolean[5];
            for (RecordEntries record : records) {
                String resourceType = record.resourceType();
                UUID id = record.id();
                for (IndexEntry entry : record.entries()) {
                    PreparedStatement row = switch (entry) {
                        case IndexEntry.Token t -> {
                            used[0] = true;
                            yield bind(token, resourceType, id, t.param(), t.system(), t.code(), t.text());
                        }
                        case IndexEntry.Text s -> {
                            used[1] = true;
                            yield bind(string, resourceType, id, s.param(), s.normalized(), s.exact());
                        }
                        case IndexEntry.DateRange d -> {
                            used[2] = true;
                            yield bind(
                                    date,
                                    resourceType,
                                    id,
                                    d.param(),
                                    Timestamp.from(d.low()),
                                    Timestamp.from(d.high()));
                        }
                        case IndexEntry.Number n -> {
                            used[3] = true;
                            yield bind(number, resourceType, id, n.param(), n.value(), n.system(), n.code());
                        }
                        case IndexEntry.Ref r -> {
                            used[4] = true;
                            yield bind(
                                    reference,
                                    resourceType,
                                    id,
                                    r.param(),
                                    r.targetType(),
                                    r.targetId(),
                                    ResourceIds.asUuid(r.targetId()).orElse(null));
                        }
                    };
                    row.addBatch();
                }
            }
            List<PreparedStatement> statements = List.of(token, string, date, number, reference);
            for (int i = 0; i < statements.size(); i++) {
                if (used[i]) {
                    statements.get(i).executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot index " + records.size() + " records", e);
        }
    }

    private static PreparedStatement bind(PreparedStatement statement, String resourceType, UUID id, Object... values)
            throws SQLException {
        statement.setString(1, resourceType);
        statement.setObject(2, id);
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 3, values[i]);
        }
        return statement;
    }
}
