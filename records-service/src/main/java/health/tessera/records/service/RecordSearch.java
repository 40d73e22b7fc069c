package health.tessera.records.service;

import health.tessera.fhir.FhirException;
import health.tessera.fhir.SearchBundles;
import health.tessera.records.domain.search.SearchParameterRegistry;
import health.tessera.records.domain.search.SearchSqlBuilder;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Runs FHIR searches over the index within the caller's organisation. The matching ids (up to
 * {@link #MAX_RESULTS}) are kept as a result set, so that next/previous pages stay the same while records
 * are being written; pages are then read by id.
 */
@ApplicationScoped
public class RecordSearch {

    public static final int DEFAULT_COUNT = 50;
    public static final int MAX_COUNT = 1000;
    public static final int MAX_RESULTS = 10_000;
    /** Result parameters: they shape the answer rather than select records. */
    static final Set<String> RESULT_PARAMETERS =
            Set.of("_count", "_sort", "_summary", "_format", "_pretty", "_total", "_getpages", "_offset");

    private final AgroalDataSource dataSource;
    private final SearchSqlBuilder sql;

    public RecordSearch(AgroalDataSource dataSource, SearchParameterRegistry registry) {
        this.dataSource = dataSource;
        this.sql = new SearchSqlBuilder(registry);
    }

    /** One page of a search: the ids on it, where it starts, and the whole result set's size and id. */
    public record Page(
            UUID searchId, List<UUID> ids, int offset, int count, int total, boolean capped, List<String> ignored) {}

    /** Runs a new search; unknown parameters are a 400, or ignored (and reported) when {@code lenient}. */
    public Page search(String resourceType, Map<String, List<String>> query, String organization, boolean lenient) {
        RecordStore.requireOwnedType(resourceType);
        int count = SearchBundles.count(first(query, "_count"), DEFAULT_COUNT, MAX_COUNT);
        String summary = first(query, "_summary");
        if (summary != null && !summary.equals("count") && !summary.equals("false")) {
            throw FhirException.badRequest("_summary supports count and false");
        }
        List<String> ignored = new ArrayList<>();
        StringBuilder where = new StringBuilder("r.resource_type = ? AND r.organization = ? AND NOT r.deleted");
        List<Object> parameters = new ArrayList<>(List.of(resourceType, organization));
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (RESULT_PARAMETERS.contains(parameter.getKey())) {
                continue;
            }
            for (String value : parameter.getValue()) {
                if (value == null || value.isEmpty()) {
                    continue; // an empty parameter is ignored, as the FHIR spec says
                }
                try {
                    var condition = sql.condition(resourceType, "r", organization, parameter.getKey(), value);
                    where.append(" AND ").append(condition.sql);
                    parameters.addAll(condition.parameters);
                } catch (SearchSqlBuilder.UnknownParameterException e) {
                    if (!lenient) {
                        throw FhirException.badRequest(
                                "Unknown search parameter for " + resourceType + ": " + parameter.getKey());
                    }
                    ignored.add(parameter.getKey());
                }
            }
        }
        String orderBy = orderBy(resourceType, first(query, "_sort"), lenient, ignored);
        List<UUID> ids = queryIds(
                "SELECT r.id FROM record r WHERE " + where + " ORDER BY " + orderBy + " LIMIT " + (MAX_RESULTS + 1),
                parameters);
        boolean capped = ids.size() > MAX_RESULTS;
        if (capped) {
            ids = ids.subList(0, MAX_RESULTS);
        }
        UUID searchId = null;
        if (ids.size() > count && !"count".equals(summary)) {
            searchId = UUID.randomUUID();
            saveResultSet(searchId, organization, resourceType, ids);
        }
        int pageSize = "count".equals(summary) ? 0 : count;
        return new Page(
                searchId, ids.subList(0, Math.min(pageSize, ids.size())), 0, pageSize, ids.size(), capped, ignored);
    }

    /** A further page of a kept result set; unknown, expired or another organisation's sets are a 404. */
    public Page page(String searchId, String offsetText, String countText, String organization) {
        UUID id = health.tessera.fhir.ResourceIds.asUuid(searchId)
                .orElseThrow(() -> new FhirException(
                        404, IssueType.NOTFOUND, "Search result " + searchId + " is not known or has expired"));
        int count = SearchBundles.count(countText, DEFAULT_COUNT, MAX_COUNT);
        int offset;
        try {
            offset = offsetText == null ? 0 : Integer.parseInt(offsetText);
        } catch (NumberFormatException e) {
            throw FhirException.badRequest("_offset must be a whole number");
        }
        if (offset < 0) {
            throw FhirException.badRequest("_offset must not be negative");
        }
        List<UUID> all = loadResultSet(id, organization)
                .orElseThrow(() -> new FhirException(
                        404, IssueType.NOTFOUND, "Search result " + searchId + " is not known or has expired"));
        int from = Math.min(offset, all.size());
        return new Page(
                id,
                all.subList(from, Math.min(from + count, all.size())),
                from,
                count,
                all.size(),
                all.size() >= MAX_RESULTS,
                List.of());
    }

    /** The stored JSON of the given records in the given order (records deleted since are left out). */
    public List<String> load(String resourceType, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, String> found = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT id, resource::text FROM record WHERE resource_type = ? AND id = ANY (?) AND NOT deleted")) {
            select.setString(1, resourceType);
            select.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read search results", e);
        }
        return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    private String orderBy(String resourceType, String sort, boolean lenient, List<String> ignored) {
        List<String> keys = new ArrayList<>();
        if (sort != null && !sort.isBlank()) {
            for (String key : sort.split(",")) {
                try {
                    keys.add(sql.sortExpression(resourceType, key.trim()));
                } catch (SearchSqlBuilder.UnknownParameterException e) {
                    if (!lenient) {
                        throw FhirException.badRequest(
                                "Cannot sort " + resourceType + " by unknown parameter " + key.trim());
                    }
                    ignored.add("_sort=" + key.trim());
                }
            }
        }
        keys.add("r.last_updated DESC");
        keys.add("r.id");
        return String.join(", ", keys);
    }

    private List<UUID> queryIds(String statement, List<Object> parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                if (value instanceof UUID[] uuids) {
                    select.setArray(i + 1, c.createArrayOf("uuid", uuids));
                } else {
                    select.setObject(i + 1, value);
                }
            }
            try (ResultSet rs = select.executeQuery()) {
                List<UUID> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
                return ids;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("search failed", e);
        }
    }

    private void saveResultSet(UUID searchId, String organization, String query, List<UUID> ids) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO search_result (search_id, organization, query, ids) VALUES (?, ?, ?, ?)")) {
            insert.setObject(1, searchId);
            insert.setString(2, organization);
            insert.setString(3, query);
            insert.setArray(4, c.createArrayOf("uuid", ids.toArray()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot keep the search result", e);
        }
    }

    private Optional<List<UUID>> loadResultSet(UUID searchId, String organization) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT ids FROM search_result WHERE search_id = ? AND organization = ?")) {
            select.setObject(1, searchId);
            select.setString(2, organization);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array ids = rs.getArray(1);
                return Optional.of(Arrays.asList((UUID[]) ids.getArray()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the search result", e);
        }
    }

    /** Result sets live an hour: long enough to page through, short enough to keep the table small. */
    @Scheduled(every = "10m", delayed = "1m")
    void expireResultSets() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement delete =
                        c.prepareStatement("DELETE FROM search_result WHERE created_at < now() - interval '1 hour'")) {
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot expire search results", e);
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
