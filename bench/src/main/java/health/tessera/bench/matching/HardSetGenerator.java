package health.tessera.bench.matching;

import health.tessera.patient.matching.Identifier;
import health.tessera.patient.matching.PersonRecord;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A generated US population that is harder than FEBRL, with a fixed seed. People live in households (singles,
 * couples, families); each person has one to five source records from ten organisations (each with its own MRN),
 * registered at different times and with different care.
 *
 * <ul>
 *   <li>Names: Zipf-weighted common US given names and surnames (many unrelated "James Smith"s); nicknames (Bill
 *       for William, Peggy for Margaret, some not in any table: Russ, Wes, Britt...), middle names used as first
 *       names, initials, typos; married women registered under their maiden, married or hyphenated name (in any of
 *       its spellings), sometimes with the maiden name as a previous name.
 *   <li>Birth dates: day and month swapped, a typo in the year's last digits, the year off by one, a typo in the
 *       day or month, missing.
 *   <li>Moves: a quarter of households moved; older records carry the old address and the old home phone, and
 *       half of the movers changed their mobile number too.
 *   <li>Missing values: SSN on fewer than half of the records, phones, e-mail, address, sex.
 *   <li>Hard negatives: twins (same family name, birth date, address, home phone; different given names, either
 *       sex) and fathers and sons with the same given and middle name at the same address, born 20–35 years
 *       apart, the suffix (Jr/Sr) written on only some records. Also spouses and siblings at one address.
 * </ul>
 */
public final class HardSetGenerator {

    /** Short forms people register under (the generator's own list, deliberately not the matcher's table). */
    private static final Map<String, List<String>> NICK = new HashMap<>();

    static {
        String table = "william:bill,will,billy;robert:bob,rob,bobby;richard:rick,dick,rich;james:jim,jimmy;"
                + "john:jack,johnny;charles:chuck,charlie;edward:ed,ted,eddie;joseph:joe,joey;michael:mike,mikey;"
                + "thomas:tom,tommy;christopher:chris;daniel:dan,danny;matthew:matt;anthony:tony;donald:don;"
                + "steven:steve;stephen:steve;andrew:andy,drew;joshua:josh;kenneth:ken,kenny;timothy:tim;"
                + "ronald:ron,ronnie;jeffrey:jeff;nicholas:nick;jonathan:jon;lawrence:larry;benjamin:ben;"
                + "samuel:sam;gregory:greg;alexander:alex;patrick:pat;raymond:ray;zachary:zach;peter:pete;"
                + "walter:walt;gerald:jerry;harold:harry;arthur:art;albert:al;eugene:gene;russell:russ;"
                + "philip:phil;phillip:phil;victor:vic;leonard:len,leo;howard:howie;frederick:fred;theodore:ted;"
                + "mitchell:mitch;wesley:wes;elijah:eli;nathan:nate;spencer:spence;francis:frank;"
                + "jennifer:jen,jenny;barbara:barb;susan:sue,susie;jessica:jess;sarah:sally;deborah:deb,debbie;"
                + "rebecca:becky;cynthia:cindy;kathleen:kathy;pamela:pam;samantha:sam;christine:chris,tina;"
                + "victoria:vicky,tori;abigail:abby;theresa:terri;judith:judy;dorothy:dot,dottie;virginia:ginny;"
                + "frances:fran;kimberly:kim;stephanie:steph;amanda:mandy;melissa:missy;valerie:val;"
                + "gabrielle:gabby;josephine:josie;eleanor:ellie;caroline:carrie;penelope:penny;alexis:lexi;"
                + "isabella:bella,izzy;danielle:dani;allison:allie;margaret:peggy,maggie,meg;elizabeth:liz,beth,betsy;"
                + "katherine:kate,katie,kathy;patricia:patty,trish;catherine:cathy,kate;brittany:britt;"
                + "tiffany:tiff;madison:maddie;priscilla:cilla;matilda:tilly;harriet:hattie;gwendolyn:gwen;"
                + "rosemary:rosie;winifred:winnie;lillian:lily;florence:flo;veronica:ronnie;natalie:nat";
        for (String e : table.split(";")) {
            String[] kv = e.split(":");
            NICK.put(kv[0], List.of(kv[1].split(",")));
        }
    }

    private static final int ORGS = 10;

