package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatchModelTrainingTest {

    @Test
    void emRecoversTheMixtureItWasGivenWithoutLabels() {
        // two fields, two levels (agree / disagree); 20% matches agreeing 90% of the time, others 5%
        Random rnd = new Random(1);
        EmEstimator em = new EmEstimator(3, 2);
        for (int i = 0; i < 50_000; i++) {
            boolean match = rnd.nextDouble() < 0.2;
            int[] p = new int[3];
            for (int f = 0; f < 3; f++) {
                double agree = match ? 0.9 : 0.05;
                p[f] = rnd.nextDouble() < agree ? 0 : 1;
            }
            em.add(p);
        }
        double[][] m0 = {{0.7, 0.3}, {0.7, 0.3}, {0.7, 0.3}};
        double[][] u0 = {{0.2, 0.8}, {0.2, 0.8}, {0.2, 0.8}};
        EmEstimator.Result r = em.estimate(new double[] {0.5, 0.5}, new double[][][] {m0, u0}, 1, 1000, 1e-9);
        assertThat(r.classWeights()[0]).isCloseTo(0.2, within(0.01));
        assertThat(r.theta()[0][0][0]).isCloseTo(0.9, within(0.02));
        assertThat(r.theta()[1][0][0]).isCloseTo(0.05, within(0.01));
        assertThat(em.distinctPatterns()).isEqualTo(8);
    }

    @Test
    void trainerFitsAPopulationAndDecidesStrictnessFromAnchors() {
        List<Features> records = BatchMatching.features(population(1500, 7));
        MatchModel model = ModelTrainer.train(records, MatchModel.defaults());
        assertThat(model.weight(Field.BIRTH_DATE, Level.EXACT)).isGreaterThan(5);
        assertThat(model.weight(Field.GIVEN_NAME, Level.DISAGREE)).isNegative();
        assertThat(model.weight(Field.IDENTIFIER, Level.EXACT)).isGreaterThan(model.weight(Field.SEX, Level.EXACT));
        assertThat(model.lambda()).isBetween(1e-5, 1e-2);
        // in this population one person's records never disagree on SSN or show a generation gap
        assertThat(model.strictConflicts()).contains(Conflict.IDENTIFIER_MISMATCH, Conflict.GENERATION_GAP);
        assertThat(model.training()).contains("EM sessions");
        int n = model.trainingRecords();
        assertThat(n).isEqualTo(records.size());
        assertThat(model.forPopulation(10 * n).lambda()).isCloseTo(model.lambda() / 10, within(1e-12));

        // a trained model survives its plain-values form (configuration, storage) unchanged
        MatchModel copy = MatchModel.of(model.parameters());
        Comparison c = RecordComparator.compare(records.get(0), records.get(1));
        assertThat(copy.score(c)).isCloseTo(model.score(c), within(1e-9));
        assertThat(copy.strictConflicts()).isEqualTo(model.strictConflicts());
        assertThat(copy.trainingRecords()).isEqualTo(n);

        List<BatchMatching.Pair> pairs = BatchMatching.deduplicationPairs(records, 300);
        int[] id = BatchMatching.identities(records, pairs, model);
        long correct = 0;
        long wrong = 0;
        for (BatchMatching.Pair p : pairs) {
            boolean same = entity(records.get(p.left())).equals(entity(records.get(p.right())));
            boolean linked = id[p.left()] == id[p.right()];
            if (linked && same) {
                correct++;
            } else if (linked) {
                wrong++;
            }
        }
        assertThat(wrong).isZero();
        assertThat(correct).isGreaterThan(1000);
    }

    private static String entity(Features f) {
        return f.record().id().substring(0, f.record().id().indexOf('/'));
    }

    /** People with 1–3 records each: a nickname, a typo, a transposed date, a missing SSN here and there. */
    static List<PersonRecord> population(int people, long seed) {
        Random rnd = new Random(seed);
        String[] given = {"william", "robert", "mary", "patricia", "james", "linda", "michael", "susan", "david"};
        String[] nick = {"bill", "bob", "molly", "patty", "jim", "lindy", "mike", "sue", "dave"};
        String[] family = {"smith", "okafor", "nguyen", "garcia", "kowalski", "miller", "tanaka", "brown", "lopez"};
        List<PersonRecord> out = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            int g = rnd.nextInt(given.length);
            String fam = family[rnd.nextInt(family.length)] + (rnd.nextInt(40) == 0 ? "" : "" + (char) ('a' + p % 26));
            int year = 1930 + rnd.nextInt(80);
            int month = 1 + rnd.nextInt(12);
            int day = 1 + rnd.nextInt(28);
            String ssn = String.format("%09d", 100_000_000 + p * 7919);
            String street = (1 + rnd.nextInt(900)) + " " + (char) ('a' + rnd.nextInt(26)) + "elm street";
            int n = 1 + rnd.nextInt(3);
            for (int k = 0; k < n; k++) {
                PersonRecord.Builder b = PersonRecord.builder(p + "/" + k)
                        .given(rnd.nextInt(5) == 0 ? nick[g] : given[g])
                        .family(fam)
                        .address(List.of(street), "springfield", String.valueOf(62700 + rnd.nextInt(5)), "il");
                int m = month;
                int d = day;
                if (rnd.nextInt(20) == 0 && day <= 12) {
                    m = day;
                    d = month;
                }
                b.birthDate(new PartialDate(year, m, d));
                if (rnd.nextBoolean()) {
                    b.ssn(ssn);
                }
                out.add(b.build());
            }
        }
        return out;
    }
}
