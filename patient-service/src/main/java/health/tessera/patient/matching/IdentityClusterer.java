package health.tessera.patient.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups records into enterprise identities from pairwise {@link Band#MATCH} decisions, guarding against the
 * errors of a plain transitive closure (where one record that resembles two people joins them).
 *
 * <ol>
 *   <li><b>Strongest links first, groups must agree as wholes.</b> Links are applied in order of score (union–find).
 *       Two groups are joined only if
 *       <ul>
 *         <li>no record of one has a strict conflict with a record of the other (different SSN where that is
 *             strict, Jr/Sr suffixes, birth years a generation apart, the twin pattern);
 *         <li>no pair across them shows the twin pattern (even where the model only weighs it) unless that pair is
 *             itself a match, or the records of the two groups show both first names are one person's: a record
 *             carries both (someone registered once as "Robert James", once as "Robert", once as "James"), or two
 *             records with one SSN go by the two names. The pattern is never overruled by a chain through a record
 *             that merely lacks a first name;
 *         <li>no undated record of one group is made ambiguous by the other's generational suffixes (an undated
 *             "Gabriel Wright" and a "Gabriel Wright Sr.", an undated "John Cooper Jr." and John Cooper's dated
 *             records): a suffix says there are two of that name;
 *         <li>on average the pairs across them are more likely matches than not (mean posterior match probability
 *             &ge; 0.5: the correlation-clustering criterion, joining only when it adds more right pairs than
 *             wrong ones).
 *       </ul>
 *       A record with no first name that matches both twins therefore joins one of them, not both.
 *   <li><b>No ambiguous bridges.</b> A record that links to two groups that may not be joined (a "Robert Smith" at
 *       the family address with no birth date, that matches both Sr's and Jr's records) stays in its group only if
 *       its best link there beats its best link to the other group by at least {@code margin} bits; otherwise it is
 *       set apart as an identity of its own (for review). The default margin is the width of the review band
 *       (upper minus lower threshold): the record must be a clear match to one side. Groups are then rebuilt
 *       without the set-apart records' links, until no record is ambiguous.
 * </ol>
 */
public final class IdentityClusterer {

    /** A pairwise link between records {@code a} and {@code b} (internal numbers) with its score. */
    public record Link(int a, int b, double score) {}

    /**
     * What the model says about any two records: the posterior match probability, whether it has a strict
     * conflict, and whether it shows a hard-negative pattern the model only weighs (the twin pattern: twins and
     * people registered under their middle name look alike, so the model cannot make it strict).
     */
    public record Verdict(double probability, boolean strictConflict, boolean conflict) {}

    /** Compares any two records (numbers a &lt; b). */
    @FunctionalInterface
    public interface Judge {
        Verdict judge(int a, int b);

        /**
         * Whether some record among {@code members} explains a twin pattern between {@code a} and {@code b}: it
         * carries both their first names ("Robert James Smith" explains "Robert Smith" and "James Smith"), or two
         * records with the same SSN go by them.
         */
        default boolean explained(int a, int b, List<Integer> members) {
            return false;
        }

        /**
         * The posterior of x (of group {@code xs}) and y (of group {@code ys}) as evidence for joining the groups:
         * by default {@link #judge}'s. A judge may discount a disagreement that the groups' own records explain.
         */
        default double probabilityWithin(int x, int y, List<Integer> xs, List<Integer> ys) {
            return judge(x, y).probability();
        }

        /**
         * Whether two groups must stay apart though no pair across them conflicts: an undated record of one is
         * ambiguous against the other's generational suffixes ({@link RecordComparator#undatedNamesake}).
         */
        default boolean keptApart(List<Integer> a, List<Integer> b) {
            return false;
        }

        /**
         * Whether record r carries a generational suffix that another record of {@code group} carries too: "Gabriel
         * Wright Sr." among the Sr.'s records is no ambiguous bridge to an undated "Gabriel Wright".
         */
        default boolean sharesSuffix(int r, List<Integer> group) {
            return false;
        }
    }

    private IdentityClusterer() {}

