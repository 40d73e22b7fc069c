package health.tessera.patient.matching;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The blocking keys of a record: two records become a candidate pair when they share at least one key. Several
 * keys, each on different fields, so that an error in one field (a typo, a move, a name change) still leaves the
 * pair another way to meet; each key narrow enough that its blocks stay small.
 *
 * <ol>
 *   <li>{@code F} Double Metaphone of a family name (current, each part of a double name, each previous name) +
 *       birth year;
 *   <li>{@code G} Double Metaphone of the first given name (and of the formal names of its nickname groups) + birth
 *       year (married and misspelt family names);
 *   <li>{@code M} Double Metaphone of the family name + month and day of birth (a typo in the year);
 *   <li>{@code D} first initial + birth year + day and month as an unordered pair (day/month transpositions);
 *   <li>{@code B} the initials of the first given and the family name as an unordered pair + the same date part
 *       (given and family names swapped);
 *   <li>{@code S} house number + the first four letters of the street (names changed or garbled, people at home);
 *   <li>{@code P} postcode + first two letters of the family name;
 *   <li>{@code N} Double Metaphone of the first given name (or its formal names) + of the family name (birth date
 *       missing or wrong);
 *   <li>{@code I} each identifier value; for person identifiers also each half of the value with the birth year
 *       (a typo in the other half);
 *   <li>{@code T} each phone number; {@code E} each e-mail address.
 * </ol>
 */
public final class BlockingKeys {

    private BlockingKeys() {}

    public static List<String> of(PersonRecord r) {
        return of(Features.of(r));
    }

    public static List<String> of(Features x) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        PartialDate dob = x.birthDate;
        int year = dob.year();
        List<String> given = givenCodes(x);
        if (year > 0) {
            for (String c : x.familyVariantCodes) {
                if (!c.isEmpty()) {
                    keys.add("F" + c + "|" + year);
                }
            }
            for (String g : given) {
                keys.add("G" + g + "|" + year);
            }
        }
        if (dob.isComplete() && !x.familyCode().isEmpty()) {
            keys.add("M" + x.familyCode() + "|" + dob.month() + "|" + dob.day());
        }
        if (dob.isComplete()) {
            String dm = "|" + year + "|" + Math.min(dob.month(), dob.day()) + "|" + Math.max(dob.month(), dob.day());
            if (x.given.length > 0) {
                keys.add("D" + x.given[0].charAt(0) + dm);
            }
            if (x.given.length > 0 && !x.familyJoined.isEmpty()) {
                char g = x.given[0].charAt(0);
                char f = x.familyJoined.charAt(0);
                keys.add("B" + (char) Math.min(g, f) + (char) Math.max(g, f) + dm);
            }
        }
        if (x.streetNumber != null && !x.streetName.isEmpty()) {
            String street = Text.joined(x.streetName);
            if (street.length() >= 3) {
                keys.add("S" + x.streetNumber + "|" + street.substring(0, Math.min(4, street.length())));
            }
        }
        if (!x.postcode.isEmpty() && x.familyJoined.length() >= 2) {
            keys.add("P" + x.postcode + "|" + x.familyJoined.substring(0, 2));
        }
        if (!x.familyCode().isEmpty()) {
            for (String g : given) {
                keys.add("N" + g + "|" + x.familyCode());
            }
        }
        for (Identifier i : x.identifiers) {
            String v = i.value();
            keys.add("I" + i.system() + "|" + v);
            if (i.kind() == Identifier.Kind.PERSON && v.length() >= 6 && year > 0) {
                int h = v.length() / 2;
                keys.add("I1" + i.system() + "|" + v.substring(0, h) + "|" + year);
                keys.add("I2" + i.system() + "|" + v.substring(h) + "|" + year);
            }
        }
        for (String p : x.phones) {
            keys.add("T" + p);
        }
        for (String e : x.emails) {
            keys.add("E" + e);
        }
        return new ArrayList<>(keys);
    }

    /**
     * Double Metaphone codes of the first given name and of the formal names of its nickname groups ("mikey" also
     * blocks as "michael"), so that a nickname does not keep a pair apart.
     */
    private static List<String> givenCodes(Features x) {
        if (x.given.length == 0) {
            return List.of();
        }
        LinkedHashSet<String> codes = new LinkedHashSet<>();
        if (!x.givenPrimary[0].isEmpty()) {
            codes.add(x.givenPrimary[0]);
        }
        Nicknames nick = Nicknames.defaults();
        for (int g : x.givenGroups[0]) {
            String c = Features.code(nick.formalName(g), false);
            if (!c.isEmpty()) {
                codes.add(c);
            }
        }
        return new ArrayList<>(codes);
    }
}
