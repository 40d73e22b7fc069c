package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the clusterer weighs when it joins two groups of records. */
class RecordsJudgeTest {

    private static final MatchModel MODEL = MatchModel.defaults();

    private static Features anna(String id, String family, String street, String zip) {
        return Features.of(PersonRecord.builder(id)
                .given("Anna")
                .family(family)
                .sex("F")
                .birthDate("1971-05-04")
                .address(List.of(street), "Boise", zip, "ID")
                .build());
    }

    @Test
    void aMaidenNameAndAnOldAddressThatTheOtherGroupHoldsAreNoEvidenceAgainst() {
        Features maidenAtOldAddress = anna("x", "Sharp", "557 River Drive", "83755");
        Features married = anna("y", "Torres", "858 Chestnut Road", "83768");
        Features maidenAtNewAddress = anna("z", "Sharp", "858 Chestnut Road", "83768");
        List<Features> records = List.of(maidenAtOldAddress, married, maidenAtNewAddress);
        RecordsJudge judge =
                new RecordsJudge(records, MODEL, (a, b) -> RecordComparator.compare(records.get(a), records.get(b)));

        double alone = judge.judge(0, 1).probability();
        // y's group alone shows nothing about the name Sharp
        assertThat(judge.probabilityWithin(0, 1, List.of(0), List.of(1))).isEqualTo(alone);
        // with z in it, the group has been Sharp as well as Torres: the family names' disagreement no longer counts
        assertThat(judge.probabilityWithin(0, 1, List.of(0), List.of(1, 2))).isGreaterThan(alone);
        // z in x's group instead: that group has lived at y's address, so the address no longer counts against
        assertThat(judge.probabilityWithin(0, 1, List.of(0, 2), List.of(1))).isGreaterThan(alone);
    }
}
