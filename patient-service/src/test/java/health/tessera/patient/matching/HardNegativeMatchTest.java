package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Twins and Jr/Sr: the hard negatives must not be linked, alone or through a third record. */
class HardNegativeMatchTest {

    private static final MatchModel MODEL = MatchModel.defaults();

    private static PersonRecord.Builder household(String id) {
        return PersonRecord.builder(id)
                .family("Okafor")
                .address(List.of("12 Elm Street"), "Springfield", "62701", "IL")
                .phone("217-555-0100");
    }

    @Test
    void twinsAreNotAMatch() {
        PersonRecord grace =
                household("a").given("Grace").sex("F").birthDate("2001-04-12").build();
        PersonRecord hope =
                household("b").given("Hope").sex("F").birthDate("2001-04-12").build();
        Comparison c = RecordComparator.compare(grace, hope);
        assertThat(c.conflicts()).contains(Conflict.POSSIBLE_TWIN);
        assertThat(MODEL.band(c)).isNotEqualTo(Band.MATCH);
    }

    @Test
    void twinsWithOneSSNEachAreNotTwinsOfTheSamePersonEither() {
        PersonRecord a = household("a")
                .given("Grace")
                .birthDate("2001-04-12")
                .ssn("111-22-3333")
                .build();
        PersonRecord b = household("b")
                .given("Hope")
                .birthDate("2001-04-12")
                .ssn("444-55-6666")
                .build();
        Comparison c = RecordComparator.compare(a, b);
        assertThat(c.conflicts()).contains(Conflict.IDENTIFIER_MISMATCH, Conflict.POSSIBLE_TWIN);
        assertThat(MODEL.band(c)).isEqualTo(Band.NON_MATCH);
    }

    @Test
    void aMisspeltFullNameAgainstItsNicknameIsNoTwinPattern() {
        PersonRecord jess =
                household("a").given("Jess").sex("F").birthDate("1974-06-20").build();
        PersonRecord typo =
                household("b").given("Jrssica").sex("F").birthDate("1974-06-20").build();
        assertThat(RecordComparator.compare(jess, typo).conflicts()).doesNotContain(Conflict.POSSIBLE_TWIN);
    }

    @Test
    void theTwinPatternIsExplainedOnlyByRecordsShowingBothNamesAreOnePersons() {
        Features frederick = Features.of(
                household("f").given("Frederick").birthDate("1986-05-13").build());
        Features kyle =
                Features.of(household("k").given("Kyle").birthDate("1986-05-13").build());
        assertThat(RecordComparator.compare(frederick, kyle).conflicts()).contains(Conflict.POSSIBLE_TWIN);
        Features kyleWithSsn = Features.of(household("k2")
                .given("Kyle")
                .birthDate("1986-05-13")
                .ssn("123-45-6789")
                .build());
        Features freedrickSameSsn = Features.of(household("f2")
                .given("Freedrick")
                .birthDate("1986-05-13")
                .ssn("123456789")
                .build());
        Features freedrickOtherSsn = Features.of(household("f3")
                .given("Freedrick")
                .birthDate("1986-05-13")
                .ssn("987-65-4321")
                .build());
        // one SSN under both first names (one a typo of Frederick): one person who also goes by Kyle
        assertThat(RecordComparator.twinPatternExplained(frederick, kyle, List.of(kyleWithSsn, freedrickSameSsn)))
                .isTrue();
        // twins have an SSN each
        assertThat(RecordComparator.twinPatternExplained(frederick, kyle, List.of(kyleWithSsn, freedrickOtherSsn)))
                .isFalse();

        // a record with both names as first and middle name explains them, an initial included...
        Features mary = Features.of(household("m").given("Mary").build());
        Features g = Features.of(household("g").given("G").build());
        Features maryGwendolyn =
                Features.of(household("mg").given("Mary", "Gwendolyn").build());
        assertThat(RecordComparator.twinPatternExplained(g, mary, List.of(maryGwendolyn)))
                .isTrue();
        // ...but an initial is no proof against the very name it abbreviates: "M." fits Michael and his twin Michelle
        Features michelle = Features.of(household("w").given("Michelle").build());
        Features m = Features.of(household("mb").given("M", "Brian").build());
        Features michaelBrian =
                Features.of(household("mi").given("Michael", "Brian").build());
        assertThat(RecordComparator.twinPatternExplained(m, michelle, List.of(michelle, michaelBrian)))
                .isFalse();
    }

