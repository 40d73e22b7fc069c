package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceOwnership;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Batch and transaction Bundles posted to the base URL. A transaction commits all its entries or none, in
 * the FHIR order (DELETE, POST, PUT, GET), with {@code urn:uuid:} full URLs and conditional references
 * ({@code Organization?identifier=...}) resolved to the records they name before anything is written; a
 * reference to a {@code urn:uuid:} the Bundle does not define is a 422. A batch runs each entry on its own
 * and reports each outcome. Patient entries belong to patient-service: they are registered there first
 * (idempotently, see {@link PatientRegistration}), then the records commit in one transaction; a failed
 * transaction leaves the registered patients, which a retry finds again.
 */
@ApplicationScoped
public class BundleProcessor {

    public static final int MAX_ENTRIES = 10_000;

    private final PatientRegistration patients;
    private final RecordStore store;
    private final RecordSearch search;
    private final RecordValidator validator;
    private final FhirContext fhir;

    public BundleProcessor(
            PatientRegistration patients,
            RecordStore store,
            RecordSearch search,
            RecordValidator validator,
            FhirContext fhir) {
        this.patients = patients;
        this.store = store;
        this.search = search;
        this.validator = validator;
        this.fhir = fhir;
    }

    /** Where a POST or PUT entry writes: the record id, and whether an ifNoneExist matched an existing record. */
    private record Target(String id, boolean existing) {}

    public Bundle process(Bundle bundle, String organization, String validation, String authorization) {
        if (bundle.getEntry().size() > MAX_ENTRIES) {
            throw new FhirException(413, IssueType.TOOCOSTLY, "A Bundle may hold at most " + MAX_ENTRIES + " entries");
        }
        return switch (bundle.getType()) {
            case TRANSACTION -> {
                Map<String, String> identities = new HashMap<>();
                Map<BundleEntryComponent, BundleEntryComponent> registered = new java.util.IdentityHashMap<>();
                for (BundleEntryComponent entry : bundle.getEntry()) {
                    if (isPatientWrite(entry)) {
                        PatientRegistration.Registered patient = patients.register(entry, authorization);
                        if (entry.hasFullUrl()) {
                            identities.put(entry.getFullUrl(), "Patient/" + patient.id());
                        }
                        registered.put(entry, patientAnswer(patient));
                    }
                }
                yield QuarkusTransaction.requiringNew()
                        .call(() -> transaction(bundle, organization, validation, identities, registered));
            }
            case BATCH -> batch(bundle, organization, validation, authorization);
            default ->
                throw FhirException.badRequest("Only batch and transaction Bundles can be posted to the base URL");
        };
    }

    private static boolean isPatientWrite(BundleEntryComponent entry) {
        return entry.hasResource()
                && entry.getResource().fhirType().equals("Patient")
                && entry.hasRequest()
                && (entry.getRequest().getMethod() == HTTPVerb.POST
                        || entry.getRequest().getMethod() == HTTPVerb.PUT);
    }

    private static BundleEntryComponent patientAnswer(PatientRegistration.Registered patient) {
        BundleEntryComponent answer = new BundleEntryComponent();
        answer.getResponse()
                .setStatus(patient.created() ? "201 Created" : "200 OK")
                .setLocation("Patient/" + patient.id());
        return answer;
    }

