package health.tessera.bench.matching;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The true identities of a data set's records, numbered as the matchers number them (left, then right). */
public final class Truth {

    final String[] entity;
    final int leftSize;
    final boolean linkage;
    final DataSet data;

    /** How identities (one label per record of {@code data}) compare with the truth. */
    public record Scored(Metrics.Counts clustered, long twinMerges, long juniorSeniorMerges) {}

    public static Scored score(DataSet data, int[] label) {
        Truth truth = new Truth(data);
        long[] hard = truth.hardNegativeMerges(label);
        return new Scored(truth.clusters(label, truth.truePairs()), hard[0], hard[1]);
    }

    Truth(DataSet data) {
        this.data = data;
        this.linkage = data.linkage();
        this.leftSize = data.left().size();
        int n = data.size();
        entity = new String[n];
        for (int i = 0; i < leftSize; i++) {
            entity[i] = data.left().get(i).entity();
        }
        if (linkage) {
            for (int j = 0; j < data.right().size(); j++) {
                entity[leftSize + j] = data.right().get(j).entity();
            }
        }
    }

    boolean same(int a, int b) {
        return entity[a].equals(entity[b]);
    }

    long allPairs() {
        long n = entity.length;
        return linkage ? (long) leftSize * (n - leftSize) : n * (n - 1) / 2;
    }

    /** True pairs: within the list (deduplication) or across the lists (linkage). */
    long truePairs() {
        Map<String, long[]> counts = new HashMap<>();
        for (int i = 0; i < entity.length; i++) {
            long[] c = counts.computeIfAbsent(entity[i], k -> new long[2]);
            c[linkage && i >= leftSize ? 1 : 0]++;
        }
        long t = 0;
        for (long[] c : counts.values()) {
            t += linkage ? c[0] * c[1] : c[0] * (c[0] - 1) / 2;
        }
        return t;
    }

    /** True positives among all pairs that share a cluster label (pairs within a list count in linkage too). */
    Metrics.Counts clusters(int[] label, long truePairs) {
        Map<Integer, Map<String, long[]>> byCluster = new HashMap<>();
        for (int i = 0; i < label.length; i++) {
            byCluster.computeIfAbsent(label[i], k -> new HashMap<>())
                    .computeIfAbsent(entity[i], k -> new long[2])[linkage && i >= leftSize ? 1 : 0]++;
        }
        long predicted = 0;
        long tp = 0;
        for (Map<String, long[]> cl : byCluster.values()) {
            long size = 0;
            for (long[] c : cl.values()) {
                size += c[0] + c[1];
                tp += linkage ? c[0] * c[1] : c[0] * (c[0] - 1) / 2;
            }
            predicted += size * (size - 1) / 2;
        }
        return new Metrics.Counts(tp, predicted - tp, truePairs - tp);
    }

    /** Hard-negative entity pairs that share a cluster: [twins, Jr/Sr]. */
    long[] hardNegativeMerges(int[] label) {
        java.util.Set<String> twins = new java.util.HashSet<>();
        java.util.Set<String> js = new java.util.HashSet<>();
        for (List<Integer> members : membersByCluster(label)) {
            java.util.Set<String> distinct = new java.util.TreeSet<>();
            members.forEach(m -> distinct.add(entity[m]));
            for (String a : distinct) {
                for (String b : distinct) {
                    if (a.compareTo(b) < 0) {
                        String p = DataSet.entityPair(a, b);
                        if (data.twins().contains(p)) {
                            twins.add(p);
                        }
                        if (data.juniorSenior().contains(p)) {
                            js.add(p);
                        }
                    }
                }
            }
        }
        return new long[] {twins.size(), js.size()};
    }

    /** The record numbers of each identity that holds twins or a father and son (for diagnostics). */
    List<List<Integer>> hardNegativeClusters(int[] label) {
        List<List<Integer>> out = new java.util.ArrayList<>();
        for (List<Integer> members : membersByCluster(label)) {
            boolean hard = false;
            for (int x = 0; x < members.size() && !hard; x++) {
                for (int y = x + 1; y < members.size() && !hard; y++) {
                    hard = hardNegativeKind(members.get(x), members.get(y)) > 0;
                }
            }
            if (hard) {
                out.add(members);
            }
        }
        return out;
    }

    /** The record numbers of every cluster of more than one record. */
    private static java.util.Collection<List<Integer>> membersByCluster(int[] label) {
        Map<Integer, List<Integer>> byCluster = new HashMap<>();
        for (int i = 0; i < label.length; i++) {
            byCluster
                    .computeIfAbsent(label[i], k -> new java.util.ArrayList<>())
                    .add(i);
        }
        byCluster.values().removeIf(members -> members.size() < 2);
        return byCluster.values();
    }

    int hardNegativeKind(int a, int b) {
        if (entity[a].equals(entity[b])) {
            return 0;
        }
        String p = DataSet.entityPair(entity[a], entity[b]);
        return data.twins().contains(p) ? 1 : data.juniorSenior().contains(p) ? 2 : 0;
    }
}