    /**
     * @param n the number of records, numbered 0..n-1
     * @param links the {@link Band#MATCH} links
     * @param judge the model's verdict on any two records (called for pairs across groups about to be joined)
     * @param margin bits by which a record's own group must beat a rival group it also links to
     * @param matchProbability the posterior at which a pair is a match (the model's upper threshold)
     * @return the identity (cluster number, the smallest member number) of every record
     */
    public static int[] cluster(int n, List<Link> links, Judge judge, double margin, double matchProbability) {
        List<Link> sorted = new ArrayList<>(links);
        sorted.sort(Comparator.comparingDouble(Link::score).reversed());
        boolean[] apart = new boolean[n];
        CachedJudge cached = new CachedJudge(judge, matchProbability);
        for (int round = 0; round < 10; round++) {
            Groups g = build(n, sorted, apart, cached);
            boolean changed = false;
            // best link score of every record into every group it links to
            Map<Integer, Map<Integer, Double>> best = new HashMap<>();
            for (Link l : sorted) {
                if (apart[l.a()] || apart[l.b()]) {
                    continue;
                }
                best.computeIfAbsent(l.a(), k -> new HashMap<>()).merge(g.find(l.b()), l.score(), Math::max);
                best.computeIfAbsent(l.b(), k -> new HashMap<>()).merge(g.find(l.a()), l.score(), Math::max);
            }
            for (Map.Entry<Integer, Map<Integer, Double>> e : best.entrySet()) {
                int r = e.getKey();
                int own = g.find(r);
                Map<Integer, Double> scores = e.getValue();
                if (scores.size() < 2 || g.members(own).size() < 2) {
                    continue;
                }
                double ownScore = scores.getOrDefault(own, Double.NEGATIVE_INFINITY);
                for (Map.Entry<Integer, Double> rival : scores.entrySet()) {
                    int other = rival.getKey();
                    if (other == own || rival.getValue() <= ownScore - margin) {
                        continue;
                    }
                    if (!conflictsWith(r, g.members(other), cached)
                            && !(cached.judge.keptApart(List.of(r), g.members(other))
                                    && cached.judge.sharesSuffix(r, g.members(own)))) {
                        apart[r] = true;
                        changed = true;
                        break;
                    }
                }
            }
            if (!changed) {
                return g.labels();
            }
        }
        return build(n, sorted, apart, cached).labels();
    }

    private static Groups build(int n, List<Link> sorted, boolean[] apart, CachedJudge judge) {
        Groups g = new Groups(n);
        for (Link l : sorted) {
            if (apart[l.a()] || apart[l.b()]) {
                continue;
            }
            int ra = g.find(l.a());
            int rb = g.find(l.b());
            if (ra == rb) {
                continue;
            }
            if (mayJoin(g.members(ra), g.members(rb), judge)) {
                g.union(ra, rb);
            }
        }
        return g;
    }

    private static boolean mayJoin(List<Integer> a, List<Integer> b, CachedJudge judge) {
        if (judge.judge.keptApart(a, b)) {
            return false;
        }
        double sum = 0;
        List<Integer> both = null;
        for (int x : a) {
            for (int y : b) {
                Verdict v = judge.judge(x, y);
                if (v.strictConflict()) {
                    return false;
                }
                if (v.conflict() && v.probability() < judge.matchProbability) {
                    if (both == null) {
                        both = new ArrayList<>(a);
                        both.addAll(b);
                    }
                    if (!judge.judge.explained(x, y, both)) {
                        return false;
                    }
                }
                sum += judge.judge.probabilityWithin(x, y, a, b);
            }
        }
        return sum >= 0.5 * a.size() * b.size();
    }

    private static boolean conflictsWith(int r, List<Integer> members, CachedJudge judge) {
        for (int y : members) {
            if (y != r && judge.judge(r, y).strictConflict()) {
                return true;
            }
        }
        return false;
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    private static final class CachedJudge {
        private final Judge judge;
        private final double matchProbability;
        private final Map<Long, Verdict> cache = new HashMap<>();

        CachedJudge(Judge judge, double matchProbability) {
            this.judge = judge;
            this.matchProbability = matchProbability;
        }

        Verdict judge(int a, int b) {
            int lo = Math.min(a, b);
            int hi = Math.max(a, b);
            return cache.computeIfAbsent(key(lo, hi), k -> judge.judge(lo, hi));
        }
    }

    private static final class Groups {
        private final int[] parent;
        private final Map<Integer, List<Integer>> members = new HashMap<>();

        Groups(int n) {
            parent = new int[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
            }
        }

        int find(int x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }

        List<Integer> members(int root) {
            return members.computeIfAbsent(root, r -> new ArrayList<>(List.of(r)));
        }

        void union(int ra, int rb) {
            List<Integer> a = members(ra);
            List<Integer> b = members(rb);
            if (a.size() < b.size()) {
                int t = ra;
                ra = rb;
                rb = t;
                List<Integer> tl = a;
                a = b;
                b = tl;
            }
            parent[rb] = ra;
            a.addAll(b);
            members.remove(rb);
        }

        int[] labels() {
            int[] out = new int[parent.length];
            int[] smallest = new int[parent.length];
            Arrays.fill(smallest, Integer.MAX_VALUE);
            for (int i = 0; i < parent.length; i++) {
                int r = find(i);
                smallest[r] = Math.min(smallest[r], i);
            }
            for (int i = 0; i < parent.length; i++) {
                out[i] = smallest[find(i)];
            }
            return out;
        }
    }
}
