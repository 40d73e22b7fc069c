package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MatchNormalisationTest {

    @Test
    void caseAccentsAndPunctuation() {
        assertThat(Text.fold("  Zoë  O'Brien-Smith ")).isEqualTo("zoe obrien smith");
        assertThat(Text.fold("Łukasz Müller")).isEqualTo("lukasz muller");
        assertThat(Text.name("Dr. Mary-Ann")).isEqualTo("mary ann");
    }

    @Test
    void streetsPhonesPostcodesStates() {
        assertThat(Text.street("123 North Main Street, Apartment 4")).isEqualTo("123 n main st apt 4");
        assertThat(Text.phone("+1 (217) 555-0199")).isEqualTo("2175550199");
        assertThat(Text.phone("555-01")).isNull();
        assertThat(Text.postcode("62701-1234")).isEqualTo("62701");
        assertThat(Text.state("Illinois")).isEqualTo("il");
        assertThat(Text.email(" Ann@Example.ORG ")).isEqualTo("ann@example.org");
        assertThat(Text.email("no-at-sign")).isNull();
    }

    @Test
    void suffixes() {
        assertThat(Text.suffix("Jr.")).isEqualTo("jr");
        assertThat(Text.suffix("Junior")).isEqualTo("jr");
        assertThat(Text.suffix("III")).isEqualTo("iii");
        assertThat(Text.suffix("MD")).isNull();
    }

    @Test
    void builderNormalisesEverything() {
        PersonRecord r = PersonRecord.builder("p1")
                .source("org-a")
                .given("Bill", "J.")
                .family("O'Neil-Smith")
                .previousFamily("Doe")
                .birthDate("1980-05-03")
                .sex("M")
                .address(List.of("12 Elm Street", ""), "Springfield", "62701", "Illinois")
                .phone("(217) 555-0100")
                .phone("217.555.0100")
                .email("Bill@Example.org")
                .ssn("123-45-6789")
                .suffix("Sr.")
                .build();
        assertThat(r.givenNames()).containsExactly("bill", "j");
        assertThat(r.familyName()).isEqualTo("oneil smith");
        assertThat(r.previousFamilyNames()).containsExactly("doe");
        assertThat(r.birthDate()).isEqualTo(new PartialDate(1980, 5, 3));
        assertThat(r.sex()).isEqualTo(Sex.MALE);
        assertThat(r.address().lines()).containsExactly("12 elm st");
        assertThat(r.address().state()).isEqualTo("il");
        assertThat(r.phones()).containsExactly("2175550100");
        assertThat(r.emails()).containsExactly("bill@example.org");
        assertThat(r.identifiers()).containsExactly(Identifier.ssn("123456789"));
        assertThat(r.suffix()).isEqualTo("sr");
    }

    @Test
    void partialDates() {
        assertThat(PartialDate.parse("1980")).isEqualTo(new PartialDate(1980, 0, 0));
        assertThat(PartialDate.parse("1980-05")).isEqualTo(new PartialDate(1980, 5, 0));
        assertThat(PartialDate.parse("19801305").month()).isEqualTo(13); // kept: probably transposed
        assertThat(PartialDate.parse("garbage")).isEqualTo(PartialDate.UNKNOWN);
        assertThat(PartialDate.parse(null).isKnown()).isFalse();
    }
}
