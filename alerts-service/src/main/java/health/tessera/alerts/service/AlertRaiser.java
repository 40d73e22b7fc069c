package health.tessera.alerts.service;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.alerts.domain.BloodPressureCrisisRule;
import health.tessera.alerts.domain.Finding;
import health.tessera.alerts.domain.FlagRepository;
import health.tessera.events.AlertRaised;
import health.tessera.events.EventType;
import health.tessera.events.OutboxWriter;
import health.tessera.events.RecordCommitted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Reference;

/** Runs the rules over a committed record and raises a FHIR Flag for each finding. */
@ApplicationScoped
public class AlertRaiser {

    static final String FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category";
    static final String RULE_EXTENSION = "https://tessera.health/fhir/StructureDefinition/alert-rule";

    private final FlagRepository flags;
    private final OutboxWriter outbox;
    private final FhirContext fhir;

    public AlertRaiser(FlagRepository flags, OutboxWriter outbox, FhirContext fhir) {
        this.flags = flags;
        this.outbox = outbox;
        this.fhir = fhir;
    }

    /**
     * What the rules find in {@code record}: they read the event alone (no stored state), so an event they find
     * nothing in never needs applying, and a redelivered one finds the same. Throws when the event cannot be
     * evaluated (a value list holding a null, say).
     */
    public static Optional<Finding> findingIn(RecordCommitted record) {
        return BloodPressureCrisisRule.evaluate(record);
    }

    /** Evaluates the rules in the caller's transaction; returns the raised flag, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Flag> evaluate(RecordCommitted record) {
        Optional<Finding> finding = findingIn(record);
        if (finding.isEmpty()) {
            return Optional.empty();
        }
        String source = record.resourceType() + "/" + record.resourceId() + "/_history/" + record.version();
        Flag flag = toFlag(finding.get(), record, source);
        UUID id = UUID.fromString(flag.getIdElement().getIdPart());
        boolean inserted = flags.insertOnce(
                id,
                record.organization(),
                record.patientId(),
                finding.get().rule(),
                source,
                fhir.newJsonParser().encodeResourceToString(flag));
        if (!inserted) {
            return Optional.empty(); // this rule already flagged this record version
        }
        outbox.append(
                EventType.ALERT_RAISED,
                record.patientId(),
                "Flag/" + id,
                new AlertRaised(
                        id.toString(),
                        record.patientId(),
                        record.organization(),
                        finding.get().rule(),
                        finding.get().severity(),
                        finding.get().summary(),
                        source));
        return Optional.of(flag);
    }

    private static Flag toFlag(Finding finding, RecordCommitted record, String source) {
        Flag flag = new Flag();
        flag.setId(UUID.randomUUID().toString());
        flag.getMeta().setVersionId("1").setLastUpdated(Date.from(Instant.now()));
        flag.setStatus(Flag.FlagStatus.ACTIVE);
        flag.addCategory()
                .addCoding()
                .setSystem(FLAG_CATEGORY)
                .setCode("clinical")
                .setDisplay("Clinical");
        flag.setCode(new CodeableConcept().setText(finding.summary()));
        flag.getCode()
                .addCoding()
                .setSystem("http://snomed.info/sct")
                .setCode(finding.snomedCode())
                .setDisplay(finding.display());
        flag.setSubject(new Reference("Patient/" + record.patientId()));
        flag.getPeriod().setStart(Date.from(record.effective() == null ? Instant.now() : record.effective()));
        flag.addExtension(RULE_EXTENSION, new org.hl7.fhir.r4.model.StringType(finding.rule()));
        flag.addExtension("http://hl7.org/fhir/StructureDefinition/flag-detail", new Reference(source));
        return flag;
    }
}
