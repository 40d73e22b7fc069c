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
    static final Set<String> RESULT_PARAMETERS = Set.of(
            "_count",
            "_sort",
            "_summary",
            "_elements",
            "_format",
            "_pretty",
            "_total",
            "_getpages",
            "_offset",
            "_include",
            "_revinclude",
            "_include:iterate",
            "_revinclude:iterate");
    /** How many rounds of {@code :iterate} includes are followed at most. */
    public static final int MAX_INCLUDE_DEPTH = 3;
    /** How many resources one page may include at most. */
    public static final int MAX_INCLUDED = 1000;

    private final AgroalDataSource dataSource;
    private final health.tessera.records.domain.RecordRepository records;
    private final SearchParameterRegistry registry;
    private final SearchSqlBuilder sql;

    /** How long a search's query may run before it is stopped (413 too-costly). */
    private final java.time.Duration timeout;

    public RecordSearch(
            AgroalDataSource dataSource,
            health.tessera.records.domain.RecordRepository records,
            SearchParameterRegistry registry,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "tessera.records.search.timeout")
                    java.time.Duration timeout) {
        this.timeout = timeout;
        this.dataSource = dataSource;
        this.records = records;
        this.registry = registry;
        this.sql = new SearchSqlBuilder(registry);
    }

    /** One page of a search: the ids on it, where it starts, and the whole result set's size and id. */
    public record Page(
            UUID searchId, List<UUID> ids, int offset, int count, int total, boolean capped, List<String> ignored) {}

    /** Runs a new search; unknown parameters are a 400, or ignored (and reported) when {@code lenient}. */
    public Page search(String resourceType, Map<String, List<String>> query, String organization, boolean lenient) {
        return search(
                resourceType, query, health.tessera.records.domain.Visibility.organization(organization), lenient);
    }

    /**
     * Runs a new search over what {@code visibility} shows. In a patient context the search covers the patient's
     * records in every organisation; chains, {@code _has} and includes, which would reach past the compartment,
     * are refused there (400).
     */
    public Page search(
            String resourceType,
            Map<String, List<String>> query,
            health.tessera.records.domain.Visibility visibility,
            boolean lenient) {
        RecordStore.requireOwnedType(resourceType);
        if (visibility.isPatient()) {
            for (String name : query.keySet()) {
                if (name.startsWith("_has")
                        || name.contains(".")
                        || name.startsWith("_include")
                        || name.startsWith("_revinclude")) {
                    throw FhirException.badRequest(
                            name + " is not available with a patient's own (patient/) token; search the records"
                                    + " themselves");
                }
            }
        }
        String organization = visibility.organization();
        int count = SearchBundles.count(first(query, "_count"), DEFAULT_COUNT, MAX_COUNT);
        String summary = first(query, "_summary");
        if (summary != null
                && !List.of("count", "false", "true", "text", "data").contains(summary)) {
            throw FhirException.badRequest("_summary is one of true, text, data, count and false");
        }
        SearchBundles.checkTotal(first(query, "_total"));
        List<String> ignored = new ArrayList<>();
        var visible = visibility.recordCondition("r");
        StringBuilder where = new StringBuilder("r.resource_type = ? AND " + visible.sql() + " AND NOT r.deleted");
        List<Object> parameters = new ArrayList<>(List.of(resourceType));
        parameters.addAll(visible.parameters());
        // A plain reference to a patient starts the search when there is one: its index rows are tested
        // against the other conditions (aliased d) before any record is looked up. Searching a patient's blood
        // pressures at 1M Observations touched 1,291 buffers this way, 1,857 with every condition on the record.
        Driver driver = driver(resourceType, query);
        StringBuilder onDriver = new StringBuilder();
        List<Object> driverParameters = new ArrayList<>();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (RESULT_PARAMETERS.contains(parameter.getKey())) {
                continue;
            }
            List<String> values = parameter.getValue();
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                if (value == null || value.isEmpty()) {
                    continue; // an empty parameter is ignored, as the FHIR spec says
                }
                if (driver != null && driver.is(parameter.getKey(), i)) {
                    continue;
                }
                boolean onRows = driver != null && !SearchSqlBuilder.readsRecordColumns(parameter.getKey());
                try {
                    var condition =
                            sql.condition(resourceType, onRows ? "d" : "r", organization, parameter.getKey(), value);
                    (onRows ? onDriver : where).append(" AND ").append(condition.sql);
                    (onRows ? driverParameters : parameters).addAll(condition.parameters);
                } catch (SearchSqlBuilder.UnknownParameterException e) {
                    if (!lenient) {
                        throw FhirException.badRequest(
                                "Unknown search parameter for " + resourceType + ": " + parameter.getKey());
                    }
                    ignored.add(parameter.getKey());
                }
            }
        }
        if (driver != null) {
            // ARRAY(...) is worked out once, then each id found through the primary key; as IN (...) PostgreSQL may
            // join it again for every record when it has no statistics (a fresh table), which took over 10 s.
            where.append(" AND r.id = ANY (ARRAY(SELECT d.id FROM (")
                    .append(driver.rows().sql)
                    .append(") d WHERE true")
                    .append(onDriver)
                    .append("))");
            parameters.addAll(driver.rows().parameters);
            parameters.addAll(driverParameters);
        }
        if ("count".equals(summary)) {
            // Only the number: counted exactly, however many match (no result set is kept).
            int total = health.tessera.records.domain.Statements.queryCount(
                    dataSource, "SELECT count(*) FROM record r WHERE " + where, parameters, timeout);
            return new Page(null, List.of(), 0, 0, total, false, ignored);
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
        if (ids.size() > count) {
            searchId = UUID.randomUUID();
            saveResultSet(searchId, visibility.resultOwner(), resourceType, ids);
        }
        return new Page(searchId, ids.subList(0, Math.min(count, ids.size())), 0, count, ids.size(), capped, ignored);
    }

    /** The condition a search starts from: value {@code index} of parameter {@code name}, and its index rows. */
    private record Driver(String name, int index, health.tessera.records.domain.search.SearchQuery rows) {
        boolean is(String parameterName, int valueIndex) {
            return name.equals(parameterName) && index == valueIndex;
        }
    }

    /** The first plain reference to a patient among the search's conditions, or null (SearchSqlBuilder.referenceRows). */
    private Driver driver(String resourceType, Map<String, List<String>> query) {
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (RESULT_PARAMETERS.contains(parameter.getKey())) {
                continue;
            }
            List<String> values = parameter.getValue();
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null) {
                    continue;
                }
                var rows = sql.referenceRows(resourceType, parameter.getKey(), values.get(i));
                if (rows.isPresent()) {
                    return new Driver(parameter.getKey(), i, rows.get());
                }
            }
        }
        return null;
    }

    /**
     * The ids matching a conditional interaction's criteria ({@code If-None-Exist}, conditional update), at
     * most two: the caller only needs to tell none, one and many apart.
     */
    public List<UUID> matchForCondition(String resourceType, String criteria, String organization) {
        Map<String, List<String>> query = parseQueryString(criteria);
        if (query.isEmpty()) {
            throw FhirException.badRequest("A conditional interaction needs search criteria");
        }
        List<UUID> ids = search(resourceType, query, organization, false).ids();
        return ids.subList(0, Math.min(2, ids.size()));
    }

    /** {@code a=1&b=x%7Cy} as a parameter map (URL-decoded). */
    public static Map<String, List<String>> parseQueryString(String criteria) {
        Map<String, List<String>> query = new java.util.LinkedHashMap<>();
        if (criteria == null) {
            return query;
        }
        String text = criteria.contains("?") ? criteria.substring(criteria.indexOf('?') + 1) : criteria;
        for (String pair : text.split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(
                    equals < 0 ? pair : pair.substring(0, equals), java.nio.charset.StandardCharsets.UTF_8);
            String value = equals < 0
                    ? ""
                    : java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /** A resource a page includes: its type, id and stored JSON. */
    public record Included(String resourceType, String id, String json) {}

    /**
     * The resources {@code _include} and {@code _revinclude} add to a page, within the caller's organisation
     * (what it may not see is simply not included). {@code :iterate} repeats on what was included, up to
     * {@link #MAX_INCLUDE_DEPTH} rounds.
     */
    public List<Included> includes(
            String resourceType, List<UUID> pageIds, Map<String, List<String>> query, String organization) {
        List<String[]> includes = specs(query, "_include");
        List<String[]> revincludes = specs(query, "_revinclude");
        List<String[]> iterateIncludes = specs(query, "_include:iterate");
        List<String[]> iterateRevincludes = specs(query, "_revinclude:iterate");
        if (includes.isEmpty() && revincludes.isEmpty() && iterateIncludes.isEmpty() && iterateRevincludes.isEmpty()) {
            return List.of();
        }
        java.util.LinkedHashMap<String, Included> found = new java.util.LinkedHashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        pageIds.forEach(id -> seen.add(resourceType + "/" + id));
        Map<String, List<UUID>> round = Map.of(resourceType, pageIds);
        for (int depth = 0; depth <= MAX_INCLUDE_DEPTH && !round.isEmpty() && found.size() < MAX_INCLUDED; depth++) {
            List<String[]> forward = new ArrayList<>(iterateIncludes);
            List<String[]> backward = new ArrayList<>(iterateRevincludes);
            if (depth == 0) {
                forward.addAll(includes);
                backward.addAll(revincludes);
            }
            Map<String, List<UUID>> next = new HashMap<>();
            for (Map.Entry<String, List<UUID>> sources : round.entrySet()) {
                for (String[] spec : forward) {
                    if (spec[0].equals(sources.getKey())) {
                        collect(forwardTargets(spec, sources.getValue(), organization), found, seen, next);
                    }
                }
                for (String[] spec : backward) {
                    if (spec.length >= 2 && (spec.length < 3 || spec[2].equals(sources.getKey()))) {
                        collect(referrers(spec, sources.getKey(), sources.getValue(), organization), found, seen, next);
                    }
                }
            }
            round = next;
        }
        return List.copyOf(found.values()).subList(0, Math.min(found.size(), MAX_INCLUDED));
    }

    private static void collect(
            List<Object[]> rows, Map<String, Included> found, Set<String> seen, Map<String, List<UUID>> next) {
        for (Object[] row : rows) {
            String key = row[0] + "/" + row[1];
            if (seen.add(key)) {
                found.put(key, new Included((String) row[0], String.valueOf(row[1]), (String) row[2]));
                if (row[1] instanceof UUID uuid) {
                    next.computeIfAbsent((String) row[0], k -> new ArrayList<>())
                            .add(uuid);
                }
            }
        }
    }

    private List<String[]> specs(Map<String, List<String>> query, String name) {
        List<String[]> specs = new ArrayList<>();
        for (String value : query.getOrDefault(name, List.of())) {
            String[] parts = value.split(":");
            if (parts.length < 2 || parts.length > 3) {
                throw FhirException.badRequest(name + " takes Type:parameter[:targetType], not " + value);
            }
            if (!health.tessera.fhir.ResourceOwnership.RECORDS.owns(parts[0])
                    || registry.find(parts[0], parts[1]).isEmpty()) {
                throw FhirException.badRequest(
                        name + "=" + value + ": " + parts[0] + " has no reference parameter " + parts[1]);
            }
            specs.add(parts);
        }
        return specs;
    }

    /** [type, id, json] of what {@code spec} (Type:param[:target]) points at from {@code ids}: records and patients. */
    private List<Object[]> forwardTargets(String[] spec, List<UUID> ids, String organization) {
        List<Object[]> rows = new ArrayList<>();
        String targetFilter = spec.length == 3 ? " AND x.target_type = ?" : "";
        var parameterRows = referenceRows(spec);
        String recordsSql = "SELECT t.resource_type, t.id, t.resource::text FROM search_reference x JOIN record t"
                + " ON t.resource_type = x.target_type AND t.id = x.target_uuid"
                + " WHERE x.resource_type = ? AND " + parameterRows.sql + " AND x.id = ANY (?)" + targetFilter
                + " AND t.organization = ? AND NOT t.deleted";
        String patientsSql =
                "SELECT 'Patient', p.patient_id, p.resource::text FROM search_reference x JOIN patient_projection p"
                        + " ON x.target_type = 'Patient' AND p.patient_id = x.target_id"
                        + " WHERE x.resource_type = ? AND " + parameterRows.sql + " AND x.id = ANY (?)" + targetFilter
                        + " AND p.organization = ? AND NOT p.deleted";
        for (String sql : List.of(recordsSql, patientsSql)) {
            List<Object> parameters = new ArrayList<>(List.of(spec[0]));
            parameters.addAll(parameterRows.parameters);
            parameters.add(ids.toArray(new UUID[0]));
            if (spec.length == 3) {
                parameters.add(spec[2]);
            }
            parameters.add(organization);
            rows.addAll(queryRows(sql, parameters));
        }
        return rows;
    }

    /** [type, id, json] of the {@code spec[0]} records whose {@code spec[1]} points at {@code ids}. */
    private List<Object[]> referrers(String[] spec, String targetType, List<UUID> ids, String organization) {
        var parameterRows = referenceRows(spec);
        List<Object> parameters = new ArrayList<>(List.of(spec[0]));
        parameters.addAll(parameterRows.parameters);
        parameters.addAll(List.of(targetType, ids.toArray(new UUID[0]), organization));
        return queryRows(
                "SELECT h.resource_type, h.id, h.resource::text FROM search_reference x JOIN record h"
                        + " ON h.resource_type = x.resource_type AND h.id = x.id"
                        + " WHERE x.resource_type = ? AND " + parameterRows.sql
                        + " AND x.target_type = ? AND x.target_uuid = ANY (?)"
                        + " AND h.organization = ? AND NOT h.deleted",
                parameters);
    }

    /** The index rows of the reference parameter {@code spec} (Type:param) names, as a condition on {@code x}. */
    private health.tessera.records.domain.search.SearchQuery referenceRows(String[] spec) {
        return SearchSqlBuilder.rowsOf(registry.find(spec[0], spec[1]).orElseThrow());
    }

    private List<Object[]> queryRows(String statement, List<Object> parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(statement)) {
            health.tessera.records.domain.Statements.bind(c, select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                List<Object[]> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), rs.getObject(2), rs.getString(3)});
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read included resources", e);
        }
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

    /**
     * The stored JSON of the given records in the given order; records deleted since, or no longer visible to the
     * caller (a consent revoked), are left out.
     */
    public List<health.tessera.records.domain.RecordRepository.RecordJson> load(
            String resourceType, List<UUID> ids, health.tessera.records.domain.Visibility visibility) {
        return records.loadInOrder(resourceType, ids, visibility.recordCondition("record"));
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
        return health.tessera.records.domain.Statements.queryIds(dataSource, statement, parameters, timeout);
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
