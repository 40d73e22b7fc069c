package health.tessera.patient.matching;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.commons.codec.language.DoubleMetaphone;

/**
 * What the comparators need from a {@link PersonRecord}, computed once per record (phonetic codes, nickname
 * groups, joined spellings, the house number split from the street) so that comparing a pair does no
 * normalisation work. Immutable; make it with {@link #of}.
 */
public final class Features {

    private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();
    private static final String[] NO_STRINGS = new String[0];

    final PersonRecord record;

    final String[] given;
    final String givenJoined;
    final String[] givenPrimary;
    final String[] givenAlternate;
    final int[][] givenGroups;

    final String family;
    final String familyJoined;
    /** Every spelling of every family name: current joined, its parts, previous names joined and their parts. */
    final String[] familyVariants;

    final String[] familyVariantCodes;

    final PartialDate birthDate;
    final String birthDigits;

    final String streetNumber;
    final String streetName;
    /** Each address line without its house number, spaces removed (for "pridhamstreet" / "pridham street"). */
    final String[] lineNames;

    final String postcode;
    final String city;
    final String cityJoined;
    final String state;

    final String[] phones;
    final String[] emails;
    final Identifier[] identifiers;
    final String suffix;

    private Features(PersonRecord r) {
        this.record = r;
        List<String> g = new ArrayList<>();
        for (String n : r.givenNames()) {
            for (String t : n.split(" ")) {
                if (!t.isEmpty()) {
                    g.add(t);
                }
            }
        }
        given = g.toArray(NO_STRINGS);
        givenJoined = String.join("", given);
        givenPrimary = new String[given.length];
        givenAlternate = new String[given.length];
        givenGroups = new int[given.length][];
        Nicknames nick = Nicknames.defaults();
        for (int i = 0; i < given.length; i++) {
            givenPrimary[i] = code(given[i], false);
            givenAlternate[i] = code(given[i], true);
            givenGroups[i] = nick.groupsOf(given[i]);
        }

        family = r.familyName();
        familyJoined = Text.joined(family);
        LinkedHashSet<String> variants = new LinkedHashSet<>();
        addVariants(variants, family);
        for (String p : r.previousFamilyNames()) {
            addVariants(variants, p);
        }
        familyVariants = variants.toArray(NO_STRINGS);
        familyVariantCodes = new String[familyVariants.length];
        for (int i = 0; i < familyVariants.length; i++) {
            familyVariantCodes[i] = code(familyVariants[i], false);
        }

        birthDate = r.birthDate();
        birthDigits = birthDate.isComplete() ? birthDate.digits() : null;

        List<String> lines = r.address().lines();
        String number = null;
        String name = "";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String rest = line;
            int sp = line.indexOf(' ');
            String first = sp < 0 ? line : line.substring(0, sp);
            if (i == 0 && first.chars().anyMatch(Character::isDigit) && Character.isDigit(first.charAt(0))) {
                number = first;
                rest = sp < 0 ? "" : line.substring(sp + 1);
            }
            if (i == 0) {
                name = rest;
            }
            String j = Text.joined(rest);
            if (!j.isEmpty()) {
                names.add(j);
            }
        }
        streetNumber = number;
        streetName = name;
        lineNames = names.toArray(NO_STRINGS);

        postcode = r.address().postcode();
        city = r.address().city();
        cityJoined = Text.joined(city);
        state = r.address().state();

        phones = r.phones().toArray(NO_STRINGS);
        emails = r.emails().toArray(NO_STRINGS);
        identifiers = r.identifiers().toArray(new Identifier[0]);
        suffix = r.suffix();
    }

    public static Features of(PersonRecord r) {
        return new Features(r);
    }

    public PersonRecord record() {
        return record;
    }

    /** The primary Double Metaphone code of the joined family name, or "" (used by blocking). */
    String familyCode() {
        return familyVariantCodes.length == 0 ? "" : familyVariantCodes[0];
    }

    boolean hasAddressLines() {
        return streetNumber != null || lineNames.length > 0;
    }

    private static void addVariants(LinkedHashSet<String> out, String name) {
        if (name.isEmpty()) {
            return;
        }
        out.add(Text.joined(name));
        if (name.indexOf(' ') > 0) {
            for (String t : name.split(" ")) {
                if (t.length() > 1) {
                    out.add(t);
                }
            }
        }
    }

    static String code(String s, boolean alternate) {
        if (s.isEmpty()) {
            return "";
        }
        String c = METAPHONE.doubleMetaphone(s, alternate);
        return c == null ? "" : c;
    }
}
