package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceOwnership;
import health.tessera.records.domain.search.IndexStatistics;
import health.tessera.records.service.SpooledBundle.Entry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Batch and transaction Bundles posted to the base URL. A transaction commits all its entries or none, in
 * the FHIR order (DELETE, POST, PUT, GET), with {@code urn:uuid:} full URLs and conditional references
 * ({@code Organization?identifier=...}) resolved to the records they name; a reference to a {@code urn:uuid:}
 * the Bundle does not define is a 422. A batch runs each entry on its own and reports each outcome. Patient
 * entries belong to patient-service: they are registered there first (idempotently, see
 * {@link PatientRegistration}), then the records commit in one transaction; a failed transaction leaves the
 * registered patients, which a retry finds again.
 *
 * <p>Bundles are streamed ({@link SpooledBundle}): entries are parsed when they are processed and new records
 * are written in chunks of {@link #WRITE_CHUNK}, so memory stays flat and a chunk costs a few round trips
 * whatever the Bundle's size. Limits: {@code tessera.limits.max-bundle-size} bytes and
 * {@code tessera.limits.max-bundle-entries} entries (413 beyond).
 */
@ApplicationScoped
public class BundleProcessor {

    /** New records are written this many at a time. */
    static final int WRITE_CHUNK = 500;

    /** At most this many new records wait, prepared, for their chunk to be written. */
    private static final int PREPARED_AHEAD = 2 * WRITE_CHUNK;

    private final PatientRegistration patients;
    private final RecordStore store;
    private final RecordSearch search;
    private final RecordValidator validator;
    private final FhirContext fhir;
    private final IndexStatistics statistics;
    private final long maxBytes;
    private final int maxEntries;
    /**
     * How long one transaction Bundle may hold its database transaction: a whole patient's history is tens of
     * thousands of records, beyond the transaction manager's one-minute default on a busy machine; the same as
     * the gateway's wait for a Bundle.
     */
    private final int transactionTimeoutSeconds;

    public BundleProcessor(
            PatientRegistration patients,
            RecordStore store,
            RecordSearch search,
            RecordValidator validator,
            FhirContext fhir,
            IndexStatistics statistics,
            @ConfigProperty(name = "tessera.limits.max-bundle-size", defaultValue = "256M") MemorySize maxBytes,
            @ConfigProperty(name = "tessera.limits.max-bundle-entries", defaultValue = "100000") int maxEntries,
            @ConfigProperty(name = "tessera.limits.bundle-transaction-timeout", defaultValue = "15m")
                    java.time.Duration transactionTimeout) {
        this.patients = patients;
        this.store = store;
        this.search = search;
        this.validator = validator;
        this.fhir = fhir;
        this.statistics = statistics;
        this.maxBytes = maxBytes.asLongValue();
        this.maxEntries = maxEntries;
        this.transactionTimeoutSeconds = (int) transactionTimeout.toSeconds();
    }

    /** Where a POST or PUT entry writes: the record id, and whether an ifNoneExist matched an existing record. */
    private record Target(String id, boolean existing) {}

    /** A POST entry that creates a record (not one whose ifNoneExist found it). */
    private static boolean isNew(Entry entry, Target[] targets) {
        return entry.method() == HTTPVerb.POST && !targets[entry.index()].existing();
    }

    /** Processes a posted Bundle (JSON, or XML when {@code xml}) and returns the batch or transaction response. */
    public BundleResponse process(
            InputStream body,
            boolean xml,
            String organization,
            health.tessera.fhir.security.SmartScopes scopes,
            String validation,
            String authorization) {
        try (SpooledBundle bundle = SpooledBundle.spool(body, xml, maxBytes, maxEntries, fhir)) {
            BundleResponse response = switch (bundle.type()) {
                case TRANSACTION -> transaction(bundle, organization, scopes, validation, authorization);
                case BATCH -> batch(bundle, organization, scopes, validation, authorization);
                default ->
                    throw FhirException.badRequest("Only batch and transaction Bundles can be posted to the base URL");
            };
            statistics.recordsCommitted(bundle.entries().size());
            return response;
        }
    }

    private BundleResponse transaction(
            SpooledBundle bundle,
            String organization,
            health.tessera.fhir.security.SmartScopes scopes,
            String validation,
            String authorization) {
        List<Entry> entries = bundle.entries();
        entries.forEach(entry -> requireRequest(entry, scopes)); // all or nothing: before anything is written
        BundleResponse.Answer[] answers = new BundleResponse.Answer[entries.size()];
        Map<String, String> identities = new HashMap<>();
        List<Entry> records = new ArrayList<>();
        for (Entry entry : entries) {
            if (isPatientWrite(entry)) {
                PatientRegistration.Registered patient = inEntry(
                        entry,
                        () -> patients.register((Patient) bundle.resource(entry), entry.ifNoneExist(), authorization));
                if (entry.fullUrl() != null) {
                    identities.put(entry.fullUrl(), "Patient/" + patient.id());
                }
                answers[entry.index()] = new BundleResponse.Full(patientAnswer(patient));
            } else {
                records.add(entry);
            }
        }
        QuarkusTransaction.requiringNew().timeout(transactionTimeoutSeconds).run(() -> {
            References references = new References(identities, organization);
            // Every full URL a POST or PUT defines is mapped to the Type/id it will have before anything is written.
            Target[] targets = new Target[entries.size()];
            for (Entry entry : records) {
                if (entry.method() == HTTPVerb.POST || entry.method() == HTTPVerb.PUT) {
                    Target target = inEntry(entry, () -> target(entry, organization));
                    targets[entry.index()] = target;
                    if (entry.fullUrl() != null) {
                        identities.put(entry.fullUrl(), entry.resourceType() + "/" + target.id());
                    }
                }
            }
            List<Entry> ordered = new ArrayList<>(records);
            ordered.sort(Comparator.comparingInt(e -> order(e.method())));
            List<Entry> creates =
                    ordered.stream().filter(entry -> isNew(entry, targets)).toList();
            // New records are prepared on another thread while the ones before them are written on this one.
            try (PreparedAhead<Entry, Created> prepared = new PreparedAhead<>(
                    creates,
                    entry -> inEntry(
                            entry,
                            () -> prepareNew(
                                    bundle, entry, references, validation, targets[entry.index()].id(), organization)),
                    PREPARED_AHEAD)) {
                references.runLookupsWith(prepared::onOwner);
                List<Created> chunk = new ArrayList<>(WRITE_CHUNK);
                for (Entry entry : ordered) {
                    if (isNew(entry, targets)) {
                        chunk.add(prepared.next());
                        if (chunk.size() == WRITE_CHUNK) {
                            writeAll(chunk, answers);
                        }
                    } else {
                        writeAll(chunk, answers); // keeps the FHIR order: POSTs before PUTs
                        Target target = targets[entry.index()];
                        answers[entry.index()] = inEntry(
                                entry, () -> execute(bundle, entry, target, references, organization, validation));
                    }
                }
                writeAll(chunk, answers);
            }
        });
        return new BundleResponse(Bundle.BundleType.TRANSACTIONRESPONSE, Arrays.asList(answers));
    }

    private BundleResponse batch(
            SpooledBundle bundle,
            String organization,
            health.tessera.fhir.security.SmartScopes scopes,
            String validation,
            String authorization) {
        List<BundleResponse.Answer> answers = new ArrayList<>(bundle.entries().size());
        References references = new References(Map.of(), organization);
        for (Entry entry : bundle.entries()) {
            try {
                requireRequest(entry, scopes);
                if (isPatientWrite(entry)) {
                    answers.add(new BundleResponse.Full(patientAnswer(
                            patients.register((Patient) bundle.resource(entry), entry.ifNoneExist(), authorization))));
                    continue;
                }
                answers.add(QuarkusTransaction.requiringNew().call(() -> {
                    Target target = entry.method() == HTTPVerb.POST || entry.method() == HTTPVerb.PUT
                            ? target(entry, organization)
                            : null;
                    if (entry.method() == HTTPVerb.POST && !target.existing()) {
                        Created created = prepareNew(bundle, entry, references, validation, target.id(), organization);
                        store.writeAll(List.of(created.record()));
                        return created.answer();
                    }
                    return execute(bundle, entry, target, references, organization, validation);
                }));
            } catch (FhirException e) {
                BundleEntryComponent failed = new BundleEntryComponent();
                failed.getResponse()
                        .setStatus(e.status() + " " + reason(e.status()))
                        .setOutcome(e.outcome());
                answers.add(new BundleResponse.Full(failed));
            }
        }
        return new BundleResponse(Bundle.BundleType.BATCHRESPONSE, answers);
    }

    /**
     * A new record of a POST entry, ready to write, and its entry's answer. It holds no HAPI model: up to
     * {@link #PREPARED_AHEAD} of these wait to be written, and with their resources they were most of what each
     * young collection had to copy (15 MB at a time, 7% of an ingest's time in collections).
     */
    private record Created(Entry entry, RecordStore.PreparedRecord record, BundleResponse.Written answer) {}

    /** Writes the collected new records and answers their entries; empties {@code chunk}. */
    private void writeAll(List<Created> chunk, BundleResponse.Answer[] answers) {
        if (chunk.isEmpty()) {
            return;
        }
        store.writeAll(chunk.stream().map(Created::record).toList());
        for (Created created : chunk) {
            answers[created.entry().index()] = created.answer();
        }
        chunk.clear();
    }

    /** Parses an entry's resource, points its references at records and validates it (unless switched off). */
    private Resource prepare(SpooledBundle bundle, Entry entry, References references, String validation) {
        ObjectNode tree = bundle.tree(entry);
        references.resolve(tree, entry.resourceType());
        Resource resource = bundle.parse(entry, tree);
        validator.check(resource, validation);
        return resource;
    }

    /**
     * A POST entry's new record, as {@link #prepare} does but with the server's id and meta, and with the JSON it
     * is stored as written from the client's own (see {@link RecordJson}) rather than encoded from the model.
     */
    private Created prepareNew(
            SpooledBundle bundle,
            Entry entry,
            References references,
            String validation,
            String id,
            String organization) {
        ObjectNode tree = bundle.tree(entry);
        references.resolve(tree, entry.resourceType());
        UUID uuid = UUID.fromString(id);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode stamped = RecordJson.stamp(tree, uuid, 1, now);
        Resource resource = bundle.parse(entry, stamped);
        validator.check(resource, validation);
        RecordStore.NewRecord record =
                new RecordStore.NewRecord(entry.resourceType(), uuid, resource, RecordJson.write(stamped), now);
        return new Created(entry, store.prepare(record, organization), BundleResponse.Written.created(resource));
    }

    /** Runs a PUT, DELETE or GET entry, or a POST whose ifNoneExist found its record. */
    private BundleResponse.Answer execute(
            SpooledBundle bundle,
            Entry entry,
            Target target,
            References references,
            String organization,
            String validation) {
        BundleEntryComponent answer = new BundleEntryComponent();
        switch (entry.method()) {
            case POST -> answer.getResponse().setStatus("200 OK").setLocation(entry.resourceType() + "/" + target.id());
            case PUT -> {
                Resource resource = prepare(bundle, entry, references, validation);
                resource.setId(target.id());
                RecordStore.Written written =
                        store.update(entry.resourceType(), target.id(), resource, organization, entry.ifMatch());
                return written.created()
                        ? BundleResponse.Written.created(written.resource())
                        : BundleResponse.Written.updated(written.resource());
            }
            case DELETE -> {
                String[] parts = typeAndId(entry.url());
                store.delete(parts[0], parts[1], organization);
                answer.getResponse().setStatus("204 No Content");
            }
            case GET -> {
                String[] parts = typeAndId(entry.url());
                answer.setResource(store.read(parts[0], parts[1], organization))
                        .getResponse()
                        .setStatus("200 OK");
            }
            default -> throw FhirException.badRequest("Bundle entries may use GET, POST, PUT or DELETE");
        }
        return new BundleResponse.Full(answer);
    }

    /** Where a POST or PUT entry writes. */
    private Target target(Entry entry, String organization) {
        if (!entry.hasResource()) {
            throw FhirException.badRequest("Bundle " + entry.label() + " has no resource");
        }
        String type = entry.resourceType();
        requireRecordType(type);
        return entry.method() == HTTPVerb.POST
                ? postTarget(entry, type, organization)
                : putTarget(entry, type, organization);
    }

    /** POST: a new id, or with {@code ifNoneExist} the one existing match (several: 412). */
    private Target postTarget(Entry entry, String type, String organization) {
        if (entry.ifNoneExist() != null && !entry.ifNoneExist().isBlank()) {
            List<UUID> matches = search.matchForCondition(type, entry.ifNoneExist(), organization);
            if (matches.size() > 1) {
                throw new FhirException(412, IssueType.DUPLICATE, "ifNoneExist matches more than one " + type);
            }
            if (matches.size() == 1) {
                return new Target(matches.get(0).toString(), true);
            }
        }
        return new Target(health.tessera.fhir.ResourceIds.newId().toString(), false);
    }

    /** PUT: {@code Type/id}, or {@code Type?criteria} naming at most one record (none: a new id). */
    private Target putTarget(Entry entry, String type, String organization) {
        String url = entry.url();
        if (url.contains("?")) {
            List<UUID> matches = search.matchForCondition(type, url, organization);
            if (matches.size() > 1) {
                throw new FhirException(
                        412, IssueType.DUPLICATE, "The criteria " + url + " match more than one " + type);
            }
            return new Target(
                    matches.isEmpty()
                            ? health.tessera.fhir.ResourceIds.newId().toString()
                            : matches.get(0).toString(),
                    false);
        }
        String[] parts = typeAndId(url);
        if (!parts[0].equals(type)) {
            throw FhirException.badRequest("Entry " + url + " holds a " + type);
        }
        return new Target(parts[1], false);
    }

    /**
     * Rewrites a Bundle's references: {@code urn:uuid:} full URLs to what their entries became, conditional
     * references to the one record their criteria match. Each condition is searched once per Bundle (Synthea
     * names the same organisation and practitioners in thousands of entries).
     */
    private final class References {

        private final Map<String, String> identities;
        private final String organization;
        private final Map<String, String> resolvedConditions = new HashMap<>();
        /** Runs a condition's search: on the transaction's thread, also when asked from the preparing one. */
        private java.util.function.Function<java.util.function.Supplier<List<UUID>>, List<UUID>> lookups =
                java.util.function.Supplier::get;

        References(Map<String, String> identities, String organization) {
            this.identities = identities;
            this.organization = organization;
        }

        void runLookupsWith(java.util.function.Function<java.util.function.Supplier<List<UUID>>, List<UUID>> lookups) {
            this.lookups = lookups;
        }

        /** Rewrites the references of one entry's resource ({@code resourceType}) in its JSON tree. */
        void resolve(ObjectNode resource, String resourceType) {
            RecordJson.rewriteReferences(resource, target -> {
                String identity = identities.get(target);
                if (identity != null) {
                    return identity;
                }
                if (target.startsWith("urn:uuid:") || target.startsWith("urn:oid:")) {
                    throw FhirException.unprocessable(
                            "Reference " + target + " names no entry of this Bundle", resourceType);
                }
                return target.contains("?")
                        ? resolvedConditions.computeIfAbsent(target, this::searchCondition)
                        : target;
            });
        }

        private String searchCondition(String condition) {
            String type = condition.substring(0, condition.indexOf('?'));
            requireRecordType(type);
            List<UUID> matches = lookups.apply(() -> search.matchForCondition(type, condition, organization));
            if (matches.size() != 1) {
                throw new FhirException(
                        412,
                        IssueType.PROCESSING,
                        "Conditional reference " + condition + " matches "
                                + (matches.isEmpty() ? "nothing" : "more than one " + type));
            }
            return type + "/" + matches.get(0);
        }
    }

    private static boolean isPatientWrite(Entry entry) {
        return "Patient".equals(entry.resourceType())
                && (entry.method() == HTTPVerb.POST || entry.method() == HTTPVerb.PUT);
    }

    private static BundleEntryComponent patientAnswer(PatientRegistration.Registered patient) {
        BundleEntryComponent answer = new BundleEntryComponent();
        answer.getResponse()
                .setStatus(patient.created() ? "201 Created" : "200 OK")
                .setLocation("Patient/" + patient.id());
        return answer;
    }

    /** Runs {@code work} for one entry of a transaction; its error names the entry. */
    private static <T> T inEntry(Entry entry, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (FhirException e) {
            throw new EntryFailed(entry, e);
        }
    }

    /** A transaction's failure, its diagnostics prefixed with the entry that caused it. */
    static final class EntryFailed extends FhirException {
        private final transient OperationOutcome outcome;

        EntryFailed(Entry entry, FhirException cause) {
            super(
                    cause.status(),
                    cause.issueType(),
                    "Bundle " + entry.label() + ": " + cause.getMessage(),
                    cause.expression());
            this.outcome = cause instanceof EntryFailed
                    ? cause.outcome()
                    : cause.outcome().copy();
            if (!(cause instanceof EntryFailed)) {
                outcome.getIssue()
                        .forEach(issue ->
                                issue.setDiagnostics("Bundle " + entry.label() + ": " + issue.getDiagnostics()));
            }
        }

        @Override
        public OperationOutcome outcome() {
            return outcome;
        }
    }

    /** An entry needs a request, and the token's SMART scopes must allow it, as for the same request alone. */
    private static void requireRequest(Entry entry, health.tessera.fhir.security.SmartScopes scopes) {
        if (entry.method() == null || entry.url() == null) {
            throw FhirException.badRequest(
                    "Every Bundle entry needs request.method and request.url (" + entry.label() + ")");
        }
        String url = entry.url().startsWith("/") ? entry.url().substring(1) : entry.url();
        String type = url.split("[/?]", 2)[0];
        boolean instance = url.length() > type.length() && url.charAt(type.length()) == '/';
        char interaction = switch (entry.method()) {
            case POST -> 'c';
            case PUT, PATCH -> 'u';
            case DELETE -> 'd';
            default -> instance ? 'r' : 's';
        };
        if (!scopes.allows(type, interaction)) {
            throw new FhirException(
                    403,
                    org.hl7.fhir.r4.model.OperationOutcome.IssueType.FORBIDDEN,
                    "The token's scopes do not allow " + health.tessera.fhir.security.SmartScopes.describe(interaction)
                            + " on " + type + " (" + entry.label() + ")");
        }
    }

    private static void requireRecordType(String type) {
        if (type == null) {
            throw FhirException.badRequest("A Bundle entry's resource has no resourceType");
        }
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
        if (status == 422) {
            return "Unprocessable Entity"; // not in JAX-RS's list
        }
        var known = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        return known == null ? "" : known.getReasonPhrase();
    }
}
