package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.events.EventType;
import health.tessera.events.OutboxWriter;
import health.tessera.events.RecordCommitted;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceIds;
import health.tessera.fhir.ResourceOwnership;
import health.tessera.records.domain.PatientProjection;
import health.tessera.records.domain.RecordFacts;
import health.tessera.records.domain.RecordRepository;
import health.tessera.records.domain.StoredRecord;
import health.tessera.records.domain.search.SearchIndexRepository;
import health.tessera.records.domain.search.SearchIndexer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The versioned record store: create, update, delete (soft: a deleted version keeps the last content), read,
 * vread and history, each within the caller's organisation. Every committed version is announced on
 * tessera.record.v1 through the outbox, in the same transaction.
 */
@ApplicationScoped
public class RecordStore {

    private final RecordRepository records;
    private final PatientProjection patients;
    private final OutboxWriter outbox;
    private final FhirContext fhir;
    private final SearchIndexer indexer;
    private final SearchIndexRepository index;

    public RecordStore(
            RecordRepository records,
            PatientProjection patients,
            OutboxWriter outbox,
            FhirContext fhir,
            SearchIndexer indexer,
            SearchIndexRepository index) {
        this.records = records;
        this.patients = patients;
        this.outbox = outbox;
        this.fhir = fhir;
        this.indexer = indexer;
        this.index = index;
    }

    /** Checks that {@code resourceType} is a type this service stores; anything else is a 404 for the path. */
    public static void requireOwnedType(String resourceType) {
        if (!ResourceOwnership.RECORDS.owns(resourceType)) {
            throw new FhirException(
                    404, IssueType.NOTSUPPORTED, "Resource type " + resourceType + " is not served here");
        }
    }

    /** What a write did: the stored resource and whether the write created the record. */
    public record Written(Resource resource, boolean created) {}

    /**
     * A record to create under an id no record has yet (a fresh UUID). {@code json} and {@code lastUpdated}, when given, are what it is stored as: the resource
     * already carries that id and meta (Bundle entries, see {@link RecordJson}); otherwise the model is stamped
     * and encoded here.
     */
    public record NewRecord(String resourceType, UUID id, Resource resource, String json, Instant lastUpdated) {
        public NewRecord(String resourceType, UUID id, Resource resource) {
            this(resourceType, id, resource, null, null);
        }
    }

    @Transactional
    public Resource create(String resourceType, Resource resource, String organization) {
        requireBodyType(resourceType, resource);
        createAll(
                List.of(new NewRecord(resourceType, health.tessera.fhir.ResourceIds.newId(), resource)), organization);
        return resource;
    }

    /**
     * Creates records under fresh ids, each with its index entries and its RecordCommitted event, in a few
     * statements for all of them (a COPY per table, one batch of events): how Bundles write thousands of entries
     * quickly.
     */
    @Transactional
    public void createAll(List<NewRecord> newRecords, String organization) {
        writeAll(
                newRecords.stream().map(record -> prepare(record, organization)).toList());
    }

    /**
     * A new record with what writing it takes worked out and rendered: its row and index rows as COPY text and its
     * event encoded; all but the event's key, which may take a lookup of {@code patientId}. It holds the record's
     * JSON once, in its row: up to a thousand of these wait to be written.
     */
    public record PreparedRecord(
            String subject,
            String patientId,
            String renderedRow,
            SearchIndexRepository.RenderedEntries renderedEntries,
            OutboxWriter.Encoded event) {}

    /**
     * Works out a new record's row, index entries and event, and renders them. No database work: Bundles prepare
     * their records on another thread while the ones before are written ({@link PreparedAhead}), so the thread
     * holding the transaction only sends.
     */
    public PreparedRecord prepare(NewRecord record, String organization) {
        StoredRecord row = record.json() == null
                ? stamp(record.resourceType(), record.id(), 1, record.resource(), organization, false)
                : new StoredRecord(
                        record.resourceType(),
                        record.id(),
                        1,
                        organization,
                        RecordFacts.patientId(record.resource()),
                        record.lastUpdated(),
                        false,
                        record.json());
        SearchIndexRepository.RecordEntries entries =
                new SearchIndexRepository.RecordEntries(row.resourceType(), row.id(), indexer.index(record.resource()));
        String subject = row.resourceType() + "/" + row.id();
        return new PreparedRecord(
                subject,
                row.patientId(),
                RecordRepository.rendered(row),
                SearchIndexRepository.rendered(entries),
                outbox.encode(EventType.RECORD_COMMITTED, subject, committed(row, "create", record.resource())));
    }

