package health.tessera.records.domain.search;

import health.tessera.fhir.ResourceIds;
import health.tessera.records.domain.CopyRows;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

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

    /**
     * Adds the entries of records that have none yet: one COPY per index table for all of them (a Bundle's records
     * write about ten rows each; see {@link CopyRows}).
     */
    public void insertAll(List<RecordEntries> records) {
        insertRendered(records.stream().map(SearchIndexRepository::rendered).toList());
    }

    /** A record's index rows as COPY text, per table ("" for none): {@link #rendered}, for {@link #insertRendered}. */
    public record RenderedEntries(String token, String string, String date, String number, String reference) {}

    /** {@code record}'s index rows as COPY text (no database work: any thread). */
    public static RenderedEntries rendered(RecordEntries record) {
        CopyRows token = new CopyRows();
        CopyRows string = new CopyRows();
        CopyRows date = new CopyRows();
        CopyRows number = new CopyRows();
        CopyRows reference = new CopyRows();
        for (IndexEntry entry : record.entries()) {
            CopyRows rows = switch (entry) {
                case IndexEntry.Token t -> row(token, record, t.param(), t.system(), t.code(), t.text());
                case IndexEntry.Text s -> row(string, record, s.param(), s.normalized(), s.exact());
                case IndexEntry.DateRange d -> row(date, record, d.param(), d.low(), d.high());
                case IndexEntry.Number n -> row(number, record, n.param(), n.value(), n.system(), n.code());
                case IndexEntry.Ref r ->
                    row(
                            reference,
                            record,
                            r.param(),
                            r.targetType(),
                            r.targetId(),
                            ResourceIds.asUuid(r.targetId()).orElse(null));
            };
            rows.endRow();
        }
        return new RenderedEntries(
                token.rendered(), string.rendered(), date.rendered(), number.rendered(), reference.rendered());
    }

    /** An index table, the columns its rendered rows fill, and a record's rendered rows for it. */
    private record IndexTable(String name, String columns, Function<RenderedEntries, String> rows) {}

    private static final List<IndexTable> INDEX_TABLES = List.of(
            new IndexTable("search_token", "resource_type, id, param, system, code, text", RenderedEntries::token),
            new IndexTable("search_string", "resource_type, id, param, normalized, exact", RenderedEntries::string),
            new IndexTable("search_date", "resource_type, id, param, low, high", RenderedEntries::date),
            new IndexTable("search_number", "resource_type, id, param, value, system, code", RenderedEntries::number),
            new IndexTable(
                    "search_reference",
                    "resource_type, id, param, target_type, target_id, target_uuid",
                    RenderedEntries::reference));

    /** Adds {@link #rendered} index rows of records that have none yet: one COPY per index table for all of them. */
    public void insertRendered(List<RenderedEntries> records) {
        try (Connection c = dataSource.getConnection()) {
            for (IndexTable table : INDEX_TABLES) {
                CopyRows.copyInto(
                        c,
                        table.name(),
                        table.columns(),
                        records.stream().map(table.rows()).toList());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot index " + records.size() + " records", e);
        }
    }

    private static CopyRows row(CopyRows rows, RecordEntries record, Object... values) {
        rows.value(record.resourceType()).value(record.id());
        for (Object value : values) {
            rows.value(value);
        }
        return rows;
    }
}
