package health.tessera.patient.matching;

import org.apache.commons.text.similarity.DamerauLevenshteinDistance;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/** String similarity primitives, from Apache Commons Text; thin wrappers so comparators read plainly. */
final class Similarity {

    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();
    private static final DamerauLevenshteinDistance EDITS_UP_TO_2 = new DamerauLevenshteinDistance(2);

    private Similarity() {}

    /** Jaro–Winkler similarity in [0, 1]; 1 for equal strings. */
    static double jaroWinkler(String a, String b) {
        if (a.equals(b)) {
            return 1.0;
        }
        if (a.isEmpty() || b.isEmpty()) {
            return 0.0;
        }
        return JARO_WINKLER.apply(a, b);
    }

    /**
     * Damerau–Levenshtein distance (insertions, deletions, substitutions, adjacent transpositions) when it is at
     * most 2, else 3.
     */
    static int edits(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        if (Math.abs(a.length() - b.length()) > 2) {
            return 3;
        }
        int d = EDITS_UP_TO_2.apply(a, b);
        return d < 0 ? 3 : d;
    }

    /** Positions that differ between two strings of the same length; -1 when the lengths differ. */
    static int hamming(String a, String b) {
        if (a.length() != b.length()) {
            return -1;
        }
        int d = 0;
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                d++;
            }
        }
        return d;
    }

    /** True when b is a with exactly one pair of adjacent characters swapped. */
    static boolean adjacentTransposition(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int first = -1;
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                first = i;
                break;
            }
        }
        if (first < 0 || first + 1 >= a.length()) {
            return false;
        }
        if (a.charAt(first) != b.charAt(first + 1) || a.charAt(first + 1) != b.charAt(first)) {
            return false;
        }
        return a.regionMatches(first + 2, b, first + 2, a.length() - first - 2);
    }

    /** Double Metaphone codes agree: primary with primary, or either primary with the other's alternate. */
    static boolean soundsAlike(String pa, String aa, String pb, String ab) {
        if (pa.isEmpty() || pb.isEmpty()) {
            return false;
        }
        return pa.equals(pb) || pa.equals(ab) || aa.equals(pb);
    }
}