    /** Writes prepared new records, their index entries and events, in a few statements for all of them. */
    @Transactional
    public void writeAll(List<PreparedRecord> prepared) {
        List<String> rows = new ArrayList<>(prepared.size());
        List<SearchIndexRepository.RenderedEntries> entries = new ArrayList<>(prepared.size());
        List<OutboxWriter.Keyed> events = new ArrayList<>(prepared.size());
        Map<String, String> eventKeys = new HashMap<>();
        for (PreparedRecord record : prepared) {
            rows.add(record.renderedRow());
            entries.add(record.renderedEntries());
            events.add(
                    new OutboxWriter.Keyed(eventKey(record.subject(), record.patientId(), eventKeys), record.event()));
        }
        records.withReusablePlans(() -> {
            records.insertRendered(rows);
            index.insertRendered(entries);
            outbox.appendEncoded(EventType.RECORD_COMMITTED, events);
        });
    }

    /**
     * Updates {@code id} (or creates it, as FHIR allows, when no record has that id). {@code ifMatch}, when
     * given, is the version the client last saw: any other current version is a 412.
     */
    @Transactional
    public Written update(String resourceType, String id, Resource resource, String organization, String ifMatch) {
        requireBodyType(resourceType, resource);
        if (!resource.hasIdElement() || !id.equals(resource.getIdElement().getIdPart())) {
            throw FhirException.badRequest("The resource's id must equal the id in the URL (" + id + ")");
        }
        UUID uuid = ResourceIds.asUuid(id)
                .orElseThrow(() -> FhirException.badRequest("Record ids are UUIDs; " + id + " is not one"));
        Optional<StoredRecord> current = records.findCurrent(resourceType, uuid);
        if (current.isPresent() && !current.get().organization().equals(organization)) {
            throw FhirException.notFound(resourceType, id);
        }
        Integer expected = health.tessera.fhir.ETags.expectedVersion(ifMatch);
        if (expected != null && (current.isEmpty() || current.get().version() != expected)) {
            throw new FhirException(
                    412,
                    IssueType.CONFLICT,
                    "Version conflict: If-Match names version " + expected + " but the current version is "
                            + current.map(c -> String.valueOf(c.version())).orElse("none"));
        }
        if (current.isEmpty()) {
            createAll(List.of(new NewRecord(resourceType, uuid, resource)), organization);
            return new Written(resource, true);
        }
        StoredRecord stored = stamp(resourceType, uuid, current.get().version() + 1, resource, organization, false);
        if (!records.replace(stored, current.get())) {
            throw new FhirException(
                    409, IssueType.CONFLICT, "The record was changed by another request; read it again and retry");
        }
        index.replace(resourceType, uuid, indexer.index(resource), true);
        announce(stored, "update", resource);
        return new Written(resource, false);
    }

    /** Deletes {@code id}: a new, deleted version. Deleting a deleted record changes nothing. */
    @Transactional
    public void delete(String resourceType, String id, String organization) {
        StoredRecord current =
                visibleCurrent(resourceType, id, health.tessera.records.domain.Visibility.organization(organization));
        if (current.deleted()) {
            return;
        }
        Resource last = parse(current.json());
        StoredRecord stored = stamp(resourceType, current.id(), current.version() + 1, last, organization, true);
        if (!records.replace(stored, current)) {
            throw new FhirException(
                    409, IssueType.CONFLICT, "The record was changed by another request; read it again and retry");
        }
        index.replace(resourceType, current.id(), List.of(), true);
        announce(stored, "delete", last);
    }

    /** The current version; 404 when unknown or invisible, 410 when deleted. */
    public Resource read(String resourceType, String id, String organization) {
        return parse(readStored(resourceType, id, organization).json());
    }

    /** The current version as stored (its JSON is what HAPI wrote at commit, id and meta included). */
    public StoredRecord readStored(String resourceType, String id, String organization) {
        return readStored(resourceType, id, health.tessera.records.domain.Visibility.organization(organization));
    }

    /** The current version as stored, if {@code visibility} shows it; 404 when not, 410 when deleted. */
    public StoredRecord readStored(
            String resourceType, String id, health.tessera.records.domain.Visibility visibility) {
        StoredRecord current = visibleCurrent(resourceType, id, visibility);
        if (current.deleted()) {
            throw FhirException.gone(resourceType, id, current.version());
        }
        return current;
    }

