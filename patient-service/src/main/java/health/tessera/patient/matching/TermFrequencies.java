package health.tessera.patient.matching;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How common each first given name and each family name is in a population: agreeing on "Mary Smith" is weaker
 * evidence than agreeing on "Zelda Kowalczyk". For an exact agreement on value v, the model uses the frequency of v
 * (the probability that another record drawn at random has it) as u, instead of the field's average u (the term
 * frequency adjustment of Winkler, as in Splink). A value never seen counts as seen once. Immutable.
 */
public final class TermFrequencies {

    public static final TermFrequencies NONE = new TermFrequencies(Map.of(), 0, Map.of(), 0);

    private final Map<String, Integer> given;
    private final int givenTotal;
    private final Map<String, Integer> family;
    private final int familyTotal;

    private TermFrequencies(Map<String, Integer> given, int givenTotal, Map<String, Integer> family, int familyTotal) {
        this.given = given;
        this.givenTotal = givenTotal;
        this.family = family;
        this.familyTotal = familyTotal;
    }

    /** Counts first given names and family names (joined) of the records. */
    public static TermFrequencies of(List<Features> records) {
        Map<String, Integer> g = new HashMap<>();
        Map<String, Integer> f = new HashMap<>();
        int gt = 0;
        int ft = 0;
        for (Features x : records) {
            if (x.given.length > 0 && x.given[0].length() > 1) {
                g.merge(x.given[0], 1, Integer::sum);
                gt++;
            }
            if (!x.familyJoined.isEmpty()) {
                f.merge(x.familyJoined, 1, Integer::sum);
                ft++;
            }
        }
        return new TermFrequencies(Map.copyOf(g), gt, Map.copyOf(f), ft);
    }

    public boolean isEmpty() {
        return givenTotal == 0 && familyTotal == 0;
    }

    /** The share of records with this first given name, or NaN without counts. */
    public double given(String name) {
        return givenTotal == 0 ? Double.NaN : Math.max(1, given.getOrDefault(name, 0)) / (double) givenTotal;
    }

    /** The share of records with this family name, or NaN without counts. */
    public double family(String name) {
        return familyTotal == 0 ? Double.NaN : Math.max(1, family.getOrDefault(name, 0)) / (double) familyTotal;
    }

    /** The counts, for persisting a model. */
    public Map<String, Integer> givenCounts() {
        return given;
    }

    public Map<String, Integer> familyCounts() {
        return family;
    }

    /** Rebuilds from persisted counts. */
    public static TermFrequencies of(Map<String, Integer> given, Map<String, Integer> family) {
        int gt = given.values().stream().mapToInt(Integer::intValue).sum();
        int ft = family.values().stream().mapToInt(Integer::intValue).sum();
        return new TermFrequencies(Map.copyOf(given), gt, Map.copyOf(family), ft);
    }
}