    private final Random rnd;
    private final double[] maleCdf;
    private final double[] femaleCdf;
    private final double[] surnameCdf;
    private final List<Person> people = new ArrayList<>();
    private final Set<String> twins = new HashSet<>();
    private final Set<String> juniorSenior = new HashSet<>();
    private final Set<String> ssns = new HashSet<>();
    private final Set<String> emails = new HashSet<>();
    private final int[] mrnNext = new int[ORGS];

    private HardSetGenerator(long seed) {
        rnd = new Random(seed);
        maleCdf = zipf(UsNames.MALE.size(), 3, 0.9);
        femaleCdf = zipf(UsNames.FEMALE.size(), 3, 0.9);
        surnameCdf = zipf(UsNames.SURNAMES.size(), 10, 1.0);
        for (int i = 0; i < ORGS; i++) {
            mrnNext[i] = 100000 + rnd.nextInt(800000);
        }
    }

    /** About {@code persons} people (households are completed) and their records, shuffled. */
    public static DataSet generate(int persons, long seed) {
        HardSetGenerator g = new HardSetGenerator(seed);
        while (g.people.size() < persons) {
            g.household();
        }
        List<LabeledRecord> records = new ArrayList<>();
        for (Person p : g.people) {
            int n = 1 + g.extraRecords();
            for (int k = 0; k < n; k++) {
                records.add(new LabeledRecord(g.record(p, "r" + records.size()), p.entity));
            }
        }
        Collections.shuffle(records, g.rnd);
        return new DataSet(
                "generated-us (" + g.people.size() + " people)",
                records,
                null,
                Set.copyOf(g.twins),
                Set.copyOf(g.juniorSenior));
    }

    // ---- the population

    private static final class Residence {
        String number;
        String street;
        String type;
        String unit;
        UsNames.City city;
        String zip;
        String homePhone;
    }

    private static final class Person {
        String entity;
        boolean male;
        String given;
        String middle;
        String family;
        String maiden;
        String husband;
        boolean hyphenated;
        LocalDate dob;
        String ssn;
        String cell;
        String oldCell;
        String email;
        String suffix;
        Residence current;
        Residence old;
    }

    private void household() {
        String family = surname();
        Residence home = residence(null);
        Residence old = rnd.nextDouble() < 0.25 ? residence(home.city) : null;
        double t = rnd.nextDouble();
        if (t < 0.35) {
            adult(rnd.nextBoolean(), family, null, year(1935, 2003), home, old);
        } else if (t < 0.60) {
            Person h = adult(true, family, null, year(1940, 2000), home, old);
            Person w = wife(family, h.dob.getYear(), home, old);
            if (rnd.nextDouble() < 0.45) {
                children(family, Math.max(h.dob.getYear(), w.dob.getYear()), 1 + rnd.nextInt(3), home, old);
            }
        } else if (t < 0.955) {
            int parentYear = year(1950, 1995);
            Person a = adult(rnd.nextDouble() < 0.3, family, null, parentYear, home, old);
            if (rnd.nextDouble() < 0.5) {
                wife(family, a.dob.getYear(), home, old);
            }
            children(family, parentYear, 1 + rnd.nextInt(4), home, old);
        } else {
            // father and son of the same name at the same address
            int fatherYear = year(1938, 1975);
            Person sr = adult(true, family, null, fatherYear, home, old);
            sr.suffix = "sr";
            wife(family, fatherYear, home, old);
            Person jr = newPerson(true, family, date(fatherYear + 20 + rnd.nextInt(16)));
            jr.given = sr.given;
            jr.middle = sr.middle;
            jr.suffix = "jr";
            jr.current = home;
            jr.old = old;
            contact(jr);
            juniorSenior.add(DataSet.entityPair(sr.entity, jr.entity));
        }
    }

    private Person adult(boolean male, String family, String maiden, int birthYear, Residence home, Residence old) {
        Person p = newPerson(male, family, date(birthYear));
        p.maiden = maiden;
        p.current = home;
        p.old = old;
        contact(p);
        return p;
    }

