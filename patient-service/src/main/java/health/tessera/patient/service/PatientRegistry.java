package health.tessera.patient.service;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import health.tessera.events.EventType;
import health.tessera.events.OutboxWriter;
import health.tessera.events.PatientRegistered;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceIds;
import health.tessera.patient.domain.IdentityRepository;
import health.tessera.patient.domain.PatientRepository;
import health.tessera.patient.domain.PersonRecords;
import health.tessera.patient.domain.SourcePatient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;

/**
 * Source Patient records per organisation: registration (placed in an enterprise identity by
 * {@link EnterpriseIdentities}), new versions, reads of a source record or of a golden record.
 */
@ApplicationScoped
public class PatientRegistry {

    private final PatientRepository patients;
    private final IdentityRepository identityStore;
    private final EnterpriseIdentities identities;
    private final OutboxWriter outbox;
    private final FhirContext fhir;
    private final health.tessera.patient.domain.AccessGrants grants;

    public PatientRegistry(
            PatientRepository patients,
            IdentityRepository identityStore,
            EnterpriseIdentities identities,
            OutboxWriter outbox,
            FhirContext fhir,
            health.tessera.patient.domain.AccessGrants grants) {
        this.grants = grants;
        this.patients = patients;
        this.identityStore = identityStore;
        this.identities = identities;
        this.outbox = outbox;
        this.fhir = fhir;
    }

    /**
     * Stores {@code patient} for {@code organization}, links it to an enterprise identity (an existing one when the
     * matcher is sure, else a new one) and announces it on {@code tessera.patient.v1}.
     */
    public Patient register(Patient patient, String organization) {
        UUID id = ResourceIds.newId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        patient.setId(id.toString());
        patient.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        String body = parser().encodeResourceToString(patient);
        return identities.decide(() -> {
            EnterpriseIdentities.Placement placement =
                    identities.place(PersonRecords.of(id.toString(), organization, patient), enterprise -> {
                        SourcePatient row = new SourcePatient(id, organization, enterprise, 1, now, body, 1);
                        patients.insert(row);
                        return row;
                    });
            rejectIdentifiersOfOthers(patient, organization, id, placement.enterpriseId());
            outbox.append(
                    EventType.PATIENT_REGISTERED,
                    placement.enterpriseId().toString(),
                    "Patient/" + id,
                    new PatientRegistered(
                            id.toString(),
                            placement.enterpriseId().toString(),
                            organization,
                            1,
                            identities.read(body),
                            1,
                            placement.golden()));
            identities.announceLink(placement);
            return patient;
        });
    }

    /**
     * A new version of one of the organisation's source records ({@code ifMatch}: the version the caller last saw,
     * or null); its identity stays, its golden record is rebuilt.
     */
    public Patient update(String id, Patient patient, String organization, Integer ifMatch) {
        UUID uuid = ResourceIds.asUuid(id).orElseThrow(() -> FhirException.notFound("Patient", id));
        return identities.decide(() -> {
            SourcePatient current = patients.find(uuid)
                    .filter(p -> p.organization().equals(organization))
                    .orElseThrow(() -> FhirException.notFound("Patient", id));
            if (ifMatch != null && ifMatch != current.version()) {
                throw new FhirException(
                        412,
                        IssueType.CONFLICT,
                        "Patient/" + id + " is at version " + current.version() + ", not " + ifMatch);
            }
            rejectIdentifiersOfOthers(patient, organization, uuid, current.enterpriseId());
            int version = current.version() + 1;
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            patient.setId(id);
            patient.getMeta().setVersionId(Integer.toString(version)).setLastUpdated(Date.from(now));
            String body = parser().encodeResourceToString(patient);
            patients.update(new SourcePatient(
                    uuid, organization, current.enterpriseId(), version, now, body, current.linkVersion()));
            announce(EventType.PATIENT_UPDATED, current, version, body);
            identities.reconsider(uuid, PersonRecords.of(id, organization, patient), current.enterpriseId());
            return patient;
        });
    }