    @Test
    void juniorAndSeniorAreNotAMatch() {
        PersonRecord sr =
                household("sr").given("John", "Paul").birthDate("1958-02-11").build();
        PersonRecord jr =
                household("jr").given("John", "Paul").birthDate("1986-09-30").build();
        Comparison c = RecordComparator.compare(sr, jr);
        assertThat(c.conflicts()).contains(Conflict.GENERATION_GAP);
        assertThat(MODEL.band(c)).isNotEqualTo(Band.MATCH);

        PersonRecord srNoDate = household("sr2").given("John").suffix("Sr").build();
        PersonRecord jrNoDate =
                household("jr2").given("John").family("Okafor Jr.").build();
        Comparison s = RecordComparator.compare(srNoDate, jrNoDate);
        assertThat(s.conflicts()).contains(Conflict.SUFFIX_MISMATCH);
        assertThat(MODEL.band(s)).isNotEqualTo(Band.MATCH);
    }

    @Test
    void aTypoInTheBirthYearIsNoGeneration() {
        PersonRecord a = household("a").given("John").birthDate("1957-03-02").build();
        PersonRecord b = household("b").given("John").birthDate("1987-03-02").build();
        assertThat(RecordComparator.compare(a, b).conflicts()).doesNotContain(Conflict.GENERATION_GAP);
    }

    @Test
    void aRecordWithoutFirstNameDoesNotJoinTwins() {
        List<PersonRecord> records = List.of(
                household("g1").given("Grace").sex("F").birthDate("2001-04-12").build(),
                household("g2").given("Grace").sex("F").birthDate("2001-04-12").build(),
                household("h1").given("Hope").sex("F").birthDate("2001-04-12").build(),
                household("n").sex("F").birthDate("2001-04-12").build());
        int[] id = cluster(records);
        assertThat(id[0]).isEqualTo(id[1]);
        assertThat(id[2]).isNotEqualTo(id[0]);
    }

    @Test
    void aRecordThatMatchesFatherAndSonEquallyIsSetApart() {
        List<PersonRecord> records = List.of(
                household("s1")
                        .given("John", "Paul")
                        .birthDate("1958-02-11")
                        .ssn("111-22-3333")
                        .build(),
                household("s2").given("John", "Paul").birthDate("1958-02-11").build(),
                household("j1").given("John", "Paul").birthDate("1986-09-30").build(),
                household("j2")
                        .given("John", "Paul")
                        .birthDate("1986-09-30")
                        .email("jp@example.org")
                        .build(),
                household("x").given("John", "Paul").build());
        int[] id = cluster(records);
        assertThat(id[0]).isEqualTo(id[1]);
        assertThat(id[2]).isEqualTo(id[3]);
        assertThat(id[0]).isNotEqualTo(id[2]);
        assertThat(id[4]).isNotEqualTo(id[0]).isNotEqualTo(id[2]);
    }

    @Test
    void incrementalRegistrationKeepsTwinsApart() {
        PatientMatcher m = new PatientMatcher(MODEL);
        m.register(
                household("g1").given("Grace").sex("F").birthDate("2001-04-12").build());
        PatientMatcher.Resolution hope = m.register(
                household("h1").given("Hope").sex("F").birthDate("2001-04-12").build());
        assertThat(hope.action()).isNotEqualTo(PatientMatcher.Action.LINK);
        PatientMatcher.Resolution grace2 = m.register(
                household("g2").given("Grace").sex("F").birthDate("2001-04-12").build());
        assertThat(grace2.action()).isEqualTo(PatientMatcher.Action.LINK);
        assertThat(m.identityOf("g2")).isEqualTo(m.identityOf("g1")).isNotEqualTo(m.identityOf("h1"));
    }