    private Person wife(String husbandFamily, int husbandYear, Residence home, Residence old) {
        String maiden = surname();
        while (maiden.equals(husbandFamily)) {
            maiden = surname();
        }
        int y = Math.max(1935, Math.min(2003, husbandYear - 4 + rnd.nextInt(9)));
        Person w = newPerson(false, maiden, date(y));
        double c = rnd.nextDouble();
        if (c < 0.75) {
            w.family = husbandFamily;
            w.maiden = maiden;
        } else if (c < 0.87) {
            w.family = maiden + "-" + husbandFamily;
            w.maiden = maiden;
            w.husband = husbandFamily;
            w.hyphenated = true;
        }
        w.current = home;
        w.old = old;
        contact(w);
        return w;
    }

    private void children(String family, int parentYear, int n, Residence home, Residence old) {
        List<Person> kids = new ArrayList<>();
        int y = Math.min(2023, parentYear + 20 + rnd.nextInt(12));
        for (int i = 0; i < n && y <= 2024; i++) {
            Person k = newPerson(rnd.nextBoolean(), family, date(y));
            while (takenIn(kids, k) || (k.middle != null && related(k.middle, k.given))) {
                k.given = givenName(k.male);
                k.middle = k.middle == null ? null : givenName(k.male);
            }
            k.current = home;
            k.old = old;
            contact(k);
            kids.add(k);
            if (rnd.nextDouble() < 0.07) {
                Person twin = newPerson(rnd.nextBoolean(), family, k.dob);
                while (takenIn(kids, twin) || (twin.middle != null && related(twin.middle, twin.given))) {
                    twin.given = givenName(twin.male);
                    twin.middle = twin.middle == null ? null : givenName(twin.male);
                }
                twin.current = home;
                twin.old = old;
                contact(twin);
                kids.add(twin);
                twins.add(DataSet.entityPair(k.entity, twin.entity));
            }
            y += 1 + rnd.nextInt(4);
        }
    }

    /**
     * Parents do not give two of their children the same (or nickname-related) first name, nor one child's first
     * name as another's middle name.
     */
    private boolean takenIn(List<Person> siblings, Person child) {
        for (Person s : siblings) {
            if (related(s.given, child.given)
                    || (s.middle != null && related(s.middle, child.given))
                    || (child.middle != null && related(s.given, child.middle))) {
                return true;
            }
        }
        return false;
    }

    /** The same name, a nickname of it, or nearly the same spelling (parents do not call twins Sara and Sarah). */
    private boolean related(String a, String b) {
        if (a.equals(b) || a.startsWith(b) || b.startsWith(a) || oneEditApart(a, b)) {
            return true;
        }
        return NICK.getOrDefault(a, List.of()).contains(b)
                || NICK.getOrDefault(b, List.of()).contains(a);
    }

    private static boolean oneEditApart(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 1) {
            return false;
        }
        int i = 0;
        while (i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return a.substring(i + (a.length() >= b.length() ? 1 : 0))
                .equals(b.substring(i + (b.length() >= a.length() ? 1 : 0)));
    }

    private Person newPerson(boolean male, String family, LocalDate dob) {
        Person p = new Person();
        p.entity = "p" + people.size();
        p.male = male;
        p.given = givenName(male);
        if (rnd.nextDouble() < 0.75) {
            String m = givenName(male);
            while (m.equals(p.given)) {
                m = givenName(male);
            }
            p.middle = m;
        }
        p.family = family;
        p.dob = dob;
        String ssn;
        do {
            int area = 1 + rnd.nextInt(899);
            if (area == 666) {
                area = 667;
            }
            ssn = String.format("%03d%02d%04d", area, 1 + rnd.nextInt(99), 1 + rnd.nextInt(9999));
        } while (!ssns.add(ssn));
        p.ssn = ssn;
        people.add(p);
        return p;
    }

    private void contact(Person p) {
        int age = 2025 - p.dob.getYear();
        if (age >= 14 && rnd.nextDouble() < 0.85) {
            p.cell = phone(p.current.city);
            if (p.old != null && rnd.nextDouble() < 0.5) {
                p.oldCell = phone(p.old.city);
            }
        }
        if (age >= 16 && rnd.nextDouble() < 0.75) {
            String last = (p.hyphenated ? p.husband : p.family).replace("-", "");
            String local = switch (rnd.nextInt(5)) {
                case 0 -> p.given + "." + last;
                case 1 -> p.given + last + (10 + rnd.nextInt(90));
                case 2 -> p.given.charAt(0) + last;
                case 3 -> last + "." + p.given;
                default -> p.given + "_" + last + rnd.nextInt(10);
            };
            String domain = pick(UsNames.EMAIL_DOMAINS);
            String email = local + "@" + domain;
            for (int n = 2; !emails.add(email); n++) {
                email = local + n + "@" + domain; // a mailbox belongs to one person
            }
            p.email = email;
        }
    }

