package health.tessera.records.service;

import health.tessera.fhir.FhirException;
import health.tessera.records.domain.RecordFacts;
import health.tessera.records.domain.search.SearchParameterRegistry;
import health.tessera.records.domain.search.SearchQuery;
import health.tessera.records.domain.search.SearchSqlBuilder;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;

/**
 * Views of a patient's Observations for clinical screens: {@code $lastn} (the latest few per code) and the
 * vitals trend (a time series of values per code, components included, for charts).
 */
@ApplicationScoped
public class ObservationViews {

    public static final int MAX_LASTN = 100;
    public static final int MAX_TREND_POINTS = 5000;

    private final AgroalDataSource dataSource;
    private final SearchSqlBuilder sql;
    private final RecordStore store;
    private final health.tessera.records.domain.RecordRepository records;

    public ObservationViews(
            AgroalDataSource dataSource,
            SearchParameterRegistry registry,
            RecordStore store,
            health.tessera.records.domain.RecordRepository records) {
        this.dataSource = dataSource;
        this.records = records;
        this.sql = new SearchSqlBuilder(registry);
        this.store = store;
    }

    /**
     * {@code Observation/$lastn}: for each code among the Observations matching the other parameters (patient,
     * category, code, date, ...), the {@code max} most recent by effective time.
     */
    public List<UUID> lastN(Map<String, List<String>> query, String organization) {
        int max = parse(first(query, "max"), 1, "max");
        if (max < 1 || max > MAX_LASTN) {
            throw FhirException.badRequest("max must be between 1 and " + MAX_LASTN);
        }
        if (first(query, "patient") == null && first(query, "subject") == null) {
            throw FhirException.badRequest("$lastn needs the patient parameter");
        }
        Conditions conditions = conditions(query, organization, Set.of("max", "_format"));
        String statement = "WITH matched AS (SELECT r.id FROM record r WHERE " + conditions.where + "),"
                + " coded AS (SELECT m.id, t.system, t.code,"
                + "   (SELECT max(d.high) FROM search_date d WHERE d.id = m.id AND d.resource_type = 'Observation' AND d.param = 'date') AS effective"
                + "   FROM matched m JOIN search_token t ON t.id = m.id AND t.resource_type = 'Observation' AND t.param = 'code' AND t.code IS NOT NULL),"
                + " ranked AS (SELECT id, effective, row_number() OVER (PARTITION BY system, code ORDER BY effective DESC NULLS LAST, id) AS rn FROM coded)"
                + " SELECT id FROM ranked WHERE rn <= ? GROUP BY id ORDER BY max(effective) DESC NULLS LAST, id";
        List<Object> parameters = new ArrayList<>(conditions.parameters);
        parameters.add(max);
        return queryIds(statement, parameters);
    }

    /** One value of a trend: when, and how much. */
    public record Point(Instant time, double value) {}

    /** The series of one code: its unit and its points in time order. */
    public record Series(String code, String unit, List<Point> points) {}

    /**
     * The values over time of each requested code ({@code system|code}) for one patient, whether recorded as
     * an Observation's value or as a component (systolic and diastolic of a blood-pressure panel).
     */
    public List<Series> trend(
            String patient, List<String> codes, Map<String, List<String>> dateFilter, String organization) {
        if (patient == null || codes.isEmpty()) {
            throw FhirException.badRequest("The vitals trend needs patient and code (system|code, comma separated)");
        }
        Map<String, List<String>> query = new LinkedHashMap<>(dateFilter);
        query.put("patient", List.of(patient));
        query.put(
                "combo-code",
                List.of(String.join(
                        ",", codes.stream().map(c -> c.replace(",", "\\,")).toList())));
        Conditions conditions = conditions(query, organization, Set.of());
        List<UUID> ids = queryIds(
                "SELECT r.id FROM record r WHERE " + conditions.where + " LIMIT " + MAX_TREND_POINTS,
                conditions.parameters);
        Map<String, Series> series = new LinkedHashMap<>();
        codes.forEach(code -> series.put(code, new Series(code, null, new ArrayList<>())));
        for (var loaded : records.loadInOrder("Observation", ids)) {
            Resource resource = store.parse(loaded.json());
            Instant time = RecordFacts.effective(resource);
            if (time == null || !(resource instanceof Observation)) {
                continue;
            }
            for (var value : RecordFacts.values(resource)) {
                Series target = series.get(value.code());
                if (target != null) {
                    target.points().add(new Point(time, value.value()));
                    if (target.unit() == null) {
                        series.put(value.code(), new Series(target.code(), value.unit(), target.points()));
                    }
                }
            }
        }
        series.values().forEach(s -> s.points().sort(java.util.Comparator.comparing(Point::time)));
        return List.copyOf(series.values());
    }

    private record Conditions(String where, List<Object> parameters) {}

    private Conditions conditions(Map<String, List<String>> query, String organization, Set<String> skip) {
        StringBuilder where =
                new StringBuilder("r.resource_type = 'Observation' AND r.organization = ? AND NOT r.deleted");
        List<Object> parameters = new ArrayList<>(List.of(organization));
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (skip.contains(parameter.getKey())) {
                continue;
            }
            for (String value : parameter.getValue()) {
                try {
                    SearchQuery condition = sql.condition("Observation", "r", organization, parameter.getKey(), value);
                    where.append(" AND ").append(condition.sql);
                    parameters.addAll(condition.parameters);
                } catch (SearchSqlBuilder.UnknownParameterException e) {
                    throw FhirException.badRequest("Unknown parameter for Observation: " + parameter.getKey());
                }
            }
        }
        return new Conditions(where.toString(), parameters);
    }

    private List<UUID> queryIds(String statement, List<Object> parameters) {
        return health.tessera.records.domain.Statements.queryIds(dataSource, statement, parameters);
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int parse(String text, int fallback, String name) {
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw FhirException.badRequest(name + " must be a whole number");
        }
    }
}
