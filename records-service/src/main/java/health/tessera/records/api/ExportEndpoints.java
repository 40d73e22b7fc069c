package health.tessera.records.api;

import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirException;
import health.tessera.records.service.BulkExport;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The HTTP side of Bulk Data export: kick-off ({@code [base]/$export}, {@code Patient/$export}), status
 * ({@code $export-poll-status/{job}}), files ({@code $export-file/{job}/{type}}) and cancel (DELETE on the
 * status URL). Reached through {@link RecordResource}, which owns every {@code /fhir/{type}} path.
 */
@RequestScoped
public class ExportEndpoints {

    static final String NDJSON = "application/fhir+ndjson";

    private final BulkExport export;
    private final Caller caller;

    private final health.tessera.records.service.RecordStore store;

    public ExportEndpoints(BulkExport export, Caller caller, health.tessera.records.service.RecordStore store) {
        this.export = export;
        this.caller = caller;
        this.store = store;
    }

    /** Kick-off: 202 Accepted with the status URL in Content-Location. */
    public Response kickOff(String level, UriInfo uri, String prefer) {
        return kickOff(level, uri, prefer, null);
    }

    /**
     * {@code Group/{id}/$export}: the records of the Group's member patients. The Group is read like any record
     * (another organisation's Group is a 404), and its members are fixed when the export starts.
     */
    public Response kickOffGroup(String groupId, UriInfo uri, String prefer) {
        org.hl7.fhir.r4.model.Group group =
                (org.hl7.fhir.r4.model.Group) store.read("Group", groupId, caller.organization());
        java.util.List<String> patients = group.getMember().stream()
                .map(member -> member.getEntity().getReferenceElement())
                .filter(reference -> "Patient".equals(reference.getResourceType()) && reference.hasIdPart())
                .map(reference -> reference.getIdPart())
                .toList();
        return kickOff("group", uri, prefer, patients);
    }

    private Response kickOff(String level, UriInfo uri, String prefer, java.util.List<String> patients) {
        if (prefer == null || !prefer.contains("respond-async")) {
            throw FhirException.badRequest("$export is asynchronous: send Prefer: respond-async");
        }
        health.tessera.fhir.SearchBundles.rejectUnknownParameters(uri, "_type", "_since", "_outputFormat");
        var query = uri.getQueryParameters();
        var job = export.kickOff(
                level,
                uri.getRequestUri().toString(),
                query.getFirst("_type"),
                query.getFirst("_since"),
                query.getFirst("_outputFormat"),
                caller.organization(),
                patients);
        return Response.accepted()
                .header("Content-Location", uri.getBaseUri() + "fhir/$export-poll-status/" + job)
                .build();
    }

    /** Status: 202 while running, then the manifest. */
    public Response status(String jobId, UriInfo uri) {
        BulkExport.Job job = export.job(jobId, caller.organization());
        return switch (job.status()) {
            case "running" ->
                Response.accepted()
                        .header("X-Progress", "running")
                        .header("Retry-After", "2")
                        .build();
            case "failed" ->
                throw new FhirException(500, IssueType.EXCEPTION, "Export " + jobId + " failed: " + job.error());
            default -> {
                Map<String, Object> manifest = new LinkedHashMap<>();
                manifest.put("transactionTime", job.completedAt().toString());
                manifest.put("request", job.request());
                manifest.put("requiresAccessToken", true);
                manifest.put(
                        "output",
                        job.files().stream()
                                .map(f -> Map.of(
                                        "type",
                                        f.resourceType(),
                                        "count",
                                        f.resources(),
                                        "url",
                                        uri.getBaseUri() + "fhir/$export-file/" + job.id() + "/" + f.resourceType()))
                                .toList());
                manifest.put("error", List.of());
                yield Response.ok(manifest).type("application/json").build();
            }
        };
    }

    public Response file(String jobId, String type) {
        String ndjson = export.file(jobId, type, caller.organization())
                .orElseThrow(() ->
                        new FhirException(404, IssueType.NOTFOUND, "Export " + jobId + " has no " + type + " file"));
        return Response.ok(ndjson).type(NDJSON).build();
    }

    public Response cancel(String jobId) {
        export.delete(jobId, caller.organization());
        return Response.accepted().build();
    }
}
