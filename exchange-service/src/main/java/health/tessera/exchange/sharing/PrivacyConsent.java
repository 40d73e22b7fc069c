package health.tessera.exchange.sharing;

import health.tessera.events.AccessGrantChanged;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceOwnership;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;

/**
 * What a privacy Consent means to the exchange: the patient lets the organisation that records it (the custodian)
 * share their records with the organisations named as actors, for a period, optionally only some record types.
 *
 * <p>A consent is enforced exactly or refused: an element that would narrow what is shared but that the exchange
 * cannot enforce (nested provisions, data, code, security labels, data periods) is a 422, never ignored, because
 * ignoring a restriction shares more than the patient agreed to.
 */
@jakarta.enterprise.context.ApplicationScoped
public class PrivacyConsent implements SharingRule<Consent> {

    public static final String SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
    public static final String RESOURCE_TYPES_SYSTEM = "http://hl7.org/fhir/resource-types";

    @Override
    public String resourceType() {
        return "Consent";
    }

    @Override
    public Class<Consent> resourceClass() {
        return Consent.class;
    }

    @Override
    public String participantParameter() {
        return "actor";
    }

    @Override
    public void stampCustodian(Consent consent, String organization) {
        consent.getOrganization().clear();
        consent.addOrganization(new Reference("Organization/" + organization));
    }

    @Override
    public List<String> participants(Consent consent) {
        return recipients(consent);
    }

    /** The patient id a valid consent is about. */
    @Override
    public String patientId(Consent consent) {
        return SharingReferences.patientId(consent.getPatient(), "Consent.patient");
    }

    /** Refuses (422, naming the element) a consent the exchange could not enforce as written. */
    @Override
    public void requireEnforceable(Consent consent) {
        if (!consent.hasStatus()) {
            throw FhirException.unprocessable("Consent.status is required", "Consent.status");
        }
        boolean privacy = consent.getScope().getCoding().stream()
                .anyMatch(c -> SCOPE_SYSTEM.equals(c.getSystem()) && "patient-privacy".equals(c.getCode()));
        if (!privacy) {
            throw FhirException.unprocessable(
                    "Consent.scope must be " + SCOPE_SYSTEM + "|patient-privacy: the exchange records privacy"
                            + " consents (who may see a patient's records)",
                    "Consent.scope");
        }
        if (!consent.hasCategory()) {
            throw FhirException.unprocessable("Consent.category is required (at least one)", "Consent.category");
        }
        if (!consent.hasPatient() || !consent.getPatient().hasReference()) {
            throw FhirException.unprocessable("Consent.patient is required", "Consent.patient");
        }
        patientId(consent);
        if (!consent.hasProvision() || !consent.getProvision().hasType()) {
            throw FhirException.unprocessable(
                    "Consent.provision with a type (permit or deny) is required", "Consent.provision.type");
        }
        Consent.ProvisionComponent provision = consent.getProvision();
        refuseUnenforced(provision.hasProvision(), "provision.provision", "nested provisions");
        refuseUnenforced(provision.hasData(), "provision.data", "restrictions to named resources");
        refuseUnenforced(provision.hasCode(), "provision.code", "restrictions by code");
        refuseUnenforced(provision.hasSecurityLabel(), "provision.securityLabel", "security labels");
        refuseUnenforced(provision.hasDataPeriod(), "provision.dataPeriod", "restrictions by the data's period");
        if (provision.getType() == Consent.ConsentProvisionType.PERMIT && !provision.hasActor()) {
            throw FhirException.unprocessable(
                    "A permit provision names the organisations that may see the records in provision.actor",
                    "Consent.provision.actor");
        }
        recipients(consent);
        resourceTypes(consent);
        if (provision.hasPeriod()
                && provision.getPeriod().hasStart()
                && provision.getPeriod().hasEnd()
                && !provision.getPeriod().getEnd().after(provision.getPeriod().getStart())) {
            throw FhirException.unprocessable(
                    "Consent.provision.period ends before it starts", "Consent.provision.period");
        }
    }

    private static void refuseUnenforced(boolean present, String element, String what) {
        if (present) {
            throw FhirException.unprocessable(
                    "Consent." + element + " is not supported: the exchange does not enforce " + what
                            + ", and ignoring it would share more than the consent allows",
                    "Consent." + element);
        }
    }

    /** The organisations the consent's actors name ({@code Organization/<org id>}, the id tokens carry). */
    static List<String> recipients(Consent consent) {
        Set<String> recipients = new LinkedHashSet<>();
        List<Consent.provisionActorComponent> actors = consent.getProvision().getActor();
        for (int i = 0; i < actors.size(); i++) {
            recipients.add(SharingReferences.organization(
                    actors.get(i).getReference(), "Consent.provision.actor[" + i + "].reference"));
        }
        return List.copyOf(recipients);
    }

    /** The record types {@code provision.class} limits sharing to; empty for every type. */
    static List<String> resourceTypes(Consent consent) {
        List<String> types = new ArrayList<>();
        List<Coding> classes = consent.getProvision().getClass_();
        for (int i = 0; i < classes.size(); i++) {
            Coding coding = classes.get(i);
            if (!RESOURCE_TYPES_SYSTEM.equals(coding.getSystem())
                    || !ResourceOwnership.RECORDS.owns(coding.getCode())) {
                throw FhirException.unprocessable(
                        "Consent.provision.class[" + i + "] must be a record type in " + RESOURCE_TYPES_SYSTEM
                                + " (e.g. Observation)",
                        "Consent.provision.class[" + i + "]");
            }
            types.add(coding.getCode());
        }
        return List.copyOf(types);
    }

    /** The access the stored version {@code version} of {@code consent} grants (inactive unless in force). */
    @Override
    public AccessGrantChanged grant(String id, int version, Consent consent, String custodian, boolean deleted) {
        Consent.ProvisionComponent provision = consent.getProvision();
        boolean active = !deleted
                && consent.getStatus() == Consent.ConsentState.ACTIVE
                && provision.getType() == Consent.ConsentProvisionType.PERMIT;
        Instant from = provision.getPeriod().hasStart()
                ? provision.getPeriod().getStart().toInstant()
                : null;
        Instant to =
                provision.getPeriod().hasEnd() ? provision.getPeriod().getEnd().toInstant() : null;
        return new AccessGrantChanged(
                "Consent/" + id,
                version,
                "consent",
                custodian,
                patientId(consent),
                active ? recipients(consent) : List.of(),
                resourceTypes(consent),
                from,
                to,
                active);
    }
}
