package health.tessera.bench.matching;

import health.tessera.patient.matching.Band;
import health.tessera.patient.matching.BatchMatching;
import health.tessera.patient.matching.MatchModel;
import health.tessera.patient.matching.RecordComparator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Error analysis for developers ({@code --diagnose}): the trained model and a sample of the false links and
 * missed pairs with their explanations. Reads the labels, so it is for understanding errors only; nothing here
 * feeds back into thresholds.
 */
public final class Diagnostics {

    private Diagnostics() {}

    public static void print(DataSet data, EngineRun.Output out, int limit) {
        Truth truth = new Truth(data);
        MatchModel model = out.model();
        System.out.println(model.describe());
        List<String> fps = new ArrayList<>();
        List<String> fns = new ArrayList<>();
        Set<Long> candidates = new HashSet<>();
        for (BatchMatching.Pair p : out.pairs()) {
            candidates.add(((long) p.left() << 32) | p.right());
            boolean same = truth.same(p.left(), p.right());
            Band b = model.band(p.comparison());
            if (b == Band.MATCH && !same && fps.size() < limit) {
                fps.add(model.explain(p.comparison()).toText());
            }
            if (b != Band.MATCH && same && fns.size() < limit) {
                fns.add(model.explain(p.comparison()).toText());
            }
        }
        java.util.Map<String, Integer> twinLike = new java.util.TreeMap<>();
        for (BatchMatching.Pair p : out.pairs()) {
            var c = p.comparison();
            if (truth.same(p.left(), p.right())
                    && c.level(health.tessera.patient.matching.Field.IDENTIFIER)
                            == health.tessera.patient.matching.Level.EXACT
                    && c.level(health.tessera.patient.matching.Field.BIRTH_DATE)
                            == health.tessera.patient.matching.Level.EXACT
                    && RecordComparator.compare(c.left(), c.right().withoutIdentifiers())
                            .conflicts()
                            .contains(health.tessera.patient.matching.Conflict.POSSIBLE_TWIN)) {
                twinLike.merge(c.left().given() + " / " + c.right().given(), 1, Integer::sum);
            }
        }
        System.out.println("-- same-SSN true pairs showing the twin pattern: " + twinLike.size());
        twinLike.entrySet().stream().limit(80).forEach(e -> System.out.println("   " + e.getKey()));
        // Each missed pattern beside the pairs of two different people that compare exactly alike: where those are
        // as many, no weight on these fields can link the one without the other.
        java.util.Map<String, Integer> missedPatterns = new java.util.HashMap<>();
        java.util.Map<String, Integer> othersAlike = new java.util.HashMap<>();
        for (BatchMatching.Pair p : out.pairs()) {
            var c = p.comparison();
            Band band = model.band(c);
            if (band == Band.MATCH) {
                continue;
            }
            String pattern = band.name() + ": " + pattern(c);
            if (truth.same(p.left(), p.right())) {
                missedPatterns.merge(pattern, 1, Integer::sum);
            } else {
                othersAlike.merge(pattern, 1, Integer::sum);
            }
        }
        java.util.Map<String, Integer> missedGiven = new java.util.TreeMap<>();
        for (BatchMatching.Pair p : out.pairs()) {
            var c = p.comparison();
            if (truth.same(p.left(), p.right())
                    && model.band(c) != Band.MATCH
                    && c.level(health.tessera.patient.matching.Field.GIVEN_NAME)
                            == health.tessera.patient.matching.Level.DISAGREE) {
                missedGiven.merge(
                        c.left().given() + " / " + c.right().given() + " ("
                                + c.left().sex() + ")",
                        1,
                        Integer::sum);
            }
        }
        System.out.println("-- missed true pairs whose given names disagree: " + missedGiven.size());
        missedGiven.entrySet().stream().limit(150).forEach(e -> System.out.println("   " + e.getKey()));
        System.out.println("-- missed true pairs by pattern (top 25), and pairs of two people that compare alike");
        System.out.println("   missed  alike  pattern");
        missedPatterns.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(25)
                .forEach(e -> System.out.printf(
                        "   %6d %6d  %s%n", e.getValue(), othersAlike.getOrDefault(e.getKey(), 0), e.getKey()));
        System.out.println("-- false links (pairwise)");
        fps.forEach(System.out::print);
        System.out.println("-- missed pairs among candidates (pairwise)");
        fns.forEach(System.out::print);
        // pairs of one entity that blocking never brought together
        System.out.println("-- true pairs lost by blocking (sample)");
        int shown = 0;
        java.util.Map<String, List<Integer>> byEntity = new java.util.HashMap<>();
        for (int i = 0; i < truth.entity.length; i++) {
            byEntity.computeIfAbsent(truth.entity[i], k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> members : byEntity.values()) {
            for (int x = 0; x < members.size() && shown < limit; x++) {
                for (int y = x + 1; y < members.size() && shown < limit; y++) {
                    int a = members.get(x);
                    int b = members.get(y);
                    if (truth.linkage && (a < truth.leftSize) == (b < truth.leftSize)) {
                        continue;
                    }
                    if (!candidates.contains(((long) a << 32) | b)) {
                        System.out.print(model.explain(RecordComparator.compare(
                                        out.features().get(a), out.features().get(b)))
                                .toText());
                        shown++;
                    }
                }
            }
        }
        // cluster errors
        System.out.println("-- clustering: false merges and splits (sample)");
        int[] id = out.identities();
        int fm = 0;
        int sp = 0;
        for (List<Integer> members : byEntity.values()) {
            for (int x = 1; x < members.size() && sp < 200; x++) {
                if (id[members.get(x)] != id[members.get(0)]) {
                    System.out.println("   split: " + describe(out, members, id) + verdicts(out, members, candidates));
                    sp++;
                    break;
                }
            }
        }
        java.util.Map<Integer, List<Integer>> byCluster = new java.util.HashMap<>();
        for (int i = 0; i < id.length; i++) {
            byCluster.computeIfAbsent(id[i], k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> members : byCluster.values()) {
            Set<String> ents = new HashSet<>();
            for (int m : members) {
                ents.add(truth.entity[m]);
            }
            if (ents.size() > 1 && fm < limit) {
                System.out.println("   merge: " + describe(out, members, id));
                fm++;
            }
        }
    }

    private static String describe(EngineRun.Output out, List<Integer> members, int[] id) {
        StringBuilder b = new StringBuilder();
        for (int m : members) {
            var r = out.features().get(m).record();
            b.append(String.format(
                    "%n      [%d] %s: %s %s %s %s | %s | %s",
                    id[m],
                    r.id(),
                    r.given(),
                    r.familyName(),
                    r.suffix() == null ? "" : r.suffix(),
                    r.birthDate(),
                    r.address(),
                    r.identifiers().isEmpty() ? "" : r.identifiers().get(0).value()));
        }
        return b.toString();
    }

    /**
     * Every pair within one person's records: whether blocking compared it, the model's band and score, the field
     * levels and conflicts — why the clusterer kept them apart.
     */
    private static String verdicts(EngineRun.Output out, List<Integer> members, Set<Long> candidates) {
        StringBuilder b = new StringBuilder();
        for (int x = 0; x < members.size(); x++) {
            for (int y = x + 1; y < members.size(); y++) {
                int lo = Math.min(members.get(x), members.get(y));
                int hi = Math.max(members.get(x), members.get(y));
                var c = RecordComparator.compare(
                        out.features().get(lo), out.features().get(hi));
                double score = out.model().score(c);
                b.append(String.format(
                        "%n         %s-%s %s %-9s %6.1f %s",
                        out.features().get(lo).record().id(),
                        out.features().get(hi).record().id(),
                        candidates.contains(((long) lo << 32) | hi) ? "cand" : "----",
                        out.model().band(score, out.model().hasStrictConflict(c)),
                        score,
                        pattern(c)));
            }
        }
        return b.toString();
    }

    /** The level of each field and the conflicts: "GIV=EX FAM=DI ... [POSSIBLE_TWIN]". */
    private static String pattern(health.tessera.patient.matching.Comparison c) {
        StringBuilder k = new StringBuilder();
        for (var f : health.tessera.patient.matching.Field.values()) {
            k.append(f.name(), 0, 3).append('=').append(c.level(f).name(), 0, 2).append(' ');
        }
        return k.append(c.conflicts()).toString();
    }
}