    /**
     * Deletes one of the organisation's source records: a new version without content. The record leaves its
     * enterprise identity (whose golden record is rebuilt, or emptied when no record is left), searches, PIX and
     * the matching index; its identifiers are free again and its open review tasks are withdrawn. Its history
     * stays. Deleting it again changes nothing; another organisation's record is 404.
     */
    public void delete(String id, String organization, String actor) {
        UUID uuid = ResourceIds.asUuid(id).orElseThrow(() -> FhirException.notFound("Patient", id));
        identities.decide(() -> {
            Optional<SourcePatient> found = patients.find(uuid);
            if (found.isEmpty() || !found.get().organization().equals(organization)) {
                if (patients.findDeleted(uuid)
                        .filter(p -> p.organization().equals(organization))
                        .isPresent()) {
                    return null; // deleted already: DELETE is idempotent
                }
                throw FhirException.notFound("Patient", id);
            }
            SourcePatient current = found.get();
            int version = current.version() + 1;
            patients.delete(uuid, version, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            identityStore.withdrawReviewsOf(uuid, actor);
            announce(EventType.PATIENT_DELETED, current, version, current.json());
            return null;
        });
    }

    /**
     * Rebuilds the golden record of the record's identity and announces the record's new version ({@code json}:
     * as stored, or the last stored for a deletion), keyed by the identity.
     */
    private void announce(EventType<PatientRegistered> type, SourcePatient record, int version, String json) {
        JsonNode golden = identities.refreshGolden(record.enterpriseId());
        outbox.append(
                type,
                record.enterpriseId().toString(),
                "Patient/" + record.id(),
                new PatientRegistered(
                        record.id().toString(),
                        record.enterpriseId().toString(),
                        record.organization(),
                        version,
                        identities.read(json),
                        record.linkVersion(),
                        golden));
    }

    /**
     * An identifier names one person. A record that already has it and is not linked to the same enterprise
     * identity is a 409: naming that record when it is the caller's organisation's own, without its id when it is
     * another organisation's (the caller may not see it).
     */
    private void rejectIdentifiersOfOthers(Patient patient, String organization, UUID self, UUID enterprise) {
        List<String[]> identifiers = patient.getIdentifier().stream()
                .filter(i -> i.hasSystem() && i.hasValue())
                .map(i -> new String[] {i.getSystem(), i.getValue()})
                .toList();
        for (PatientRepository.Holder other : patients.holdersOf(identifiers)) {
            if (other.patient().id().equals(self)) {
                continue;
            }
            if (other.patient().enterpriseId().equals(enterprise)) {
                continue; // the same person: a duplicate record the index has linked, not a conflict
            }
            String what = "Identifier " + other.system() + "|" + other.value();
            if (other.patient().organization().equals(organization)) {
                throw new FhirException(
                        409,
                        IssueType.DUPLICATE,
                        what + " already identifies Patient/" + other.patient().id() + " of this organisation");
            }
            throw new FhirException(409, IssueType.DUPLICATE, what + " already identifies another person");
        }
    }

    /**
     * The source record if {@code organization} owns it; else the golden record of the enterprise identity with
     * that id if one of the organisation's records is linked to it (or {@code anyOrganization}: operators);
     * otherwise 404, whichever the reason.
     */
    public Patient read(String id, String organization, boolean anyOrganization) {
        Optional<UUID> uuid = ResourceIds.asUuid(id);
        if (uuid.isEmpty()) {
            throw FhirException.notFound("Patient", id);
        }
        Optional<SourcePatient> source = patients.find(uuid.get());
        if (source.isPresent()) {
            if (mayRead(source.get(), organization, anyOrganization)) {
                return parser().parseResource(Patient.class, source.get().json());
            }
            throw FhirException.notFound("Patient", id);
        }
        Optional<SourcePatient> deleted = patients.findDeleted(uuid.get());
        if (deleted.isPresent()) {
            if (owns(deleted.get(), organization, anyOrganization)) {
                throw FhirException.gone("Patient", id, deleted.get().version());
            }
            throw FhirException.notFound("Patient", id);
        }
        return identityStore
                .enterprise(uuid.get())
                .filter(e -> e.goldenJson() != null)
                .filter(e -> anyOrganization
                        || patients.members(e.id()).stream()
                                .anyMatch(m -> m.organization().equals(organization)))
                .map(e -> parser().parseResource(Patient.class, e.goldenJson()))
                .orElseThrow(() -> FhirException.notFound("Patient", id));
    }

    /**
     * A read by a patient-context token acting for {@code contextPatient} (a source record's id or an enterprise
     * id): the person's own records only, that is their enterprise identity's golden record and its source
     * records in every organisation; anyone else's is 404, as if it did not exist.
     */
    public Patient readAsPatient(String id, String contextPatient) {
        UUID enterprise = enterpriseOf(contextPatient).orElseThrow(() -> FhirException.notFound("Patient", id));
        Optional<UUID> uuid = ResourceIds.asUuid(id);
        if (uuid.isPresent() && uuid.get().equals(enterprise)) {
            return read(id, null, true);
        }
        return uuid.flatMap(patients::find)
                .filter(source -> enterprise.equals(source.enterpriseId()))
                .map(source -> parse(source.json()))
                .orElseThrow(() -> FhirException.notFound("Patient", id));
    }

    /**
     * Whether {@code organization} reads the source record: its own, any for operators, and another
     * organisation's while a consent or an accepted referral of that person names it.
     */
    private boolean mayRead(SourcePatient source, String organization, boolean anyOrganization) {
        return owns(source, organization, anyOrganization) || grants.mayRead(organization, source);
    }

    /** The organisation's own record, or any record for operators. */
    private static boolean owns(SourcePatient source, String organization, boolean anyOrganization) {
        return anyOrganization || source.organization().equals(organization);
    }

    /** The current enterprise identity of a source record, or the identity itself (following merges). */
    private Optional<UUID> enterpriseOf(String patientOrEnterpriseId) {
        Optional<UUID> uuid = ResourceIds.asUuid(patientOrEnterpriseId);
        if (uuid.isEmpty()) {
            return Optional.empty();
        }
        Optional<UUID> enterprise = patients.find(uuid.get())
                .map(SourcePatient::enterpriseId)
                .or(() -> identityStore.enterprise(uuid.get()).map(IdentityRepository.Enterprise::id));
        for (int hops = 0; enterprise.isPresent() && hops < 10; hops++) { // a merged identity lives on in its target
            Optional<IdentityRepository.Enterprise> found = identityStore.enterprise(enterprise.get());
            if (found.isEmpty() || found.get().mergedInto() == null) {
                break;
            }
            enterprise = Optional.of(found.get().mergedInto());
        }
        return enterprise;
    }

    /**
     * Every version of one of the organisation's source records, deleted or not, newest first (404 for anyone
     * else's); a deletion is a version without content.
     */
    public List<PatientRepository.Version> history(String id, String organization, boolean anyOrganization) {
        SourcePatient current = ResourceIds.asUuid(id)
                .flatMap(uuid -> patients.find(uuid)
                        .filter(p -> mayRead(p, organization, anyOrganization))
                        .or(() -> patients.findDeleted(uuid).filter(p -> owns(p, organization, anyOrganization))))
                .orElseThrow(() -> FhirException.notFound("Patient", id));
        return patients.versions(current.id());
    }

    /** The organisation's own source record. */
    public Patient read(String id, String organization) {
        Optional<SourcePatient> found = ResourceIds.asUuid(id).flatMap(patients::find);
        if (found.isEmpty() || !found.get().organization().equals(organization)) {
            throw FhirException.notFound("Patient", id);
        }
        return parser().parseResource(Patient.class, found.get().json());
    }

    /**
     * The organisation's patients with {@code identifier} ({@code system|value} or {@code value}), oldest first.
     */
    public List<Patient> findByIdentifier(String identifier, String organization) {
        int bar = identifier.indexOf('|');
        String system = bar < 0 ? null : identifier.substring(0, bar);
        String value = bar < 0 ? identifier : identifier.substring(bar + 1);
        if (value.isEmpty()) {
            throw FhirException.badRequest("identifier needs a value: system|value or value");
        }
        return patients
                .findByIdentifier(organization, system == null || system.isEmpty() ? null : system, value)
                .stream()
                .map(id -> read(id.toString(), organization))
                .toList();
    }

    /** A stored Patient's JSON as a resource. */
    public Patient parse(String json) {
        return parser().parseResource(Patient.class, json);
    }

    private IParser parser() {
        return fhir.newJsonParser();
    }
}
