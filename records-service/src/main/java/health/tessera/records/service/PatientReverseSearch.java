package health.tessera.records.service;

import health.tessera.fhir.FhirException;
import health.tessera.fhir.SearchBundles;
import health.tessera.records.domain.Statements;
import health.tessera.records.domain.search.SearchParameterRegistry;
import health.tessera.records.domain.search.SearchSqlBuilder;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Patient searches with {@code _has} ({@code Patient?_has:Observation:subject:code=8480-6}): patient-service owns
 * patients but records-service holds the records that point at them, and an indexed projection of the patients
 * themselves, so the gateway sends these searches here. The caller's organisation's patients are searched; the
 * {@code _has} conditions can be combined with any Patient parameter. Pages are taken by {@code _offset} over a
 * stable order (time-ordered ids).
 */
@ApplicationScoped
public class PatientReverseSearch {

    /** Paging, format and shape parameters: they do not select patients. */
    private static final java.util.Set<String> RESULT_PARAMETERS =
            java.util.Set.of("_count", "_offset", "_format", "_pretty", "_elements", "_summary", "_total");

    /** The projection as a record-shaped relation: what {@link SearchSqlBuilder}'s conditions expect of "r". */
    private static final String PATIENTS = "(SELECT 'Patient'::text AS resource_type,"
            + " CASE WHEN pp.patient_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'"
            + " THEN pp.patient_id::uuid END AS id," // (patients are indexed under UUID ids only)
            + " pp.updated_at AS last_updated, pp.resource, pp.organization FROM patient_projection pp"
            + " WHERE NOT pp.deleted) r";

    private final AgroalDataSource dataSource;
    private final SearchSqlBuilder sql;

    public PatientReverseSearch(AgroalDataSource dataSource, SearchParameterRegistry registry) {
        this.dataSource = dataSource;
        this.sql = new SearchSqlBuilder(registry);
    }

    /** A found patient: its id and its stored JSON. */
    public record Found(String id, String json) {}

    /** One page of patients, the total, and the parameters ignored (lenient handling). */
    public record Page(List<Found> patients, int total, int offset, int count, List<String> ignored) {}

    public Page search(Map<String, List<String>> query, String organization, boolean lenient) {
        if (!health.tessera.fhir.ResourceOwnership.isReverseChainSearch(query)) {
            throw FhirException.badRequest("records-service answers Patient searches with _has only");
        }
        int count = SearchBundles.count(first(query, "_count"), RecordSearch.DEFAULT_COUNT, RecordSearch.MAX_COUNT);
        SearchBundles.checkTotal(first(query, "_total"));
        int offset = SearchBundles.wholeNumber("_offset", first(query, "_offset"), 0, RecordSearch.MAX_RESULTS);
        StringBuilder where = new StringBuilder("r.organization = ?");
        List<Object> parameters = new ArrayList<>(List.of(organization));
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (RESULT_PARAMETERS.contains(parameter.getKey())) {
                continue;
            }
            for (String value : parameter.getValue()) {
                if (value == null || value.isEmpty()) {
                    continue;
                }
                try {
                    var condition = sql.condition("Patient", "r", organization, parameter.getKey(), value);
                    where.append(" AND ").append(condition.sql);
                    parameters.addAll(condition.parameters);
                } catch (SearchSqlBuilder.UnknownParameterException e) {
                    if (!lenient) {
                        throw FhirException.badRequest("Unknown search parameter for Patient: " + parameter.getKey());
                    }
                    ignored.add(parameter.getKey());
                }
            }
        }
        int total = count("SELECT count(*) FROM " + PATIENTS + " WHERE " + where, parameters);
        if ("count".equals(first(query, "_summary"))) {
            return new Page(List.of(), total, offset, count, ignored); // only the number
        }
        List<Object> paged = new ArrayList<>(parameters);
        paged.add(count);
        paged.add(offset);
        List<Found> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = prepare(
                        c,
                        "SELECT r.id::text, r.resource::text FROM " + PATIENTS + " WHERE " + where
                                + " ORDER BY r.id LIMIT ? OFFSET ?")) {
            Statements.bind(c, select, paged);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(new Found(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Patient search failed", e);
        }
        return new Page(found, total, offset, count, ignored);
    }

    private int count(String countSql, List<Object> parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = prepare(c, countSql)) {
            Statements.bind(c, select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return Math.toIntExact(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Patient search failed", e);
        }
    }

    /**
     * Planned for its values every time: a plan pgjdbc's server-side statement kept from a run over few rows
     * (this machine's PostgreSQL has no autovacuum to refresh statistics) can join every projection row with
     * every reference.
     */
    private static PreparedStatement prepare(Connection c, String text) throws SQLException {
        PreparedStatement statement = c.prepareStatement(text);
        statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
        return statement;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