    private Bundle transaction(
            Bundle bundle,
            String organization,
            String validation,
            Map<String, String> identities,
            Map<BundleEntryComponent, BundleEntryComponent> registered) {
        List<BundleEntryComponent> entries = bundle.getEntry().stream()
                .filter(e -> !registered.containsKey(e))
                .toList();
        entries.forEach(BundleProcessor::requireRequest);
        // Every full URL a POST or PUT defines is mapped to the Type/id it will have (patients: already known).
        Map<BundleEntryComponent, Target> targets = new java.util.IdentityHashMap<>();
        for (BundleEntryComponent entry : entries) {
            HTTPVerb method = entry.getRequest().getMethod();
            if (method != HTTPVerb.POST && method != HTTPVerb.PUT) {
                continue;
            }
            Resource resource = requireResource(entry);
            String type = resource.fhirType();
            requireRecordType(type);
            Target target = method == HTTPVerb.POST
                    ? postTarget(entry, type, organization)
                    : putTarget(entry, type, organization);
            targets.put(entry, target);
            if (entry.hasFullUrl()) {
                identities.put(entry.getFullUrl(), type + "/" + target.id());
            }
        }
        for (BundleEntryComponent entry : entries) {
            if (entry.hasResource()) {
                resolveReferences(entry.getResource(), identities, organization);
            }
        }
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        Map<BundleEntryComponent, BundleEntryComponent> answers = new java.util.IdentityHashMap<>();
        List<BundleEntryComponent> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparingInt(e -> order(e.getRequest().getMethod())));
        for (BundleEntryComponent entry : ordered) {
            answers.put(entry, execute(entry, targets.get(entry), organization, validation));
        }
        bundle.getEntry()
                .forEach(entry ->
                        response.addEntry(registered.containsKey(entry) ? registered.get(entry) : answers.get(entry)));
        return response;
    }

    private Bundle batch(Bundle bundle, String organization, String validation, String authorization) {
        Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        for (BundleEntryComponent entry : bundle.getEntry()) {
            try {
                if (isPatientWrite(entry)) {
                    response.addEntry(patientAnswer(patients.register(entry, authorization)));
                    continue;
                }
                response.addEntry(QuarkusTransaction.requiringNew().call(() -> {
                    requireRequest(entry);
                    Target target = null;
                    if (entry.getRequest().getMethod() == HTTPVerb.POST
                            || entry.getRequest().getMethod() == HTTPVerb.PUT) {
                        Resource resource = requireResource(entry);
                        requireRecordType(resource.fhirType());
                        target = entry.getRequest().getMethod() == HTTPVerb.POST
                                ? postTarget(entry, resource.fhirType(), organization)
                                : putTarget(entry, resource.fhirType(), organization);
                        resolveReferences(resource, Map.of(), organization);
                    }
                    return execute(entry, target, organization, validation);
                }));
            } catch (FhirException e) {
                BundleEntryComponent failed = new BundleEntryComponent();
                failed.getResponse()
                        .setStatus(e.status() + " " + reason(e.status()))
                        .setOutcome(e.outcome());
                response.addEntry(failed);
            }
        }
        return response;
    }

    /** Runs one entry whose references are resolved; {@code target} is where a write goes. */
    private BundleEntryComponent execute(
            BundleEntryComponent entry, Target target, String organization, String validation) {
        BundleEntryComponent answer = new BundleEntryComponent();
        String url = entry.getRequest().getUrl();
        switch (entry.getRequest().getMethod()) {
            case POST, PUT -> {
                Resource resource = entry.getResource();
                String type = resource.fhirType();
                String id = target.id();
                if (target.existing()) {
                    answer.getResponse().setStatus("200 OK").setLocation(type + "/" + id);
                    return answer;
                }
                validator.check(resource, validation);
                resource.setId(id);
                RecordStore.Written written = store.update(
                        type,
                        id,
                        resource,
                        organization,
                        entry.getRequest().hasIfMatch() ? entry.getRequest().getIfMatch() : null);
                answer.getResponse()
                        .setStatus(written.created() ? "201 Created" : "200 OK")
                        .setLocation(type + "/" + id + "/_history/"
                                + written.resource().getMeta().getVersionId())
                        .setEtag("W/\"" + written.resource().getMeta().getVersionId() + "\"")
                        .setLastModified(written.resource().getMeta().getLastUpdated());
            }
            case DELETE -> {
                String[] parts = typeAndId(url);
                store.delete(parts[0], parts[1], organization);
                answer.getResponse().setStatus("204 No Content");
            }
            case GET -> {
                String[] parts = typeAndId(url);
                answer.setResource(store.read(parts[0], parts[1], organization))
                        .getResponse()
                        .setStatus("200 OK");
            }
            default -> throw FhirException.badRequest("Bundle entries may use GET, POST, PUT or DELETE");
        }
        return answer;
    }

    /** POST: a new id, or with {@code ifNoneExist} the one existing match (several: 412). */
    private Target postTarget(BundleEntryComponent entry, String type, String organization) {
        if (entry.getRequest().hasIfNoneExist()) {
            List<UUID> matches =
                    search.matchForCondition(type, entry.getRequest().getIfNoneExist(), organization);
            if (matches.size() > 1) {
                throw new FhirException(
                        412,
                        IssueType.DUPLICATE,
                        "ifNoneExist of " + entry.getFullUrl() + " matches more than one " + type);
            }
            if (matches.size() == 1) {
                return new Target(matches.get(0).toString(), true);
            }
        }
        return new Target(UUID.randomUUID().toString(), false);
    }

    /** PUT: {@code Type/id}, or {@code Type?criteria} naming at most one record (none: a new id). */
    private Target putTarget(BundleEntryComponent entry, String type, String organization) {
        String url = entry.getRequest().getUrl();
        if (url.contains("?")) {
            List<UUID> matches = search.matchForCondition(type, url, organization);
            if (matches.size() > 1) {
                throw new FhirException(
                        412, IssueType.DUPLICATE, "The criteria " + url + " match more than one " + type);
            }
            return new Target(
                    matches.isEmpty()
                            ? UUID.randomUUID().toString()
                            : matches.get(0).toString(),
                    false);
        }
        String[] parts = typeAndId(url);
        if (!parts[0].equals(type)) {
            throw FhirException.badRequest("Entry " + url + " holds a " + type);
        }
        return new Target(parts[1], false);
    }

    /** Rewrites urn:uuid and conditional references to the records they name. */
    private void resolveReferences(Resource resource, Map<String, String> identities, String organization) {
        for (Reference reference : fhir.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String target = reference.getReference();
            if (target == null) {
                continue;
            }
            if (identities.containsKey(target)) {
                reference.setReference(identities.get(target));
            } else if (target.startsWith("urn:uuid:") || target.startsWith("urn:oid:")) {
                throw FhirException.unprocessable(
                        "Reference " + target + " names no entry of this Bundle", resource.fhirType());
            } else if (target.contains("?")) {
                String type = target.substring(0, target.indexOf('?'));
                requireRecordType(type);
                List<UUID> matches = search.matchForCondition(type, target, organization);
                if (matches.size() != 1) {
                    throw new FhirException(
                            412,
                            IssueType.PROCESSING,
                            "Conditional reference " + target + " matches "
                                    + (matches.isEmpty() ? "nothing" : "more than one " + type));
                }
                reference.setReference(type + "/" + matches.get(0));
            }
        }
    }

    private static void requireRequest(BundleEntryComponent entry) {
        if (!entry.hasRequest()
                || !entry.getRequest().hasMethod()
                || !entry.getRequest().hasUrl()) {
            throw FhirException.badRequest("Every Bundle entry needs request.method and request.url");
        }
    }

    private static Resource requireResource(BundleEntryComponent entry) {
        if (!entry.hasResource()) {
            throw FhirException.badRequest("Entry " + entry.getRequest().getUrl() + " has no resource");
        }
        return entry.getResource();
    }

    private static void requireRecordType(String type) {
        if (type.equals("Patient")) {
            throw FhirException.unprocessable(
                    "Patient entries are registered with patient-service, not in a records Bundle (yet)", "Patient");
        }
        if (!ResourceOwnership.RECORDS.owns(type)) {
            throw FhirException.unprocessable(type + " is not a record type of this server", type);
        }
    }

    private static String[] typeAndId(String url) {
        String path = url.startsWith("/") ? url.substring(1) : url;
        String[] parts = path.split("/");
        if (parts.length != 2 || path.contains("?")) {
            throw FhirException.badRequest("Entry URL " + url + " must be Type/id");
        }
        return parts;
    }

    private static int order(HTTPVerb method) {
        return switch (method) {
            case DELETE -> 0;
            case POST -> 1;
            case PUT, PATCH -> 2;
            default -> 3;
        };
    }

    private static String reason(int status) {
        var known = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        return known == null ? "" : known.getReasonPhrase();
    }
}
