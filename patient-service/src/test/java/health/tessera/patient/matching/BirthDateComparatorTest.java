package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BirthDateComparatorTest {

    private static Agreement compare(String a, String b) {
        return BirthDateComparator.compare(PartialDate.parse(a), PartialDate.parse(b));
    }

    private static boolean gap(String a, String b) {
        return BirthDateComparator.generationGap(PartialDate.parse(a), PartialDate.parse(b));
    }

    @Test
    void exactAndMissing() {
        assertThat(compare("1980-05-03", "19800503").level()).isEqualTo(Level.EXACT);
        assertThat(compare("1980-05-03", null).level()).isEqualTo(Level.MISSING);
    }

    @Test
    void dayAndMonthTransposed() {
        Agreement a = compare("1980-05-03", "1980-03-05");
        assertThat(a.level()).isEqualTo(Level.STRONG);
        assertThat(a.detail()).contains("transposed");
    }

    @Test
    void oneDigitTypoInTheYearAndYearOffByOne() {
        assertThat(compare("1957-03-02", "1967-03-02").level()).isEqualTo(Level.STRONG);
        assertThat(compare("1999-12-31", "2000-12-31").level()).isEqualTo(Level.STRONG);
        assertThat(compare("1956-03-02", "1965-03-02").level()).isEqualTo(Level.STRONG); // transposed digits
    }

    @Test
    void weakerAgreements() {
        assertThat(compare("1980-05-03", "1980-05-21").level()).isEqualTo(Level.WEAK); // same year and month
        assertThat(compare("1980-05-03", "1990-05-03").level()).isEqualTo(Level.STRONG); // one digit
        assertThat(compare("1976-07-02", "1977-02-07").level()).isEqualTo(Level.WEAK); // transposed + year typo
        assertThat(compare("1980", "1980-05-03").level()).isEqualTo(Level.WEAK);
        assertThat(compare("1980-05", "1980-06-03").level()).isEqualTo(Level.DISAGREE);
        assertThat(compare("1980-05-03", "1962-11-20").level()).isEqualTo(Level.DISAGREE);
    }

    @Test
    void generationGapIsAParentAndChildNotATypo() {
        assertThat(gap("1957-03-02", "1985-11-20")).isTrue();
        assertThat(gap("1957-03-02", "1987-03-02")).isFalse(); // one digit: a typo
        assertThat(gap("2002-10-21", "2092-10-24")).isFalse(); // impossible year: an error
        assertThat(gap("1957-03-02", "1962-03-02")).isFalse(); // five years: siblings at most
        assertThat(gap("1957", "1990")).isTrue();
    }
}
