package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceOwnership;
import health.tessera.fhir.SearchBundles;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * {@code Patient/{id}/$everything}: the patient (from the projection), every record in the patient's
 * compartment and the records those reference (one level: medications, practitioners, organisations), for all source patients linked to the same enterprise identity, within the caller's
 * organisation. Compartment membership comes from HAPI's Patient compartment definitions applied to the
 * search index, so every type is covered without a list per type. Pages are kept result sets, as for search.
 */
@ApplicationScoped
public class PatientEverything {

    public static final int DEFAULT_COUNT = 100;
    public static final int MAX_COUNT = 1000;
    static final int MAX_RESULTS = 100_000;

    private final AgroalDataSource dataSource;
    private final PatientCompartments compartments;
    private final health.tessera.records.domain.RecordRepository records;

    /** The reference parameters, of any owned type, that put a record in a patient's compartment. */
    private final String[] compartmentParameters;

    public PatientEverything(
            AgroalDataSource dataSource,
            FhirContext fhir,
            PatientCompartments compartments,
            health.tessera.records.domain.RecordRepository records,
            health.tessera.records.domain.search.SearchParameterRegistry registry) {
        this.dataSource = dataSource;
        this.compartments = compartments;
        this.records = records;
        Set<String> names = new TreeSet<>();
        for (String type : ResourceOwnership.RECORDS.resourceTypes()) {
            for (RuntimeSearchParam parameter :
                    fhir.getResourceDefinition(type).getSearchParamsForCompartmentName("Patient")) {
                names.add(parameter.getName());
                // the rows it is kept in (patient is kept as subject's rows to a Patient: the query asks for those)
                registry.find(type, parameter.getName()).ifPresent(indexed -> names.addAll(indexed.storedAs()));
            }
        }
        this.compartmentParameters = names.toArray(String[]::new);
    }

    /** A page: the patient's JSON (first page only), the (type, id) pairs on it and the result set's size. */
    public record Page(
            String patientJson, List<String> types, List<UUID> ids, UUID searchId, int offset, int count, int total) {}

