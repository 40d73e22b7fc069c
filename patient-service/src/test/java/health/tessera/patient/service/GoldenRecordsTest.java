package health.tessera.patient.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** The survivorship rules of golden records. */
class GoldenRecordsTest {

    private static final Date OLD = new Date(1_600_000_000_000L);
    private static final Date NEW = new Date(1_700_000_000_000L);

    private static Patient patient(String given, String family) {
        Patient p = new Patient();
        p.addName().setFamily(family).addGiven(given);
        return p;
    }

    @Test
    void theMostTrustedSourceNamesThePersonAndTheMostRecentSaysWhereTheyLive() {
        Patient hospital = patient("Katherine", "Whitfield").setGender(AdministrativeGender.FEMALE);
        hospital.setBirthDateElement(new DateType("1984-03-12"));
        hospital.addAddress(new Address().addLine("1 Old Road").setCity("Dayton"));
        hospital.addTelecom(new ContactPoint()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setValue("937-555-0100"));
        hospital.addIdentifier().setSystem("urn:hospital").setValue("H1");

        Patient clinic = patient("Kate", "Whitfield").setGender(AdministrativeGender.UNKNOWN);
        clinic.setBirthDateElement(new DateType("1984"));
        clinic.addAddress(new Address().addLine("9 New Street").setCity("Columbus"));
        clinic.addTelecom(new ContactPoint()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setValue("(937) 555-0100"));
        clinic.addIdentifier().setSystem("urn:clinic").setValue("C7");
        clinic.addIdentifier().setSystem("urn:hospital").setValue("H1");
        clinic.setDeceased(new BooleanType(true));

        Patient golden = GoldenRecords.build(
                "e1",
                List.of(new GoldenRecords.Source("h", hospital, 2, OLD), new GoldenRecords.Source("c", clinic, 0, NEW)),
                NEW,
                3);

        assertThat(golden.getIdElement().getIdPart()).isEqualTo("e1");
        assertThat(golden.getMeta().getVersionId()).isEqualTo("3");
        assertThat(golden.getMeta().getTagFirstRep().getCode()).isEqualTo("golden");
        assertThat(golden.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Katherine"); // trusted
        assertThat(golden.getGender()).isEqualTo(AdministrativeGender.FEMALE); // known beats unknown
        assertThat(golden.getBirthDateElement().getValueAsString()).isEqualTo("1984-03-12"); // complete beats year
        assertThat(golden.getAddress())
                .extracting(a -> a.getLine().get(0).getValue())
                .containsExactly("9 New Street", "1 Old Road"); // most recent first
        assertThat(golden.getTelecom()).hasSize(1); // the same number, written two ways
        assertThat(golden.getIdentifier()).extracting(i -> i.getValue()).containsExactly("H1", "C7");
        assertThat(golden.getDeceasedBooleanType().booleanValue()).isTrue(); // any source's death
        assertThat(golden.getLink())
                .extracting(l -> l.getOther().getReference())
                .containsExactly("Patient/h", "Patient/c");
    }

    @Test
    void withEqualTrustTheMostRecentSourceWins() {
        Patient before = patient("Jon", "Berg");
        Patient after = patient("Jonathan", "Berg");
        Patient golden = GoldenRecords.build(
                "e2",
                List.of(new GoldenRecords.Source("a", before, 0, OLD), new GoldenRecords.Source("b", after, 0, NEW)),
                NEW,
                1);
        assertThat(golden.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Jonathan");
    }
}
