package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressComparatorTest {

    private static Features at(String line1, String line2, String city, String zip) {
        return Features.of(PersonRecord.builder("x")
                .address(line2 == null ? List.of(line1) : List.of(line1, line2), city, zip, "IL")
                .build());
    }

    @Test
    void streetTypesAndDirectionalsAreNormalised() {
        Agreement a = AddressComparator.address(
                at("123 North Main Street", null, "Springfield", "62701"),
                at("123 N. Main St", null, "springfield", "62701-1234"));
        assertThat(a.level()).isEqualTo(Level.EXACT);
    }

    @Test
    void typosAndMissingPartsAreStrong() {
        assertThat(AddressComparator.address(
                                at("123 Main St", null, "Springfield", "62701"),
                                at("123 Mian St", null, "Springfield", "62701"))
                        .level())
                .isEqualTo(Level.STRONG);
        assertThat(AddressComparator.address(
                                at("Main St", null, "Springfield", "62701"),
                                at("123 Main St", null, "Springfield", "62701"))
                        .level())
                .isEqualTo(Level.STRONG);
    }

    @Test
    void sameTownOtherStreetIsWeakAndAnotherPlaceDisagrees() {
        assertThat(AddressComparator.address(
                                at("123 Main St", null, "Springfield", "62701"),
                                at("9 Oak Ave", null, "Springfield", "62702"))
                        .level())
                .isEqualTo(Level.WEAK);
        assertThat(AddressComparator.address(
                                at("123 Main St", null, "Springfield", "62701"),
                                at("9 Oak Ave", null, "Denver", "80202"))
                        .level())
                .isEqualTo(Level.DISAGREE);
    }

    @Test
    void streetFoundInTheOtherLine() {
        Agreement a = AddressComparator.street(
                at("23 gundulu place", "curringa", "utakarra", "2193"),
                at("1 currihga", "gundulu place", "utakarra", "2193"));
        assertThat(a.level()).isIn(Level.STRONG, Level.WEAK);
    }

    @Test
    void phonesAndEmails() {
        Features a = Features.of(PersonRecord.builder("a")
                .phone("(217) 555-0199")
                .email("Ann.Smith@Example.org")
                .build());
        Features same = Features.of(PersonRecord.builder("b")
                .phone("+1 217 555 0199")
                .email("ann.smith@example.org")
                .build());
        Features typo = Features.of(PersonRecord.builder("c")
                .phone("217-555-0198")
                .email("ann.smlth@example.org")
                .build());
        Features otherProvider = Features.of(
                PersonRecord.builder("d").email("ann.smith@example.com").build());
        assertThat(ContactComparator.phone(a, same).level()).isEqualTo(Level.EXACT);
        assertThat(ContactComparator.email(a, same).level()).isEqualTo(Level.EXACT);
        assertThat(ContactComparator.phone(a, typo).level()).isEqualTo(Level.STRONG);
        assertThat(ContactComparator.email(a, typo).level()).isEqualTo(Level.STRONG);
        assertThat(ContactComparator.email(a, otherProvider).level()).isEqualTo(Level.WEAK);
    }

    @Test
    void personIdentifiersDecideRecordIdentifiersOnlyAgree() {
        Features ssn = Features.of(PersonRecord.builder("a").ssn("123-45-6789").build());
        Features same = Features.of(PersonRecord.builder("b").ssn("123456789").build());
        Features typo = Features.of(PersonRecord.builder("c").ssn("123-45-6798").build());
        Features other =
                Features.of(PersonRecord.builder("d").ssn("987-65-4321").build());
        assertThat(IdentifierComparator.compare(ssn, same).level()).isEqualTo(Level.EXACT);
        assertThat(IdentifierComparator.compare(ssn, typo).level()).isEqualTo(Level.STRONG);
        assertThat(IdentifierComparator.compare(ssn, other).level()).isEqualTo(Level.DISAGREE);

        Features mrn1 = Features.of(PersonRecord.builder("e")
                .identifier("urn:org-a:mrn", "1001", Identifier.Kind.RECORD)
                .build());
        Features mrn2 = Features.of(PersonRecord.builder("f")
                .identifier("urn:org-a:mrn", "2002", Identifier.Kind.RECORD)
                .build());
        assertThat(IdentifierComparator.compare(mrn1, mrn1).level()).isEqualTo(Level.EXACT);
        // two MRNs of one organisation for one person: the duplicates an MPI exists to find
        assertThat(IdentifierComparator.compare(mrn1, mrn2).level()).isEqualTo(Level.MISSING);
    }
}