    private Residence residence(UsNames.City near) {
        Residence r = new Residence();
        r.number = Integer.toString(rnd.nextDouble() < 0.7 ? 1 + rnd.nextInt(999) : 1000 + rnd.nextInt(9000));
        r.street = pick(UsNames.STREETS);
        r.type = pick(UsNames.STREET_TYPES);
        r.unit = rnd.nextDouble() < 0.25 ? (1 + rnd.nextInt(30)) + (rnd.nextBoolean() ? "" : "B") : null;
        r.city = near != null && rnd.nextDouble() < 0.5 ? near : pick(UsNames.CITIES);
        r.zip = r.city.zip3() + String.format("%02d", rnd.nextInt(100));
        r.homePhone = rnd.nextDouble() < 0.6 ? phone(r.city) : null;
        return r;
    }

    private String phone(UsNames.City city) {
        return city.area() + (200 + rnd.nextInt(800)) + String.format("%04d", rnd.nextInt(10000));
    }

    private int extraRecords() {
        double t = rnd.nextDouble();
        return t < 0.35 ? 0 : t < 0.65 ? 1 : t < 0.83 ? 2 : t < 0.93 ? 3 : 4;
    }

    // ---- one source record of a person, with the errors of its registration

    private PersonRecord record(Person p, String id) {
        int org = rnd.nextInt(ORGS);
        boolean atOld = p.old != null && rnd.nextDouble() < 0.4;
        Residence res = atOld ? p.old : p.current;
        PersonRecord.Builder b = PersonRecord.builder(id).source("org-" + org);
        b.identifier("urn:tessera:org-" + org + ":mrn", Integer.toString(mrnNext[org]++), Identifier.Kind.RECORD);

        // given and middle names
        String given = p.given;
        double g = rnd.nextDouble();
        List<String> nicks = NICK.get(p.given);
        boolean middleAsFirst = false;
        if (g < 0.20) {
            if (nicks != null) {
                given = nicks.get(rnd.nextInt(nicks.size()));
            }
        } else if (g < 0.21) {
            if (p.middle != null) {
                given = p.middle;
                middleAsFirst = true;
            }
        } else if (g < 0.22) {
            given = p.given.substring(0, 1);
        }
        if (rnd.nextDouble() < 0.05 && given.length() > 2) {
            given = typo(given);
        }
        if (rnd.nextDouble() >= 0.005) {
            b.given(cap(given));
        }
        if (p.middle != null && !middleAsFirst) {
            double m = rnd.nextDouble();
            if (m < 0.45) {
                b.given(cap(p.middle));
            } else if (m < 0.65) {
                b.given(p.middle.substring(0, 1).toUpperCase());
            }
        }

        // family name: maiden, married or hyphenated, in any spelling
        String family = p.family;
        if (p.maiden != null && !p.hyphenated) {
            if ((atOld && rnd.nextDouble() < 0.6) || rnd.nextDouble() < 0.12) {
                family = p.maiden;
            } else if (rnd.nextDouble() < 0.25) {
                b.previousFamily(cap(p.maiden));
            }
        } else if (p.hyphenated) {
            double h = rnd.nextDouble();
            if (h < 0.15) {
                family = p.maiden + " " + p.husband;
            } else if (h < 0.30) {
                family = p.husband;
            } else if (h < 0.42) {
                family = p.maiden;
            }
        }
        if (rnd.nextDouble() < 0.04 && family.length() > 3) {
            family = typo(family);
        }
        String suffix = null;
        if ("jr".equals(p.suffix) && rnd.nextDouble() < 0.5) {
            suffix = rnd.nextBoolean() ? "Jr." : "Junior";
        } else if ("sr".equals(p.suffix) && rnd.nextDouble() < 0.3) {
            suffix = rnd.nextBoolean() ? "Sr." : "Sr";
        }
        if (rnd.nextDouble() >= 0.003) {
            if (suffix != null && rnd.nextBoolean()) {
                b.family(cap(family) + " " + suffix);
            } else {
                b.family(cap(family));
                b.suffix(suffix);
            }
        } else {
            b.suffix(suffix);
        }

        // birth date
        double d = rnd.nextDouble();
        LocalDate dob = p.dob;
        int y = dob.getYear();
        int mo = dob.getMonthValue();
        int da = dob.getDayOfMonth();
        if (d < 0.02) {
            y = 0;
        } else if (d < 0.06 && da <= 12 && da != mo) {
            int t = da;
            da = mo;
            mo = t;
        } else if (d < 0.08) {
            y = yearTypo(y);
        } else if (d < 0.095) {
            y += rnd.nextBoolean() ? 1 : -1;
        } else if (d < 0.115) {
            if (rnd.nextBoolean()) {
                da = Math.max(1, Math.min(28, digitTypo(da)));
            } else {
                mo = Math.max(1, Math.min(12, digitTypo(mo)));
            }
        }
        if (y > 0) {
            b.birthDate(String.format("%04d-%02d-%02d", y, mo, da));
        }

        // sex
        double s = rnd.nextDouble();
        if (s >= 0.03) {
            boolean male = s < 0.033 ? !p.male : p.male;
            b.sex(male ? (rnd.nextBoolean() ? "male" : "M") : (rnd.nextBoolean() ? "female" : "F"));
        }

        // address
        if (rnd.nextDouble() >= 0.08) {
            String street = cap(res.street);
            if (rnd.nextDouble() < 0.03) {
                street = cap(typo(res.street));
            }
            String type = rnd.nextBoolean() ? res.type : abbreviate(res.type);
            String number = rnd.nextDouble() < 0.01 ? typoDigits(res.number) : res.number;
            List<String> lines = new ArrayList<>();
            lines.add(number + " " + street + " " + type);
            if (res.unit != null && rnd.nextDouble() < 0.6) {
                lines.add((rnd.nextBoolean() ? "Apt " : "Unit ") + res.unit);
            }
            String zip = rnd.nextDouble() < 0.01 ? typoDigits(res.zip) : res.zip;
            if (rnd.nextDouble() < 0.15) {
                zip = zip + "-" + String.format("%04d", rnd.nextInt(10000));
            }
            String city = rnd.nextDouble() < 0.02 ? "" : res.city.name();
            b.address(lines, city, zip, rnd.nextDouble() < 0.2 ? stateName(res.city.state()) : res.city.state());
        }

        // phones: the home phone of that residence, the mobile of that time
        if (res.homePhone != null && rnd.nextDouble() < 0.55) {
            b.phone(formatPhone(rnd.nextDouble() < 0.015 ? typoDigits(res.homePhone) : res.homePhone));
        }
        String cell = atOld && p.oldCell != null ? p.oldCell : p.cell;
        if (cell != null && rnd.nextDouble() < 0.55) {
            b.phone(formatPhone(rnd.nextDouble() < 0.015 ? typoDigits(cell) : cell));
        }
        if (p.email != null && rnd.nextDouble() < 0.4) {
            b.email(rnd.nextDouble() < 0.02 ? typo(p.email) : p.email);
        }
        if (rnd.nextDouble() < 0.45) {
            String ssn = rnd.nextDouble() < 0.02 ? typoDigits(p.ssn) : p.ssn;
            b.ssn(rnd.nextBoolean() ? ssn.substring(0, 3) + "-" + ssn.substring(3, 5) + "-" + ssn.substring(5) : ssn);
        }
        return b.build();
    }

