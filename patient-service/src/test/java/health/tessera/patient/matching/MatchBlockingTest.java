package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MatchBlockingTest {

    @Test
    void transposedDatesNicknamesAndSwappedNamesStillMeet() {
        PersonRecord a = PersonRecord.builder("a")
                .given("William")
                .family("Smith")
                .birthDate("1980-05-03")
                .build();
        PersonRecord transposed = PersonRecord.builder("b")
                .given("Bill")
                .family("Smyth")
                .birthDate("1980-03-05")
                .build();
        PersonRecord swapped = PersonRecord.builder("c")
                .given("Smith")
                .family("William")
                .birthDate("1980-05-03")
                .build();
        PersonRecord stranger = PersonRecord.builder("d")
                .given("Grace")
                .family("Okafor")
                .birthDate("1961-04-12")
                .build();
        assertThat(BlockingKeys.of(a)).containsAnyElementsOf(BlockingKeys.of(transposed));
        assertThat(BlockingKeys.of(a)).containsAnyElementsOf(BlockingKeys.of(swapped));
        assertThat(BlockingKeys.of(a)).doesNotContainAnyElementsOf(BlockingKeys.of(stranger));
    }

    @Test
    void indexIsIncrementalAndReturnsCandidates() {
        CandidateIndex index = new CandidateIndex();
        index.add(PersonRecord.builder("a")
                .given("Grace")
                .family("Okafor")
                .birthDate("1961-04-12")
                .build());
        index.add(PersonRecord.builder("b")
                .given("Ann")
                .family("Miller")
                .birthDate("1990-01-01")
                .build());
        PersonRecord query = PersonRecord.builder("q")
                .given("Grace")
                .family("Okafore")
                .birthDate("1961-04-12")
                .build();
        assertThat(index.candidates(query)).extracting(PersonRecord::id).containsExactly("a");
        assertThat(index.remove("a")).isTrue();
        assertThat(index.candidates(query)).isEmpty();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void oversizedBlocksAreSkipped() {
        CandidateIndex index = new CandidateIndex(3);
        for (int i = 0; i < 5; i++) {
            index.add(PersonRecord.builder("r" + i)
                    .given("Person" + (char) ('a' + i))
                    .family("Family" + (char) ('a' + i))
                    .phone("555-000-0000")
                    .build());
        }
        PersonRecord q = PersonRecord.builder("q")
                .given("Zed")
                .family("Quux")
                .phone("555-000-0000")
                .build();
        assertThat(index.candidates(q)).isEmpty();
    }

    @Test
    void batchPairsAreEachPairOnce() {
        List<Features> f = BatchMatching.features(MatchModelTrainingTest.population(200, 3));
        List<BatchMatching.Pair> pairs = BatchMatching.deduplicationPairs(f, 300);
        assertThat(pairs).allMatch(p -> p.left() < p.right());
        assertThat(pairs.stream()
                        .map(p -> p.left() + ":" + p.right())
                        .distinct()
                        .count())
                .isEqualTo(pairs.size());
    }
}
