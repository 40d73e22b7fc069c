package health.tessera.patient.matching;

import java.util.EnumSet;
import java.util.List;

/**
 * Compares two records on every {@link Field} and finds the {@link Conflict}s. Stateless and thread-safe.
 *
 * <p>Given and family names recorded the wrong way round (given in the family field and vice versa) are compared
 * crosswise; both then count as {@code STRONG} ("given and family names swapped"). When only one name is found in
 * the other field (a family name recorded as the given name, the real given name lost), the family name counts as
 * {@code STRONG}. A generation gap is no conflict when a person identifier agrees exactly (a birth date typed
 * wrong); neither is the twin pattern.
 */
public final class RecordComparator {

    private RecordComparator() {}

    public static Comparison compare(PersonRecord a, PersonRecord b) {
        return compare(Features.of(a), Features.of(b));
    }

    public static Comparison compare(Features a, Features b) {
        Agreement[] r = new Agreement[Field.ALL.length];
        Agreement given = NameComparator.given(a, b);
        Agreement family = NameComparator.family(a, b);
        if (given.level().ordinal() > Level.STRONG.ordinal() || family.level().ordinal() > Level.STRONG.ordinal()) {
            if (NameComparator.swapped(a, b)) {
                given = Agreement.of(Level.STRONG, "given and family names swapped");
                family = given;
            } else if (given.level().ordinal() > Level.STRONG.ordinal()
                    && family.level().ordinal() > Level.STRONG.ordinal()
                    && NameComparator.familyInGivenField(a, b)) {
                family = Agreement.of(Level.STRONG, "family name recorded as the other's given name");
            }
        }
        r[Field.GIVEN_NAME.ordinal()] = given;
        r[Field.FAMILY_NAME.ordinal()] = family;
        r[Field.BIRTH_DATE.ordinal()] = BirthDateComparator.compare(a, b);
        r[Field.SEX.ordinal()] = sex(a.record.sex(), b.record.sex());
        r[Field.ADDRESS.ordinal()] = AddressComparator.address(a, b);
        r[Field.PHONE.ordinal()] = ContactComparator.phone(a, b);
        r[Field.EMAIL.ordinal()] = ContactComparator.email(a, b);
        r[Field.IDENTIFIER.ordinal()] = IdentifierComparator.compare(a, b);
        r[Field.SUFFIX.ordinal()] = suffix(a.suffix, b.suffix);
        return new Comparison(a, b, r, conflicts(a, b, r));
    }

    static Agreement sex(Sex a, Sex b) {
        if (a == Sex.UNKNOWN || b == Sex.UNKNOWN) {
            return Agreement.MISSING;
        }
        return a == b ? Agreement.EXACT : Agreement.DISAGREE;
    }

    static Agreement suffix(String a, String b) {
        if (a == null || b == null) {
            return Agreement.MISSING;
        }
        return a.equals(b) ? Agreement.EXACT : Agreement.of(Level.DISAGREE, a + " vs " + b);
    }

    /**
     * Whether the records of {@code group} show that the twin pattern between a and b is one person under two first
     * names: a record carries both names ({@link NameComparator#bothFirstNamesIn}), or two records with the same
     * identifier (SSN, or one record registered twice) go by a's and by b's first name. Twins have two SSNs.
     */
    public static boolean twinPatternExplained(Features a, Features b, List<Features> group) {
        if (NameComparator.bothFirstNamesIn(a, b, group)) {
            return true;
        }
        for (Features x : group) {
            if (!NameComparator.sameFirstName(a, x)) {
                continue;
            }
            for (Features y : group) {
                if (x != y
                        && NameComparator.sameFirstName(b, y)
                        && IdentifierComparator.compare(x, y).level() == Level.EXACT) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether two groups of records hold an undated record that the generational suffixes make ambiguous: it has no
     * birth date, and the other group carries a suffix it does not (the undated "Gabriel Wright" against a
     * "Gabriel Wright Sr.") or lacks its suffix (an undated "John Cooper Jr." against John Cooper's dated records).
     * A suffix says a namesake lives in the family, and without a date nothing tells which of the two the record is.
     * Not so when a person identifier agrees across the groups.
     */
    public static boolean undatedNamesake(List<Features> a, List<Features> b) {
        if (!ambiguousUndated(a, b) && !ambiguousUndated(b, a)) {
            return false;
        }
        for (Features x : a) {
            for (Features y : b) {
                if (IdentifierComparator.compare(x, y).level() == Level.EXACT) {
                    return false;
                }
            }
        }
        return true;
    }

    /** r has a generational suffix that another record of {@code group} has too. */
    public static boolean sharesSuffix(Features r, List<Features> group) {
        return r.suffix != null && group.stream().anyMatch(f -> f != r && r.suffix.equals(f.suffix));
    }

    private static boolean ambiguousUndated(List<Features> group, List<Features> other) {
        java.util.Set<String> otherSuffixes = new java.util.HashSet<>();
        for (Features f : other) {
            if (f.suffix != null) {
                otherSuffixes.add(f.suffix);
            }
        }
        for (Features u : group) {
            if (!u.birthDate.isKnown()
                    && (u.suffix == null ? !otherSuffixes.isEmpty() : !otherSuffixes.contains(u.suffix))) {
                return true;
            }
        }
        return false;
    }

    /** Same family name (exact or within a typo, or a shared part) and the same complete birth date. */
    static boolean twinSetting(Comparison c) {
        Level family = c.level(Field.FAMILY_NAME);
        return (family == Level.EXACT || family == Level.STRONG) && c.level(Field.BIRTH_DATE) == Level.EXACT;
    }

    /** First given names that are not the same name in any form, or only weakly alike while the sexes differ. */
    static boolean twinNames(Comparison c) {
        return twinNames(c.leftFeatures(), c.rightFeatures(), c.level(Field.GIVEN_NAME), c.level(Field.SEX));
    }

    private static boolean twinNames(Features a, Features b, Level given, Level sex) {
        if (given == Level.MISSING) {
            return false;
        }
        return given == Level.DISAGREE
                || !NameComparator.firstNamesRelated(a, b)
                || (given == Level.WEAK && sex == Level.DISAGREE);
    }

    private static boolean twinSetting(Agreement[] r) {
        Level family = r[Field.FAMILY_NAME.ordinal()].level();
        return (family == Level.EXACT || family == Level.STRONG)
                && r[Field.BIRTH_DATE.ordinal()].level() == Level.EXACT;
    }

    private static EnumSet<Conflict> conflicts(Features a, Features b, Agreement[] r) {
        EnumSet<Conflict> c = EnumSet.noneOf(Conflict.class);
        if (r[Field.SUFFIX.ordinal()].level() == Level.DISAGREE) {
            c.add(Conflict.SUFFIX_MISMATCH);
        }
        Level id = r[Field.IDENTIFIER.ordinal()].level();
        if (id != Level.EXACT && BirthDateComparator.generationGap(a.birthDate, b.birthDate)) {
            c.add(Conflict.GENERATION_GAP);
        }
        if (id == Level.DISAGREE) {
            c.add(Conflict.IDENTIFIER_MISMATCH);
        }
        if (id != Level.EXACT
                && id != Level.STRONG
                && twinSetting(r)
                && twinNames(a, b, r[Field.GIVEN_NAME.ordinal()].level(), r[Field.SEX.ordinal()].level())) {
            c.add(Conflict.POSSIBLE_TWIN);
        }
        return c;
    }
}