    public Page firstPage(
            String patientId,
            String since,
            String typesParameter,
            String countText,
            health.tessera.records.domain.Visibility visibility) {
        if (visibility.isPatient() && !visibility.compartment().contains(patientId)) {
            throw FhirException.notFound("Patient", patientId); // another person: as if it did not exist
        }
        String patientJson = visiblePatient(patientId, visibility);
        int count = SearchBundles.count(countText, DEFAULT_COUNT, MAX_COUNT);
        Instant parsed = SearchBundles.instant("_since", since);
        Instant from = parsed == null ? Instant.EPOCH : parsed;
        String[] types = typesParameter == null
                ? ResourceOwnership.RECORDS.resourceTypes().toArray(String[]::new)
                : Arrays.stream(typesParameter.split(","))
                        .map(String::trim)
                        .filter(t -> !t.equals("Patient"))
                        .toArray(String[]::new);
        for (String type : types) {
            if (!ResourceOwnership.RECORDS.owns(type)) {
                throw FhirException.badRequest("_type names " + type + ", which is not a record type of this server");
            }
        }
        String[] linked = compartments.sourcePatients(patientId).toArray(String[]::new);
        // Patients' ids are UUIDs (patient-service gives them): references to them are found by UUID.
        UUID[] linkedUuids = Arrays.stream(linked)
                .map(health.tessera.fhir.ResourceIds::asUuid)
                .flatMap(java.util.Optional::stream)
                .toArray(UUID[]::new);
        // In a patient context every organisation's records of the person; otherwise the caller's organisation's
        // and those other organisations share with it. What shared records reference (their practitioners,
        // organisations, medications: records of no patient) comes along from the same custodians.
        var visible = visibility.isPatient()
                ? new health.tessera.records.domain.Visibility.Condition("true", List.of())
                : visibility.recordCondition("r");
        var shown = shownTo(visibility, "t");
        List<String> foundTypes = new ArrayList<>();
        List<UUID> foundIds = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                // The compartment, then what its records reference (a Medication, the practitioners, the
                // organisation): the spec's "and any resource referenced from those", one level deep.
                // The compartment is the union of two index lookups (the records stamped with the patient, and
                // those pointing at the patient through a compartment parameter): written as one condition with
                // OR, PostgreSQL estimated the whole organisation and scanned it (3 s at a million records).
                PreparedStatement select = c.prepareStatement("WITH compartment AS ("
                        + " SELECT r.resource_type, r.id FROM record r WHERE r.patient_id = ANY (?)"
                        + "   AND r.resource_type = ANY (?) AND " + visible.sql()
                        + "   AND NOT r.deleted AND r.last_updated >= ?"
                        + " UNION SELECT r.resource_type, r.id FROM search_reference x"
                        + "   JOIN record r ON r.resource_type = x.resource_type AND r.id = x.id"
                        + "   WHERE x.target_type = 'Patient' AND x.target_uuid = ANY (?) AND x.param = ANY (?)"
                        + "   AND x.resource_type = ANY (?) AND " + visible.sql()
                        + "   AND NOT r.deleted AND r.last_updated >= ?)"
                        + " SELECT t.resource_type, t.id FROM ("
                        + "   SELECT resource_type, id FROM compartment UNION"
                        // Each compartment record's references through the index on the referring record (the
                        // OFFSET 0 keeps PostgreSQL from flattening the lateral into a scan of every reference).
                        + "   SELECT x.target_type, x.target_uuid FROM compartment m CROSS JOIN LATERAL"
                        + "     (SELECT x.target_type, x.target_uuid FROM search_reference x"
                        + "      WHERE x.resource_type = m.resource_type AND x.id = m.id OFFSET 0) x"
                        + "     JOIN record p ON p.resource_type = x.target_type AND p.id = x.target_uuid"
                        + "     WHERE x.target_type = ANY (?) AND (p.patient_id IS NULL OR p.patient_id = ANY (?))) found"
                        + " JOIN record t ON t.resource_type = found.resource_type AND t.id = found.id"
                        + " WHERE " + shown.sql() + " AND NOT t.deleted AND t.last_updated >= ?"
                        + " ORDER BY t.resource_type, t.last_updated, t.id LIMIT " + (MAX_RESULTS + 1))) {
            List<Object> parameters = new ArrayList<>(List.of(linked, types));
            parameters.addAll(visible.parameters());
            parameters.addAll(List.of(Timestamp.from(from), linkedUuids, compartmentParameters, types));
            parameters.addAll(visible.parameters());
            parameters.addAll(
                    List.of(Timestamp.from(from), types, linked)); // never another patient's records by reference
            parameters.addAll(shown.parameters());
            parameters.add(Timestamp.from(from));
            health.tessera.records.domain.Statements.bind(c, select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    foundTypes.add(rs.getString(1));
                    foundIds.add(rs.getObject(2, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot assemble $everything", e);
        }
        if (foundIds.size() > MAX_RESULTS) {
            throw new FhirException(
                    413,
                    IssueType.TOOCOSTLY,
                    "More than " + MAX_RESULTS + " records: narrow with _type or _since, or use $export");
        }
        UUID searchId = null;
        if (foundIds.size() > count) {
            searchId = UUID.randomUUID();
            keep(searchId, visibility.resultOwner(), foundTypes, foundIds);
        }
        int end = Math.min(count, foundIds.size());
        return new Page(
                patientJson, foundTypes.subList(0, end), foundIds.subList(0, end), searchId, 0, count, foundIds.size());
    }

    /**
     * The records of {@code page}, in its order, that {@code visibility} still shows: a consent revoked while the
     * caller pages through a kept result takes effect on the next page, as in searches.
     */
    public List<health.tessera.records.domain.RecordRepository.RecordJson> records(
            Page page, health.tessera.records.domain.Visibility visibility) {
        return records.loadInOrder(page.types(), page.ids(), shownTo(visibility, "r"));
    }

    /**
     * What $everything shows the caller, on the record table aliased {@code alias}: in a patient context all of the
     * compartment; otherwise what the organisation may see, and the records of no patient (practitioners,
     * organisations, medications) of those that share with it.
     */
    private static health.tessera.records.domain.Visibility.Condition shownTo(
            health.tessera.records.domain.Visibility visibility, String alias) {
        if (visibility.isPatient()) {
            return new health.tessera.records.domain.Visibility.Condition("true", List.of());
        }
        var visible = visibility.recordCondition(alias);
        List<Object> parameters = new ArrayList<>(visible.parameters());
        parameters.add(visibility.custodians().toArray(String[]::new));
        return new health.tessera.records.domain.Visibility.Condition(
                "(" + visible.sql() + " OR (" + alias + ".patient_id IS NULL AND " + alias
                        + ".organization = ANY (?)))",
                parameters);
    }

    /** A later page of a kept result; only its owner ({@link health.tessera.records.domain.Visibility#resultOwner}) reads it. */
    public Page nextPage(String searchId, String offsetText, String countText, String owner) {
        UUID id = health.tessera.fhir.ResourceIds.asUuid(searchId)
                .orElseThrow(() -> new FhirException(
                        404, IssueType.NOTFOUND, "Result " + searchId + " is not known or has expired"));
        int count = SearchBundles.count(countText, DEFAULT_COUNT, MAX_COUNT);
        int offset = offsetText == null ? 0 : Math.max(0, parseInt(offsetText));
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT types, ids FROM search_result WHERE search_id = ? AND organization = ? AND types IS NOT NULL")) {
            select.setObject(1, id);
            select.setString(2, owner);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new FhirException(
                            404, IssueType.NOTFOUND, "Result " + searchId + " is not known or has expired");
                }
                List<String> types = Arrays.asList((String[]) rs.getArray(1).getArray());
                List<UUID> ids = Arrays.asList((UUID[]) rs.getArray(2).getArray());
                int from = Math.min(offset, ids.size());
                int to = Math.min(from + count, ids.size());
                return new Page(null, types.subList(from, to), ids.subList(from, to), id, from, count, ids.size());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the $everything result", e);
        }
    }

    /**
     * The patient as the projection knows it; unknown or invisible (another organisation's patient, not shared
     * with the caller): 404. A patient context's compartment was checked before.
     */
    private String visiblePatient(String patientId, health.tessera.records.domain.Visibility visibility) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT organization, resource::text, deleted, version FROM patient_projection"
                                + " WHERE patient_id = ?")) {
            select.setString(1, patientId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()
                        || !(visibility.isPatient() || visibility.allows("Patient", rs.getString(1), patientId))) {
                    throw FhirException.notFound("Patient", patientId);
                }
                if (rs.getBoolean(3)) {
                    throw FhirException.gone("Patient", patientId, rs.getInt(4));
                }
                return rs.getString(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the patient projection", e);
        }
    }

    private void keep(UUID searchId, String organization, List<String> types, List<UUID> ids) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO search_result (search_id, organization, query, ids, types) VALUES (?, ?, '$everything', ?, ?)")) {
            insert.setObject(1, searchId);
            insert.setString(2, organization);
            Array idArray = c.createArrayOf("uuid", ids.toArray());
            insert.setArray(3, idArray);
            insert.setArray(4, c.createArrayOf("text", types.toArray()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot keep the $everything result", e);
        }
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw FhirException.badRequest("_offset must be a whole number");
        }
    }
}
