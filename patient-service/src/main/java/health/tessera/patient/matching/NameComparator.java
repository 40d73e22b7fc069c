package health.tessera.patient.matching;

import java.util.List;

/**
 * Given and family names.
 *
 * <p>Given names (first and middle names of both records):
 *
 * <ul>
 *   <li>{@code EXACT}: the same given names, or the same first given name;
 *   <li>{@code STRONG}: nicknames of each other (bill / william, peggy / margaret), a one-typo spelling (Jaro–Winkler
 *       &ge; {@value #STRONG_JW}, or one edit apart for names of six letters or more), or one record's only given
 *       name is the other's middle name;
 *   <li>{@code WEAK}: first names equal (or nicknames, or a typo apart) but full middle names that differ;
 *       Jaro–Winkler &ge; {@value #WEAK_JW}, the
 *       same primary Double Metaphone code, a misspelt nickname, or an initial that agrees (first names only); a
 *       middle name matching the other's first name, nickname or spelling; an only given name that is the initial
 *       of the other's middle name (someone who goes by their middle name);
 *   <li>{@code DISAGREE}: none of those.
 * </ul>
 *
 * <p>Family names (current, the parts of a hyphenated or double name, previous and maiden names):
 *
 * <ul>
 *   <li>{@code EXACT}: the same current family name (spaces and hyphens ignored);
 *   <li>{@code STRONG}: a one-typo spelling (Jaro–Winkler &ge; {@value #STRONG_JW}, or one edit apart for names of
 *       five letters or more), or any family-name part or previous name agrees (Smith / Smith-Jones, maiden name /
 *       married name);
 *   <li>{@code WEAK}: Jaro–Winkler &ge; {@value #WEAK_JW}, a part within a typo, or the same Double Metaphone code;
 *   <li>{@code DISAGREE}: none of those.
 * </ul>
 *
 * Given and family names recorded the wrong way round are recognised by {@link RecordComparator}.
 */
public final class NameComparator {

    public static final double STRONG_JW = 0.92;
    public static final double WEAK_JW = 0.85;
    /** How alike two first names must be to rule out twins (generous: a typo in a nickname still counts). */
    static final double LOOSE_JW = 0.80;

    private NameComparator() {}

    public static Agreement given(Features a, Features b) {
        if (a.given.length == 0 || b.given.length == 0) {
            return Agreement.MISSING;
        }
        if (a.givenJoined.equals(b.givenJoined)) {
            return Agreement.EXACT;
        }
        if (a.given[0].equals(b.given[0])) {
            if (middleNamesDiffer(a, b)) {
                return Agreement.of(Level.WEAK, "first given names equal, middle names differ");
            }
            return Agreement.of(Level.EXACT, "first given names equal");
        }
        if (middleNamesDiffer(a, b)) {
            // two full, different middle names: one person does not have both, so only the first names count,
            // and one level less ("Bill Robert" / "William James" are more likely two people)
            Agreement first = givenTokens(a, 0, b, 0);
            return switch (first.level()) {
                case STRONG -> Agreement.of(Level.WEAK, first.detail() + ", middle names differ");
                default -> Agreement.of(Level.DISAGREE, "different (middle names differ too)");
            };
        }
        Agreement best = Agreement.DISAGREE;
        for (int i = 0; i < a.given.length; i++) {
            for (int j = 0; j < b.given.length; j++) {
                if (i > 0 && j > 0) {
                    continue; // two middle names agreeing says little (siblings share them)
                }
                Agreement x = givenTokens(a, i, b, j);
                if (x.level().ordinal() < best.level().ordinal()) {
                    best = x;
                    if (best.level() == Level.STRONG && i == 0 && j == 0) {
                        return best;
                    }
                }
            }
        }
        if (best.level().ordinal() > Level.STRONG.ordinal()
                && Similarity.jaroWinkler(a.givenJoined, b.givenJoined) >= STRONG_JW) {
            return Agreement.of(Level.STRONG, "similar spelling (spacing differs)");
        }
        return best;
    }

    /**
     * One typing error apart (a letter changed, added, dropped, or two swapped) and both at least {@code minLength}
     * long: Jaro–Winkler alone undervalues a typo in a short or middle part of a name ("smith" / "smyth" 0.89).
     */
    private static boolean oneTypo(String x, String y, int minLength) {
        return Math.min(x.length(), y.length()) >= minLength && Similarity.edits(x, y) == 1;
    }

    /** Both have a full middle name (not an initial) and they are different names. */
    static boolean middleNamesDiffer(Features a, Features b) {
        if (a.given.length < 2 || b.given.length < 2 || a.given[1].length() < 2 || b.given[1].length() < 2) {
            return false;
        }
        String x = a.given[1];
        String y = b.given[1];
        return !x.equals(y)
                && !Nicknames.shareGroup(a.givenGroups[1], b.givenGroups[1])
                && Similarity.jaroWinkler(x, y) < WEAK_JW;
    }