    @Test
    void anUndatedRecordIsNotLinkedAcrossADifferentGenerationalSuffix() {
        PatientMatcher m = new PatientMatcher(MODEL);
        PersonRecord sr = household("sr").given("Gabriel").sex("M").suffix("Sr").build();
        PersonRecord x = household("x").given("Gabriel").sex("M").build();
        assertThat(MODEL.band(RecordComparator.compare(sr, x)))
                .as("alone, the pair is a match")
                .isEqualTo(Band.MATCH);
        m.register(sr);
        // the same name at the same address, no date: the son as likely as the father
        PatientMatcher.Resolution undated = m.register(x);
        assertThat(undated.action()).isNotEqualTo(PatientMatcher.Action.LINK);
        assertThat(m.identityOf("x")).isNotEqualTo(m.identityOf("sr"));
        // the same suffix, or the same SSN, says which one it is
        PatientMatcher.Resolution sameSuffix = m.register(
                household("sr2").given("Gabriel").sex("M").suffix("Sr").build());
        assertThat(m.identityOf("sr2")).isEqualTo(m.identityOf("sr"));
        assertThat(sameSuffix.action()).isEqualTo(PatientMatcher.Action.LINK);

        Features dated = Features.of(household("d")
                .given("Gabriel")
                .birthDate("1950-03-01")
                .ssn("123-45-6789")
                .build());
        Features undatedWithSsn =
                Features.of(household("u").given("Gabriel").ssn("123456789").build());
        Features junior = Features.of(household("j")
                .given("Gabriel")
                .suffix("Jr")
                .birthDate("1978-05-02")
                .build());
        assertThat(RecordComparator.undatedNamesake(List.of(undatedWithSsn), List.of(junior)))
                .isTrue();
        Features undatedJunior =
                Features.of(household("uj").given("Gabriel").suffix("Jr").build());
        assertThat(RecordComparator.undatedNamesake(List.of(undatedJunior), List.of(dated)))
                .as("Jr. without a date against the dated records of a Gabriel who may be his father")
                .isTrue();
        assertThat(RecordComparator.undatedNamesake(List.of(undatedJunior), List.of(dated, junior)))
                .as("the other group has the Jr. too")
                .isFalse();
        assertThat(RecordComparator.undatedNamesake(List.of(undatedWithSsn), List.of(dated)))
                .isFalse();
        assertThat(RecordComparator.undatedNamesake(List.of(undatedWithSsn), List.of(dated, junior)))
                .as("one SSN across them settles it")
                .isFalse();
    }

    @Test
    void laterEvidenceUndoesAnEarlyLinkOfFatherAndSon() {
        PatientMatcher m = new PatientMatcher(MODEL);
        // John Paul without a birth date first, then the son with his date: nothing tells them apart yet
        m.register(household("x").given("John", "Paul").build());
        m.register(household("j1").given("John", "Paul").birthDate("1986-09-30").build());
        // the father's dated records arrive: the undated record now fits both equally and is set apart
        m.register(household("s1").given("John", "Paul").birthDate("1958-02-11").build());
        PatientMatcher.Resolution last = m.register(
                household("s2").given("John", "Paul").birthDate("1958-02-11").build());
        assertThat(m.identityOf("s2")).isEqualTo(m.identityOf("s1"));
        assertThat(m.identityOf("s1")).isNotEqualTo(m.identityOf("j1"));
        assertThat(m.identityOf("x")).isNotEqualTo(m.identityOf("s1"));
        assertThat(last.action()).isEqualTo(PatientMatcher.Action.LINK);
    }

    private static int[] cluster(List<PersonRecord> records) {
        List<Features> f = BatchMatching.features(records);
        return BatchMatching.identities(f, BatchMatching.deduplicationPairs(f, 100), MODEL);
    }
}