    // ---- helpers

    /** 85% a common name (Zipf by rank), 15% a rarer one from the long tail. */
    private String givenName(boolean male) {
        if (rnd.nextDouble() < 0.15) {
            return UsNames.tailGiven(rnd);
        }
        return male ? UsNames.MALE.get(draw(maleCdf)) : UsNames.FEMALE.get(draw(femaleCdf));
    }

    /** 60% one of the common surnames (Zipf by rank), 40% from the long tail, as in the US census. */
    private String surname() {
        if (rnd.nextDouble() < 0.4) {
            return UsNames.tailSurname(rnd);
        }
        return UsNames.SURNAMES.get(draw(surnameCdf));
    }

    private int draw(double[] cdf) {
        double x = rnd.nextDouble();
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] zipf(int n, int offset, double s) {
        double[] c = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + offset, s);
            c[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            c[i] /= sum;
        }
        return c;
    }

    private <T> T pick(List<T> l) {
        return l.get(rnd.nextInt(l.size()));
    }

    private int year(int from, int to) {
        return from + rnd.nextInt(to - from + 1);
    }

    private LocalDate date(int year) {
        return LocalDate.of(Math.min(year, 2024), 1, 1).plusDays(rnd.nextInt(365));
    }

    /** One typing error: a letter replaced, dropped, doubled or two adjacent letters swapped. */
    private String typo(String s) {
        StringBuilder b = new StringBuilder(s);
        int i = 1 + rnd.nextInt(s.length() - 1); // people rarely get the first letter wrong
        switch (rnd.nextInt(4)) {
            case 0 -> b.setCharAt(i, (char) ('a' + rnd.nextInt(26)));
            case 1 -> b.deleteCharAt(i);
            case 2 -> b.insert(i, b.charAt(i));
            default -> {
                if (i + 1 < b.length()) {
                    char c = b.charAt(i);
                    b.setCharAt(i, b.charAt(i + 1));
                    b.setCharAt(i + 1, c);
                } else {
                    b.setCharAt(i, (char) ('a' + rnd.nextInt(26)));
                }
            }
        }
        return b.toString();
    }

    private String typoDigits(String s) {
        StringBuilder b = new StringBuilder(s);
        int i = rnd.nextInt(s.length());
        if (rnd.nextBoolean() && i + 1 < s.length()) {
            char c = b.charAt(i);
            b.setCharAt(i, b.charAt(i + 1));
            b.setCharAt(i + 1, c);
        } else {
            b.setCharAt(i, (char) ('0' + (b.charAt(i) - '0' + 1 + rnd.nextInt(9)) % 10));
        }
        return b.toString();
    }

    private int yearTypo(int y) {
        String t = Integer.toString(y);
        int pos = rnd.nextDouble() < 0.6 ? 3 : 2;
        char c = (char) ('0' + (t.charAt(pos) - '0' + 1 + rnd.nextInt(9)) % 10);
        return Integer.parseInt(t.substring(0, pos) + c + t.substring(pos + 1));
    }

    private int digitTypo(int v) {
        String t = String.format("%02d", v);
        int pos = rnd.nextInt(2);
        char c = (char) ('0' + (t.charAt(pos) - '0' + 1 + rnd.nextInt(9)) % 10);
        return Integer.parseInt(t.substring(0, pos) + c + t.substring(pos + 1));
    }

    private String formatPhone(String digits) {
        return switch (rnd.nextInt(4)) {
            case 0 -> "(" + digits.substring(0, 3) + ") " + digits.substring(3, 6) + "-" + digits.substring(6);
            case 1 -> digits.substring(0, 3) + "-" + digits.substring(3, 6) + "-" + digits.substring(6);
            case 2 -> "+1 " + digits.substring(0, 3) + " " + digits.substring(3, 6) + " " + digits.substring(6);
            default -> digits;
        };
    }

    private static String abbreviate(String type) {
        return switch (type) {
            case "Street" -> "St";
            case "Avenue" -> "Ave";
            case "Road" -> "Rd";
            case "Drive" -> "Dr";
            case "Lane" -> "Ln";
            case "Court" -> "Ct";
            case "Boulevard" -> "Blvd";
            case "Place" -> "Pl";
            case "Circle" -> "Cir";
            case "Terrace" -> "Ter";
            default -> type;
        };
    }

    private static String stateName(String code) {
        return switch (code) {
            case "IL" -> "Illinois";
            case "OH" -> "Ohio";
            case "TX" -> "Texas";
            case "CA" -> "California";
            case "NY" -> "New York";
            case "FL" -> "Florida";
            case "PA" -> "Pennsylvania";
            case "GA" -> "Georgia";
            default -> code;
        };
    }

    private static String cap(String s) {
        if (s.isEmpty()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        boolean up = true;
        for (char c : s.toCharArray()) {
            b.append(up ? Character.toUpperCase(c) : c);
            up = c == ' ' || c == '-';
        }
        return b.toString();
    }
}