    private static Agreement givenTokens(Features a, int i, Features b, int j) {
        String x = a.given[i];
        String y = b.given[j];
        boolean firsts = i == 0 && j == 0;
        if (x.length() == 1 || y.length() == 1) {
            if (firsts) {
                return x.charAt(0) == y.charAt(0) ? Agreement.of(Level.WEAK, "initial agrees") : Agreement.DISAGREE;
            }
            // A person who goes by their middle name, registered by its initial alone: "M." / "Angela Miranda". A
            // middle initial against another first name ("Caleb N." / "Nicholas") is what twins look like too.
            boolean initialAlone =
                    i == 0 ? x.length() == 1 && a.given.length == 1 : y.length() == 1 && b.given.length == 1;
            return (i == 0) != (j == 0) && initialAlone && x.charAt(0) == y.charAt(0)
                    ? Agreement.of(Level.WEAK, "initial agrees with the other's middle name")
                    : Agreement.DISAGREE;
        }
        if (x.equals(y)) {
            // "Robert Dale Smith" registered once as "Dale Smith": a first name that is the other's middle name is
            // strong only when it stands alone (a "Dale James Smith" is someone else)
            boolean alone = i == 0 ? a.given.length == 1 : b.given.length == 1;
            return Agreement.of(alone ? Level.STRONG : Level.WEAK, "first name equals the other's middle name");
        }
        if (Nicknames.shareGroup(a.givenGroups[i], b.givenGroups[j])) {
            return Agreement.of(
                    firsts ? Level.STRONG : Level.WEAK,
                    firsts ? "nickname (" + x + " ~ " + y + ")" : "nickname of a middle name");
        }
        double jw = Similarity.jaroWinkler(x, y);
        if (jw >= STRONG_JW || oneTypo(x, y, 6)) {
            return Agreement.of(firsts ? Level.STRONG : Level.WEAK, "similar spelling");
        }
        if (!firsts) {
            return Agreement.DISAGREE;
        }
        if (jw >= WEAK_JW) {
            return Agreement.of(Level.WEAK, "somewhat similar spelling");
        }
        if (!a.givenPrimary[i].isEmpty() && a.givenPrimary[i].equals(b.givenPrimary[j])) {
            return Agreement.of(Level.WEAK, "sounds alike");
        }
        if (nicknameWithTypo(a, i, b, j, STRONG_JW) || nicknameWithTypo(b, j, a, i, STRONG_JW)) {
            return Agreement.of(Level.WEAK, "a nickname, misspelt");
        }
        return Agreement.DISAGREE;
    }

