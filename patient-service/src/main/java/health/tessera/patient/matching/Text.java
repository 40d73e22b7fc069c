package health.tessera.patient.matching;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Normalisation of demographic text: case, accents, punctuation, street-type and directional abbreviations,
 * phone digits, postcodes, suffixes. Everything the matcher compares goes through here first, so that two
 * spellings that only differ in form ("O'Brien" / "OBRIEN", "123 North Main Street" / "123 N Main St") are
 * equal before any similarity is measured.
 */
public final class Text {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");
    private static final Pattern APOSTROPHES = Pattern.compile("['\u2019`]");

    /** Generational suffixes, normalised: what a name token means. */
    private static final Map<String, String> SUFFIXES = Map.ofEntries(
            Map.entry("jr", "jr"),
            Map.entry("junior", "jr"),
            Map.entry("sr", "sr"),
            Map.entry("senior", "sr"),
            Map.entry("ii", "ii"),
            Map.entry("2nd", "ii"),
            Map.entry("iii", "iii"),
            Map.entry("3rd", "iii"),
            Map.entry("iv", "iv"),
            Map.entry("4th", "iv"),
            Map.entry("v", "v"),
            Map.entry("5th", "v"));

    private static final Set<String> TITLES =
            Set.of("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "fr", "md", "phd");

    /** USPS street suffix abbreviations (and the Australian ones FEBRL uses), secondary units, directionals. */
    private static final Map<String, String> STREET_WORDS = Map.ofEntries(
            Map.entry("street", "st"),
            Map.entry("str", "st"),
            Map.entry("avenue", "ave"),
            Map.entry("av", "ave"),
            Map.entry("avn", "ave"),
            Map.entry("road", "rd"),
            Map.entry("drive", "dr"),
            Map.entry("drv", "dr"),
            Map.entry("lane", "ln"),
            Map.entry("court", "ct"),
            Map.entry("crt", "ct"),
            Map.entry("place", "pl"),
            Map.entry("boulevard", "blvd"),
            Map.entry("circle", "cir"),
            Map.entry("circuit", "cct"),
            Map.entry("crescent", "cres"),
            Map.entry("cresent", "cres"),
            Map.entry("terrace", "ter"),
            Map.entry("tce", "ter"),
            Map.entry("parkway", "pkwy"),
            Map.entry("highway", "hwy"),
            Map.entry("square", "sq"),
            Map.entry("trail", "trl"),
            Map.entry("close", "cl"),
            Map.entry("grove", "grv"),
            Map.entry("heights", "hts"),
            Map.entry("point", "pt"),
            Map.entry("expressway", "expy"),
            Map.entry("freeway", "fwy"),
            Map.entry("turnpike", "tpke"),
            Map.entry("parade", "pde"),
            Map.entry("esplanade", "esp"),
            Map.entry("mount", "mt"),
            Map.entry("saint", "st"),
            Map.entry("center", "ctr"),
            Map.entry("centre", "ctr"),
            Map.entry("plaza", "plz"),
            Map.entry("ridge", "rdg"),
            Map.entry("village", "vlg"),
            Map.entry("vlge", "vlg"),
            Map.entry("apartment", "apt"),
            Map.entry("suite", "ste"),
            Map.entry("unit", "unit"),
            Map.entry("building", "bldg"),
            Map.entry("floor", "fl"),
            Map.entry("north", "n"),
            Map.entry("south", "s"),
            Map.entry("east", "e"),
            Map.entry("west", "w"),
            Map.entry("northeast", "ne"),
            Map.entry("northwest", "nw"),
            Map.entry("southeast", "se"),
            Map.entry("southwest", "sw"));

    private static final Map<String, String> US_STATES = Map.ofEntries(
            Map.entry("alabama", "al"),
            Map.entry("alaska", "ak"),
            Map.entry("arizona", "az"),
            Map.entry("arkansas", "ar"),
            Map.entry("california", "ca"),
            Map.entry("colorado", "co"),
            Map.entry("connecticut", "ct"),
            Map.entry("delaware", "de"),
            Map.entry("district of columbia", "dc"),
            Map.entry("florida", "fl"),
            Map.entry("georgia", "ga"),
            Map.entry("hawaii", "hi"),
            Map.entry("idaho", "id"),
            Map.entry("illinois", "il"),
            Map.entry("indiana", "in"),
            Map.entry("iowa", "ia"),
            Map.entry("kansas", "ks"),
            Map.entry("kentucky", "ky"),
            Map.entry("louisiana", "la"),
            Map.entry("maine", "me"),
            Map.entry("maryland", "md"),
            Map.entry("massachusetts", "ma"),
            Map.entry("michigan", "mi"),
            Map.entry("minnesota", "mn"),
            Map.entry("mississippi", "ms"),
            Map.entry("missouri", "mo"),
            Map.entry("montana", "mt"),
            Map.entry("nebraska", "ne"),
            Map.entry("nevada", "nv"),
            Map.entry("new hampshire", "nh"),
            Map.entry("new jersey", "nj"),
            Map.entry("new mexico", "nm"),
            Map.entry("new york", "ny"),
            Map.entry("north carolina", "nc"),
            Map.entry("north dakota", "nd"),
            Map.entry("ohio", "oh"),
            Map.entry("oklahoma", "ok"),
            Map.entry("oregon", "or"),
            Map.entry("pennsylvania", "pa"),
            Map.entry("rhode island", "ri"),
            Map.entry("south carolina", "sc"),
            Map.entry("south dakota", "sd"),
            Map.entry("tennessee", "tn"),
            Map.entry("texas", "tx"),
            Map.entry("utah", "ut"),
            Map.entry("vermont", "vt"),
            Map.entry("virginia", "va"),
            Map.entry("washington", "wa"),
            Map.entry("west virginia", "wv"),
            Map.entry("wisconsin", "wi"),
            Map.entry("wyoming", "wy"),
            Map.entry("puerto rico", "pr"));

    private Text() {}

    /** Lower case, accents removed, apostrophes dropped, every other non-alphanumeric run one space, trimmed. */
    public static String fold(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        String t = Normalizer.normalize(s, Normalizer.Form.NFD);
        t = MARKS.matcher(t).replaceAll("");
        t = t.toLowerCase(Locale.ROOT);
        t = t.replace("ß", "ss")
                .replace("æ", "ae")
                .replace("ø", "o")
                .replace("ł", "l")
                .replace("đ", "d");
        t = APOSTROPHES.matcher(t).replaceAll("");
        t = NON_ALNUM.matcher(t).replaceAll(" ");
        return t.strip();
    }

    /** The tokens of {@link #fold(String)}. */
    public static List<String> tokens(String s) {
        String f = fold(s);
        if (f.isEmpty()) {
            return List.of();
        }
        return List.of(f.split(" "));
    }

    /**
     * A normalised name: folded, titles dropped, and a trailing generational suffix ("Smith Jr.") removed: it is
     * not part of the name (see {@link #trailingSuffix}).
     */
    public static String name(String s) {
        List<String> out = new ArrayList<>();
        for (String t : tokens(s)) {
            if (!TITLES.contains(t)) {
                out.add(t);
            }
        }
        if (out.size() >= 2 && trailingSuffixToken(out.get(out.size() - 1)) != null) {
            out.remove(out.size() - 1);
        }
        return String.join(" ", out);
    }

    /**
     * The generational suffix carried at the end of a name string ("Smith Jr." -> "jr"), or null. A lone "V" is
     * read as a middle initial, not as "the fifth".
     */
    public static String trailingSuffix(String s) {
        List<String> t = tokens(s);
        if (t.size() < 2) {
            return null;
        }
        return trailingSuffixToken(t.get(t.size() - 1));
    }

    private static String trailingSuffixToken(String token) {
        return "v".equals(token) ? null : SUFFIXES.get(token);
    }

    /** A suffix in canonical form (jr, sr, ii, iii, iv, v) or null when it is none of those. */
    public static String suffix(String s) {
        String f = fold(s).replace(" ", "");
        return f.isEmpty() ? null : SUFFIXES.get(f);
    }

    /** A street line: folded, street types, units and directionals abbreviated the USPS way. */
    public static String street(String s) {
        List<String> out = new ArrayList<>();
        for (String t : tokens(s)) {
            out.add(STREET_WORDS.getOrDefault(t, t));
        }
        return String.join(" ", out);
    }

    /** Digits only; a leading 1 of an 11-digit North American number is dropped. Fewer than 7 digits: null. */
    public static String phone(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder d = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                d.append(c);
            }
        }
        if (d.length() == 11 && d.charAt(0) == '1') {
            d.deleteCharAt(0);
        }
        if (d.length() < 7) {
            return null;
        }
        return d.length() > 10 ? d.substring(d.length() - 10) : d.toString();
    }

    /** Lower case, trimmed; null when it has no {@code @}. */
    public static String email(String s) {
        if (s == null) {
            return null;
        }
        String e = s.strip().toLowerCase(Locale.ROOT);
        int at = e.indexOf('@');
        return at <= 0 || at == e.length() - 1 ? null : e;
    }

    /** Letters and digits only, upper case; a US ZIP+4 keeps its five-digit ZIP. */
    public static String postcode(String s) {
        String f = fold(s).replace(" ", "");
        if (f.length() == 9 && f.chars().allMatch(Character::isDigit)) {
            return f.substring(0, 5);
        }
        return f.toUpperCase(Locale.ROOT);
    }

    /** A state or province: US state names become their two-letter code; otherwise folded. */
    public static String state(String s) {
        String f = fold(s);
        return US_STATES.getOrDefault(f, f);
    }

    /** An identifier value: letters and digits only, upper case (SSN "123-45-6789" -> "123456789"). */
    public static String identifier(String s) {
        return fold(s).replace(" ", "").toUpperCase(Locale.ROOT);
    }

    /** The string without spaces (for comparing "black well" with "blackwell"). */
    public static String joined(String s) {
        return s.indexOf(' ') < 0 ? s : s.replace(" ", "");
    }
}
