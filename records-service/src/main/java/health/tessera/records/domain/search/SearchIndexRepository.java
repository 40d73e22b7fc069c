package health.tessera.records.domain.search;

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

    /** Replaces the entries of one record with {@code entries} (none: the record is no longer searchable). */
    public void replace(String resourceType, UUID id, List<IndexEntry> entries, boolean existedBefore) {
        try (Connection c = dataSource.getConnection()) {
            if (existedBefore) {
                for (String table : TABLES) {
                    try (PreparedStatement delete =
                            c.prepareStatement("DELETE FROM " + table + " WHERE id = ? AND resource_type = ?")) {
                        delete.setObject(1, id);
                        delete.setString(2, resourceType);
                        delete.executeUpdate();
                    }
                }
            }
            try (PreparedStatement token = c.prepareStatement(
                            "INSERT INTO search_token (resource_type, id, param, system, code, text) VALUES (?, ?, ?, ?, ?, ?)");
                    PreparedStatement string = c.prepareStatement(
                            "INSERT INTO search_string (resource_type, id, param, normalized, exact) VALUES (?, ?, ?, ?, ?)");
                    PreparedStatement date = c.prepareStatement(
                            "INSERT INTO search_date (resource_type, id, param, low, high) VALUES (?, ?, ?, ?, ?)");
                    PreparedStatement number = c.prepareStatement(
                            "INSERT INTO search_number (resource_type, id, param, value, system, code) VALUES (?, ?, ?, ?, ?, ?)");
                    PreparedStatement reference = c.prepareStatement(
                            "INSERT INTO search_reference (resource_type, id, param, target_type, target_id, target_uuid) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (IndexEntry entry : entries) {
                    PreparedStatement row = switch (entry) {
                        case IndexEntry.Token t ->
                            bind(token, resourceType, id, t.param(), t.system(), t.code(), t.text());
                        case IndexEntry.Text s -> bind(string, resourceType, id, s.param(), s.normalized(), s.exact());
                        case IndexEntry.DateRange d ->
                            bind(date, resourceType, id, d.param(), Timestamp.from(d.low()), Timestamp.from(d.high()));
                        case IndexEntry.Number n ->
                            bind(number, resourceType, id, n.param(), n.value(), n.system(), n.code());
                        case IndexEntry.Ref r ->
                            bind(
                                    reference,
                                    resourceType,
                                    id,
                                    r.param(),
                                    r.targetType(),
                                    r.targetId(),
                                    health.tessera.fhir.ResourceIds.asUuid(r.targetId())
                                            .orElse(null));
                    };
                    row.addBatch();
                }
                for (PreparedStatement batch : List.of(token, string, date, number, reference)) {
                    batch.executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot index " + resourceType + "/" + id, e);
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