    /**
     * x is within a typo of a name in one of y's nickname groups ("miky" for Michael via "mikey", "jrssica" for
     * Jess via "jessica"): Jaro–Winkler at least {@code threshold}, or one edit apart in a name of six letters or
     * more (the rule for a typo in a first name).
     */
    private static boolean nicknameWithTypo(Features a, int i, Features b, int j, double threshold) {
        int[] groups = b.givenGroups[j];
        if (groups.length == 0 || a.given[i].length() < 3) {
            return false;
        }
        Nicknames nick = Nicknames.defaults();
        for (int g : groups) {
            for (String n : nick.members(g)) {
                if (Similarity.jaroWinkler(a.given[i], n) >= threshold || oneTypo(a.given[i], n, 6)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static Agreement family(Features a, Features b) {
        if (a.familyJoined.isEmpty() || b.familyJoined.isEmpty()) {
            return Agreement.MISSING;
        }
        if (a.familyJoined.equals(b.familyJoined)) {
            return Agreement.EXACT;
        }
        double jw = Similarity.jaroWinkler(a.familyJoined, b.familyJoined);
        if (jw >= STRONG_JW || oneTypo(a.familyJoined, b.familyJoined, 5)) {
            return Agreement.of(Level.STRONG, "similar spelling");
        }
        for (String x : a.familyVariants) {
            for (String y : b.familyVariants) {
                if (x.equals(y)) {
                    return Agreement.of(Level.STRONG, describe(a, b, x));
                }
            }
        }
        if (jw >= WEAK_JW) {
            return Agreement.of(Level.WEAK, "somewhat similar spelling");
        }
        for (int i = 0; i < a.familyVariants.length; i++) {
            for (int j = 0; j < b.familyVariants.length; j++) {
                if ((i > 0 || j > 0) && Similarity.jaroWinkler(a.familyVariants[i], b.familyVariants[j]) >= STRONG_JW) {
                    return Agreement.of(Level.WEAK, "a family-name part or previous name is spelt similarly");
                }
                String ca = a.familyVariantCodes[i];
                if (!ca.isEmpty() && ca.equals(b.familyVariantCodes[j])) {
                    return Agreement.of(Level.WEAK, "sounds alike");
                }
            }
        }
        return Agreement.DISAGREE;
    }

    private static String describe(Features a, Features b, String common) {
        boolean prevA = !a.record.familyName().contains(common) && !a.familyJoined.equals(common);
        boolean prevB = !b.record.familyName().contains(common) && !b.familyJoined.equals(common);
        if (prevA || prevB) {
            return "previous (maiden) family name agrees: " + common;
        }
        return "a part of a double or hyphenated family name agrees: " + common;
    }

    /**
     * The first given names are the same name in some form: equal, an initial of the other, one record's first name
     * the other's middle name, nicknames (even misspelt), within Jaro–Winkler {@value #WEAK_JW}, or the same
     * primary Double Metaphone code. Twins' first names are not.
     */
    static boolean firstNamesRelated(Features a, Features b) {
        if (a.given.length == 0 || b.given.length == 0) {
            return true; // nothing to tell them apart by
        }
        String x = a.given[0];
        String y = b.given[0];
        if (x.equals(y)) {
            return true;
        }
        if (middleNamesDiffer(a, b)) {
            return false;
        }
        if (x.length() == 1 || y.length() == 1) {
            return x.charAt(0) == y.charAt(0);
        }
        if (firstIsOthersMiddle(a, b) || firstIsOthersMiddle(b, a)) {
            return true; // someone registered once under the middle name
        }
        return Nicknames.shareGroup(a.givenGroups[0], b.givenGroups[0])
                || Similarity.jaroWinkler(x, y) >= WEAK_JW
                || (!a.givenPrimary[0].isEmpty() && a.givenPrimary[0].equals(b.givenPrimary[0]))
                || nicknameWithTypo(a, 0, b, 0, LOOSE_JW)
                || nicknameWithTypo(b, 0, a, 0, LOOSE_JW);
    }

    private static boolean firstIsOthersMiddle(Features a, Features b) {
        for (int j = 1; j < b.given.length; j++) {
            if (b.given[j].length() > 1 && Similarity.jaroWinkler(a.given[0], b.given[j]) >= STRONG_JW) {
                return true;
            }
        }
        return false;
    }

    /**
     * Some record of {@code group} carries both first names of a and b as two of its given names ("Robert James"
     * explains "Robert" and "James"; "Mary Gwendolyn" explains "Mary" and "G."), or as one name both are full forms
     * of ("Jessica" explains "Jess" and "Jrssica"). A full form is the same name, a nickname or a one-typo
     * spelling. An initial only counts for a name other than the one the other first name matches: "M." fits a twin
     * Michael as well as his sister Michelle.
     */
    static boolean bothFirstNamesIn(Features a, Features b, List<Features> group) {
        if (a.given.length == 0 || b.given.length == 0) {
            return false;
        }
        boolean initial = a.given[0].length() == 1 || b.given[0].length() == 1;
        for (Features z : group) {
            int formsOfA = formsIn(z, a.given[0], a.givenGroups[0]);
            int formsOfB = formsIn(z, b.given[0], b.givenGroups[0]);
            boolean onlyOneNameForBoth = formsOfA == formsOfB && Integer.bitCount(formsOfA) == 1;
            if (formsOfA != 0 && formsOfB != 0 && !(initial && onlyOneNameForBoth)) {
                return true;
            }
        }
        return false;
    }

    /** a's first name is b's, or a full form of it (nickname, one typo): the same first name for a person. */
    static boolean sameFirstName(Features a, Features b) {
        return a.given.length > 0
                && b.given.length > 0
                && (a.given[0].equals(b.given[0]) || (formsIn(a, b.given[0], b.givenGroups[0]) & 1) != 0);
    }

    /**
     * The given names of z (bit k for z's k-th name) that {@code name} is a form of: the same name, a nickname or a
     * one-typo spelling of it, or, for an initial, its first letter.
     */
    private static int formsIn(Features z, String name, int[] groups) {
        int forms = 0;
        for (int k = 0; k < Math.min(z.given.length, 31); k++) {
            String full = z.given[k];
            if (full.length() < 2) {
                continue; // an initial is no full form of anything
            }
            boolean form = name.length() == 1
                    ? full.charAt(0) == name.charAt(0)
                    : full.equals(name) || Nicknames.shareGroup(z.givenGroups[k], groups) || oneTypo(full, name, 6);
            if (form) {
                forms |= 1 << k;
            }
        }
        return forms;
    }

    /** One record's family name is (within a typo) the other's given name. */
    static boolean familyInGivenField(Features a, Features b) {
        if (a.given.length == 0 || b.given.length == 0 || a.familyJoined.isEmpty() || b.familyJoined.isEmpty()) {
            return false;
        }
        return Similarity.jaroWinkler(a.familyJoined, b.givenJoined) >= STRONG_JW
                || Similarity.jaroWinkler(a.givenJoined, b.familyJoined) >= STRONG_JW;
    }

    /**
     * Given and family names recorded the wrong way round: a's given name is b's family name and vice versa (each
     * at least a one-typo spelling), or one side lacks a family name and its given name is the other's family
     * name.
     */
    static boolean swapped(Features a, Features b) {
        if (a.given.length == 0 || b.given.length == 0) {
            return false;
        }
        if (a.familyJoined.isEmpty() || b.familyJoined.isEmpty()) {
            return false;
        }
        return Similarity.jaroWinkler(a.givenJoined, b.familyJoined) >= STRONG_JW
                && Similarity.jaroWinkler(a.familyJoined, b.givenJoined) >= STRONG_JW;
    }
}
