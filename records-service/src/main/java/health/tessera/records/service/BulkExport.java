package health.tessera.records.service;

import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceIds;
import health.tessera.fhir.ResourceOwnership;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.logging.Logger;

/**
 * FHIR Bulk Data export ({@code $export}) at system, Patient and Group level (a Group's member patients): kick-off answers 202 with a status
 * URL, a background worker writes one ndjson file per type into the database, the status URL answers 202
 * while running and then the manifest. Everything stays within the caller's organisation, like search.
 * Files expire after a day.
 */
@ApplicationScoped
public class BulkExport {

    private static final Logger LOG = Logger.getLogger(BulkExport.class);

    private final AgroalDataSource dataSource;
    private final ca.uhn.fhir.context.FhirContext fhir;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "bulk-export");
        thread.setDaemon(true);
        return thread;
    });

    public BulkExport(AgroalDataSource dataSource, ca.uhn.fhir.context.FhirContext fhir) {
        this.dataSource = dataSource;
        this.fhir = fhir;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    /** A job's state as the status endpoint reports it. */
    public record Job(
            UUID id, String request, String status, String error, Instant completedAt, List<FileInfo> files) {}

    public record FileInfo(String resourceType, int resources) {}

    /**
     * Starts an export; {@code level} is {@code system}, {@code patient} or {@code group}, and {@code patients}
     * the member patient ids of a group export (null otherwise). Returns the job id.
     */
    public UUID kickOff(
            String level,
            String request,
            String typesParameter,
            String since,
            String outputFormat,
            String organization,
            List<String> patients) {
        if (outputFormat != null
                && !List.of("application/fhir+ndjson", "application/ndjson", "ndjson")
                        .contains(outputFormat)) {
            throw FhirException.badRequest("_outputFormat supports application/fhir+ndjson only");
        }
        List<String> types = new ArrayList<>();
        if (typesParameter == null || typesParameter.isBlank()) {
            types.addAll(ResourceOwnership.RECORDS.resourceTypes());
            types.add("Patient");
        } else {
            for (String type : typesParameter.split(",")) {
                String trimmed = type.trim();
                if (!trimmed.equals("Patient") && !ResourceOwnership.RECORDS.owns(trimmed)) {
                    throw FhirException.badRequest("_type names " + trimmed + ", which this server does not export");
                }
                types.add(trimmed);
            }
        }
        Instant from = health.tessera.fhir.SearchBundles.instant("_since", since);
        UUID id = UUID.randomUUID();
        update(
                "INSERT INTO export_job (id, organization, request, level, types, since, status, patients)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'running', ?)",
                id,
                organization,
                request,
                level,
                types.toArray(String[]::new),
                from == null ? null : Timestamp.from(from),
                patients == null ? null : patients.toArray(String[]::new));
        Instant sinceInstant = from;
        worker.execute(() -> run(id, level, types, sinceInstant, organization, patients));
        return id;
    }

    private void run(
            UUID id, String level, List<String> types, Instant since, String organization, List<String> patients) {
        try {
            for (String type : types) {
                writeFile(id, type, level, since, organization, patients);
            }
            update("UPDATE export_job SET status = 'completed', completed_at = now() WHERE id = ?", id);
        } catch (RuntimeException e) {
            LOG.errorf(e, "export %s failed", id);
            update(
                    "UPDATE export_job SET status = 'failed', error = ?, completed_at = now() WHERE id = ?",
                    "the export failed",
                    id);
        }
    }

    /**
     * One ndjson file: the type's current records of the organisation (patient level: those of a patient;
     * group level: those of the group's members).
     */
    private void writeFile(
            UUID job, String type, String level, Instant since, String organization, List<String> patients) {
        String members = patients == null ? "" : " AND patient_id = ANY (?)";
        String sql = type.equals("Patient")
                ? "SELECT resource::text FROM patient_projection WHERE organization = ? AND NOT deleted"
                        + " AND updated_at >= ?" + members
                        + " ORDER BY patient_id"
                : "SELECT resource::text FROM record WHERE resource_type = ? AND organization = ? AND NOT deleted AND last_updated >= ?"
                        + (level.equals("patient") ? " AND patient_id IS NOT NULL" : "") + members + " ORDER BY id";
        StringBuilder ndjson = new StringBuilder();
        ca.uhn.fhir.parser.IParser parser = fhir.newJsonParser().setPrettyPrint(false);
        int count = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            int i = 1;
            if (!type.equals("Patient")) {
                select.setString(i++, type);
            }
            select.setString(i++, organization);
            select.setTimestamp(i++, Timestamp.from(since == null ? Instant.EPOCH : since));
            if (patients != null) {
                select.setArray(i, c.createArrayOf("text", patients.toArray()));
            }
            select.setFetchSize(500);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    // Re-encoded by HAPI: compact FHIR JSON (resourceType first), one resource per line.
                    ndjson.append(parser.encodeResourceToString(parser.parseResource(rs.getString(1))))
                            .append('\n');
                    count++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot export " + type, e);
        }
        if (count > 0) {
            update(
                    "INSERT INTO export_file (job_id, resource_type, resources, ndjson) VALUES (?, ?, ?, ?)",
                    job,
                    type,
                    count,
                    ndjson.toString());
        }
    }

    /** The job, if it exists and belongs to {@code organization}. */
    public Job job(String jobId, String organization) {
        UUID id = ResourceIds.asUuid(jobId).orElseThrow(() -> notFound(jobId));
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT request, status, error, completed_at FROM export_job WHERE id = ? AND organization = ?");
                PreparedStatement files = c.prepareStatement(
                        "SELECT resource_type, resources FROM export_file WHERE job_id = ? ORDER BY resource_type")) {
            select.setObject(1, id);
            select.setString(2, organization);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(jobId);
                }
                List<FileInfo> found = new ArrayList<>();
                files.setObject(1, id);
                try (ResultSet f = files.executeQuery()) {
                    while (f.next()) {
                        found.add(new FileInfo(f.getString(1), f.getInt(2)));
                    }
                }
                Timestamp completed = rs.getTimestamp(4);
                return new Job(
                        id,
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        completed == null ? null : completed.toInstant(),
                        found);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read export " + jobId, e);
        }
    }

    public Optional<String> file(String jobId, String type, String organization) {
        Job job = job(jobId, organization);
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT ndjson FROM export_file WHERE job_id = ? AND resource_type = ?")) {
            select.setObject(1, job.id());
            select.setString(2, type);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read export file", e);
        }
    }

    /** Cancels a job and deletes its files (DELETE on the status URL). */
    public void delete(String jobId, String organization) {
        Job job = job(jobId, organization);
        update("DELETE FROM export_job WHERE id = ?", job.id());
    }

    @Scheduled(every = "1h", delayed = "5m")
    void expire() {
        update("DELETE FROM export_job WHERE created_at < now() - interval '1 day'");
    }

    private void update(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            health.tessera.records.domain.Statements.bind(c, statement, Arrays.asList(parameters));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("export bookkeeping failed", e);
        }
    }

    private static FhirException notFound(String jobId) {
        return new FhirException(404, IssueType.NOTFOUND, "Export " + jobId + " is not known or has expired");
    }
}
