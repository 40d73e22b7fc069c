package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchExplanationTest {

    private final PersonRecord a = PersonRecord.builder("org-a/1")
            .given("William", "J")
            .family("Smith")
            .birthDate("1980-05-03")
            .sex("male")
            .address(List.of("12 Elm Street"), "Springfield", "62701", "IL")
            .phone("217-555-0100")
            .ssn("123-45-6789")
            .build();
    private final PersonRecord b = PersonRecord.builder("org-b/7")
            .given("Bill")
            .family("Smith")
            .birthDate("1980-03-05")
            .sex("M")
            .address(List.of("12 Elm St"), "Springfield", "62701", "IL")
            .build();

    @Test
    void everyFieldIsExplainedWithBothValuesLevelReasonAndWeight() {
        Explanation e = MatchModel.defaults().explain(RecordComparator.compare(a, b));
        assertThat(e.leftId()).isEqualTo("org-a/1");
        assertThat(e.rightId()).isEqualTo("org-b/7");
        assertThat(e.fields()).extracting(Explanation.FieldExplanation::field).containsExactly(Field.values());

        Explanation.FieldExplanation given = e.field(Field.GIVEN_NAME);
        assertThat(given.left()).isEqualTo("william j");
        assertThat(given.right()).isEqualTo("bill");
        assertThat(given.level()).isEqualTo(Level.STRONG);
        assertThat(given.detail()).contains("nickname");
        assertThat(given.weight()).isPositive();

        Explanation.FieldExplanation dob = e.field(Field.BIRTH_DATE);
        assertThat(dob.left()).isEqualTo("1980-05-03");
        assertThat(dob.right()).isEqualTo("1980-03-05");
        assertThat(dob.detail()).contains("transposed");

        Explanation.FieldExplanation ssn = e.field(Field.IDENTIFIER);
        assertThat(ssn.level()).isEqualTo(Level.MISSING);
        assertThat(ssn.weight()).isZero();
        assertThat(ssn.m()).isNull();
        assertThat(ssn.left()).contains("*****6789").doesNotContain("12345");

        assertThat(e.band()).isEqualTo(Band.MATCH);
        assertThat(e.toText()).contains("GIVEN_NAME", "nickname", "MATCH");
    }

    @Test
    void scoreCombinesTheEvidenceAgainstBothNonMatchClasses() {
        MatchModel model = MatchModel.defaults();
        Explanation e = model.explain(RecordComparator.compare(a, b));
        double expected =
                -Math.log(Math.pow(2, -e.evidenceVsUnrelated()) + Math.pow(2, -e.evidenceVsHousehold())) / Math.log(2);
        assertThat(e.score()).isCloseTo(expected, within(0.01));
        assertThat(e.probability()).isCloseTo(1 / (1 + Math.pow(2, -e.score())), within(1e-3));
        double sumU = e.fields().stream()
                .mapToDouble(Explanation.FieldExplanation::weight)
                .sum();
        double prior = Math.log(model.lambda() / (1 - model.lambda() - model.eta())) / Math.log(2);
        assertThat(e.evidenceVsUnrelated()).isCloseTo(prior + sumU, within(0.01));
        assertThat(e.upperThreshold()).isGreaterThan(e.lowerThreshold());
    }

    @Test
    void conflictsAreListedWithTheirStrictness() {
        PersonRecord jr = PersonRecord.builder("jr")
                .given("John")
                .family("Smith")
                .suffix("Jr")
                .build();
        PersonRecord sr = PersonRecord.builder("sr")
                .given("John")
                .family("Smith")
                .suffix("Sr")
                .build();
        Explanation e = MatchModel.defaults().explain(RecordComparator.compare(jr, sr));
        assertThat(e.conflicts())
                .extracting(Explanation.ConflictExplanation::conflict)
                .containsExactly(Conflict.SUFFIX_MISMATCH);
        assertThat(e.hasStrictConflict()).isTrue();
        assertThat(e.band()).isNotEqualTo(Band.MATCH);
    }

    @Test
    void explanationIsPlainDataForJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Explanation e = MatchModel.defaults().explain(RecordComparator.compare(a, b));
        String text = json.writeValueAsString(e);
        assertThat(text).contains("\"field\":\"GIVEN_NAME\"", "\"band\":\"MATCH\"");
        Explanation back = json.readValue(text, Explanation.class);
        assertThat(back).isEqualTo(e);
    }

    @Test
    void weightsCanBeOverridden() {
        MatchModel model = MatchModel.defaults().withWeight(Field.SEX, Level.DISAGREE, -30);
        PersonRecord f =
                PersonRecord.builder("f").given("Bill").family("Smith").sex("F").build();
        Explanation e = model.explain(RecordComparator.compare(b, f));
        assertThat(e.field(Field.SEX).weight()).isEqualTo(-30);
        assertThat(e.band()).isEqualTo(Band.NON_MATCH);
        MatchModel copy = MatchModel.of(model.parameters());
        assertThat(copy.weight(Field.SEX, Level.DISAGREE)).isEqualTo(-30);
        assertThat(copy.weight(Field.GIVEN_NAME, Level.EXACT))
                .isCloseTo(model.weight(Field.GIVEN_NAME, Level.EXACT), within(1e-9));
    }
}
