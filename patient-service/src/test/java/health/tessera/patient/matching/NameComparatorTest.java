package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameComparatorTest {

    private static Features person(String given, String family) {
        return Features.of(PersonRecord.builder("x").given(given).family(family).build());
    }

    private static Agreement given(String a, String b) {
        return NameComparator.given(person(a, "smith"), person(b, "smith"));
    }

    private static Agreement family(String a, String b) {
        return NameComparator.family(person("ann", a), person("ann", b));
    }

    @Test
    void exactAndCaseAndAccentsIgnored() {
        assertThat(given("José", "JOSE").level()).isEqualTo(Level.EXACT);
        assertThat(given("Mary Ann", "mary ann").level()).isEqualTo(Level.EXACT);
        assertThat(given("Mary", "Mary Ann").level()).isEqualTo(Level.EXACT);
    }

    @Test
    void nicknamesAreStrong() {
        assertThat(given("Bill", "William").level()).isEqualTo(Level.STRONG);
        assertThat(given("Bill", "William").detail()).contains("nickname");
        assertThat(given("Peggy", "Margaret").level()).isEqualTo(Level.STRONG);
        assertThat(given("Bob", "Robert").level()).isEqualTo(Level.STRONG);
        assertThat(given("Liz", "Elizabeth").level()).isEqualTo(Level.STRONG);
    }

    @Test
    void typosAreStrongAndLooseSpellingsWeak() {
        assertThat(given("Jonathan", "Johnathan").level()).isEqualTo(Level.STRONG);
        assertThat(given("Katherine", "Kathryn").level()).isIn(Level.STRONG, Level.WEAK);
        assertThat(given("Michael", "Susan").level()).isEqualTo(Level.DISAGREE);
    }

    @Test
    void misspeltNicknameIsWeak() {
        assertThat(given("Miky", "Michael").level()).isEqualTo(Level.WEAK);
        // a typo in the full name against its nickname: "Jrssica" is one edit from Jessica, whose nickname is Jess
        assertThat(given("Jrssica", "Jess").level()).isEqualTo(Level.WEAK);
        assertThat(given("Knneth", "Ken").level()).isEqualTo(Level.WEAK);
    }

    @Test
    void initialsCountOnlyForTheFirstName() {
        assertThat(given("J", "John").level()).isEqualTo(Level.WEAK);
        // a middle initial says nothing about the other's first name
        assertThat(given("Ronald J", "James").level()).isEqualTo(Level.DISAGREE);
    }

    @Test
    void middleNameUsedAsFirstName() {
        assertThat(given("Dale", "Robert Dale").level()).isEqualTo(Level.STRONG);
        // someone with a middle name of their own is someone else: one person has one middle name
        assertThat(given("Charles James", "Timothy Charles").level()).isEqualTo(Level.DISAGREE);
        assertThat(given("Charles J", "Timothy Charles").level()).isEqualTo(Level.WEAK);
        // someone who goes by their middle name, registered by its initial alone
        assertThat(given("M", "Angela Miranda").level()).isEqualTo(Level.WEAK);
        assertThat(given("M", "Angela Miranda").detail()).contains("middle name");
        assertThat(given("K", "Angela Miranda").level()).isEqualTo(Level.DISAGREE);
        // but not a middle initial against someone else's first name: that is what twins look like
        assertThat(given("Caleb N", "Nicholas").level()).isEqualTo(Level.DISAGREE);
    }

    @Test
    void differentFullMiddleNamesLowerTheLevel() {
        assertThat(given("Amanda Karen", "Amanda Mary").level()).isEqualTo(Level.WEAK);
        assertThat(given("Amanda K", "Amanda Mary").level()).isEqualTo(Level.EXACT);
    }

    @Test
    void familyNameTyposHyphenationAndMaidenNames() {
        assertThat(family("Smith", "Smyth").level()).isEqualTo(Level.STRONG);
        assertThat(family("Black Well", "Blackwell").level()).isEqualTo(Level.EXACT);
        Agreement hyphen = family("Garcia-Lopez", "Lopez");
        assertThat(hyphen.level()).isEqualTo(Level.STRONG);
        assertThat(hyphen.detail()).contains("hyphenated");
        assertThat(family("Jones", "Okafor").level()).isEqualTo(Level.DISAGREE);

        Features married = Features.of(PersonRecord.builder("a")
                .given("Ann")
                .family("Okafor")
                .previousFamily("Miller")
                .build());
        Features maiden = person("Ann", "Miller");
        Agreement a = NameComparator.family(married, maiden);
        assertThat(a.level()).isEqualTo(Level.STRONG);
        assertThat(a.detail()).contains("previous");
    }

    @Test
    void givenAndFamilySwappedAreRecognised() {
        Comparison c = RecordComparator.compare(
                PersonRecord.builder("a").given("Mikhayla").family("Hannagan").build(),
                PersonRecord.builder("b").given("Hannagan").family("Mikhayla").build());
        assertThat(c.level(Field.GIVEN_NAME)).isEqualTo(Level.STRONG);
        assertThat(c.level(Field.FAMILY_NAME)).isEqualTo(Level.STRONG);
        assertThat(c.agreement(Field.GIVEN_NAME).detail()).contains("swapped");
    }

    @Test
    void suffixInTheNameIsTakenAsTheSuffix() {
        PersonRecord r =
                PersonRecord.builder("a").given("John").family("Smith Jr.").build();
        assertThat(r.familyName()).isEqualTo("smith");
        assertThat(r.suffix()).isEqualTo("jr");
        PersonRecord initial =
                PersonRecord.builder("b").given("John V").family("Smith").build();
        assertThat(initial.givenNames()).containsExactly("john", "v");
        assertThat(initial.suffix()).isNull();
    }
}