    /**
     * The current version when it is {@code organization}'s own and not deleted, read without blocking; empty for
     * everything else (unknown, deleted, another organisation's, a type this service does not own), which
     * {@link #readStored} answers on a worker thread as before: a consent's grants are read by JDBC, and every
     * answer that is not the caller's own record takes that one path, whatever the reason.
     */
    public io.smallrye.mutiny.Uni<Optional<StoredRecord>> readOwnWithoutBlocking(
            String resourceType, String id, String organization) {
        Optional<UUID> uuid = ResourceIds.asUuid(id);
        if (!ResourceOwnership.RECORDS.owns(resourceType) || uuid.isEmpty()) {
            return io.smallrye.mutiny.Uni.createFrom().item(Optional.empty());
        }
        return records.findCurrentWithoutBlocking(resourceType, uuid.get())
                .map(found -> found.filter(record -> !record.deleted() && organization.equals(record.organization())));
    }

    /** One version; 404 when the record or the version is unknown or invisible, 410 for a deletion. */
    public Resource vread(String resourceType, String id, String versionId, String organization) {
        return vread(resourceType, id, versionId, health.tessera.records.domain.Visibility.organization(organization));
    }

    public Resource vread(
            String resourceType, String id, String versionId, health.tessera.records.domain.Visibility visibility) {
        requireOwnedType(resourceType);
        int version;
        try {
            version = Integer.parseInt(versionId);
        } catch (NumberFormatException e) {
            throw FhirException.notFound(resourceType, id + "/_history/" + versionId);
        }
        StoredRecord found = ResourceIds.asUuid(id)
                .flatMap(uuid -> records.findVersion(resourceType, uuid, version))
                .filter(visibility::allows)
                .orElseThrow(() -> FhirException.notFound(resourceType, id + "/_history/" + versionId));
        if (found.deleted()) {
            throw FhirException.gone(resourceType, id, version);
        }
        return parse(found.json());
    }

    public List<StoredRecord> instanceHistory(
            String resourceType,
            String id,
            Instant since,
            int limit,
            health.tessera.records.domain.Visibility visibility) {
        StoredRecord current = visibleCurrent(resourceType, id, visibility);
        return records.instanceHistory(resourceType, current.id(), since, limit);
    }

    public List<StoredRecord> typeHistory(String resourceType, Instant since, int limit, String organization) {
        requireOwnedType(resourceType);
        return records.typeHistory(resourceType, organization, since, limit);
    }

    public Resource parse(String json) {
        return (Resource) fhir.newJsonParser().parseResource(json);
    }

    private StoredRecord visibleCurrent(
            String resourceType, String id, health.tessera.records.domain.Visibility visibility) {
        requireOwnedType(resourceType);
        return ResourceIds.asUuid(id)
                .flatMap(uuid -> records.findCurrent(resourceType, uuid))
                .filter(visibility::allows)
                .orElseThrow(() -> FhirException.notFound(resourceType, id));
    }

    private static void requireBodyType(String resourceType, Resource resource) {
        requireOwnedType(resourceType);
        FhirException.requireBodyType(resourceType, resource);
    }

    /** Gives the resource its id and version metadata and makes the row to store. */
    private StoredRecord stamp(
            String resourceType, UUID id, int version, Resource resource, String organization, boolean deleted) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        resource.setId(id.toString());
        resource.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(now));
        return new StoredRecord(
                resourceType,
                id,
                version,
                organization,
                RecordFacts.patientId(resource),
                now,
                deleted,
                fhir.newJsonParser().encodeResourceToString(resource));
    }

    private void announce(StoredRecord stored, String operation, Resource resource) {
        String subject = stored.resourceType() + "/" + stored.id();
        outbox.append(
                EventType.RECORD_COMMITTED,
                eventKey(subject, stored.patientId(), new HashMap<>()),
                subject,
                committed(stored, operation, resource));
    }

    /**
     * The key that orders a record's events: its patient's enterprise id (looked up once per patient in
     * {@code eventKeys}), so that the events of one patient stay ordered, or the record itself when it has no
     * patient.
     */
    private String eventKey(String subject, String patientId, Map<String, String> eventKeys) {
        return patientId == null
                ? subject
                : eventKeys.computeIfAbsent(
                        patientId, id -> patients.enterpriseId(id).orElse(id));
    }

    /** What the RecordCommitted event of a stored version says. */
    private static RecordCommitted committed(StoredRecord stored, String operation, Resource resource) {
        return new RecordCommitted(
                stored.resourceType(),
                stored.id().toString(),
                stored.version(),
                operation,
                stored.patientId(),
                stored.organization(),
                RecordFacts.codes(resource),
                RecordFacts.effective(resource),
                RecordFacts.values(resource));
    }
}
