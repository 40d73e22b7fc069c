package health.tessera.patient.domain;

import health.tessera.patient.matching.Identifier;
import health.tessera.patient.matching.PersonRecord;
import java.util.List;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/** The demographics of a FHIR Patient as the matching engine compares them. */
public final class PersonRecords {

    /** The system of US Social Security Numbers: a person identifier, valid across organisations. */
    public static final String US_SSN = "http://hl7.org/fhir/sid/us-ssn";

    private PersonRecords() {}

    /** {@code patient} as a {@link PersonRecord} with the given id, from {@code organization}'s records. */
    public static PersonRecord of(String id, String organization, Patient patient) {
        PersonRecord.Builder record = PersonRecord.builder(id).source(organization);
        HumanName name = currentName(patient);
        if (name != null) {
            record.given(name.getGiven().stream().map(StringType::getValue).toArray(String[]::new));
            if (name.hasFamily()) {
                record.family(name.getFamily());
            }
            name.getSuffix().stream().findFirst().ifPresent(suffix -> record.suffix(suffix.getValue()));
        }
        patient.getName().stream()
                .filter(n -> n.getUse() == HumanName.NameUse.MAIDEN || n.getUse() == HumanName.NameUse.OLD)
                .filter(HumanName::hasFamily)
                .findFirst()
                .ifPresent(n -> record.previousFamily(n.getFamily()));
        if (patient.hasBirthDateElement() && patient.getBirthDateElement().getValueAsString() != null) {
            record.birthDate(patient.getBirthDateElement().getValueAsString());
        }
        if (patient.hasGender()) {
            record.sex(patient.getGender().toCode());
        }
        Address address = patient.getAddress().stream()
                .filter(a -> a.getUse() != Address.AddressUse.OLD)
                .findFirst()
                .orElse(null);
        if (address != null) {
            record.address(
                    address.getLine().stream().map(StringType::getValue).toList(),
                    address.getCity(),
                    address.getPostalCode(),
                    address.getState());
        }
        for (ContactPoint telecom : patient.getTelecom()) {
            if (telecom.hasValue() && telecom.getSystem() == ContactPoint.ContactPointSystem.PHONE) {
                record.phone(telecom.getValue());
            } else if (telecom.hasValue() && telecom.getSystem() == ContactPoint.ContactPointSystem.EMAIL) {
                record.email(telecom.getValue());
            }
        }
        for (org.hl7.fhir.r4.model.Identifier identifier : patient.getIdentifier()) {
            if (!identifier.hasValue()) {
                continue;
            }
            if (US_SSN.equals(identifier.getSystem())) {
                record.ssn(identifier.getValue());
            } else if (identifier.hasSystem()) {
                record.identifier(identifier.getSystem(), identifier.getValue(), Identifier.Kind.RECORD);
            }
        }
        return record.build();
    }

    /** The name to compare: the official (or usual) one, else the first that is not old or maiden. */
    private static HumanName currentName(Patient patient) {
        List<HumanName> names = patient.getName();
        for (HumanName.NameUse use : new HumanName.NameUse[] {HumanName.NameUse.OFFICIAL, HumanName.NameUse.USUAL}) {
            for (HumanName name : names) {
                if (name.getUse() == use) {
                    return name;
                }
            }
        }
        return names.stream()
                .filter(n -> n.getUse() != HumanName.NameUse.OLD && n.getUse() != HumanName.NameUse.MAIDEN)
                .findFirst()
                .orElse(null);
    }
}
