package health.tessera.patient.domain;

import health.tessera.fhir.FhirException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Patient search (and PDQm's demographics query) over one organisation's source records, as SQL on the stored
 * JSON: {@code name}, {@code family}, {@code given} (starts with, case-insensitive; {@code :exact},
 * {@code :contains}), {@code birthdate} (eq, ne, lt, le, gt, ge at the precision given), {@code gender},
 * {@code identifier}, {@code phone}, {@code email}, {@code telecom}, {@code address}, {@code address-city},
 * {@code address-state}, {@code address-postalcode}, {@code address-country}, {@code _id}. Parameters are ANDed;
 * comma-separated values are ORed.
 */
public final class PatientSearch {

    /** The search parameters, with the modifiers each takes. */
    public static final List<String> PARAMETERS = List.of(
            "_id",
            "name",
            "family",
            "given",
            "birthdate",
            "gender",
            "identifier",
            "phone",
            "email",
            "telecom",
            "address",
            "address-city",
            "address-state",
            "address-postalcode",
            "address-country");

    private final StringBuilder where = new StringBuilder();
    private final List<Object> arguments = new ArrayList<>();

    private PatientSearch() {}

    /** The WHERE clause (after the organisation's) and its arguments, for the query parameters given. */
    public static PatientSearch of(Map<String, List<String>> query) {
        PatientSearch search = new PatientSearch();
        query.forEach((key, values) -> {
            int colon = key.indexOf(':');
            String name = colon < 0 ? key : key.substring(0, colon);
            String modifier = colon < 0 ? null : key.substring(colon + 1);
            if (!PARAMETERS.contains(name)) {
                return; // the resource checks the names; control parameters (_count, _format) are not ours
            }
            for (String value : values) {
                search.add(name, modifier, value);
            }
        });
        return search;
    }

    public String where() {
        return where.toString();
    }

    public List<Object> arguments() {
        return arguments;
    }

    private void add(String name, String modifier, String value) {
        List<String> alternatives = List.of(value.split(","));
        where.append(" AND (");
        for (int i = 0; i < alternatives.size(); i++) {
            if (i > 0) {
                where.append(" OR ");
            }
            condition(name, modifier, alternatives.get(i).trim());
        }
        where.append(')');
    }

    private void condition(String name, String modifier, String value) {
        if (value.isEmpty()) {
            throw FhirException.badRequest("Search parameter " + name + " needs a value");
        }
        switch (name) {
            case "_id" -> {
                where.append("id::text = ?");
                arguments.add(value);
            }
            case "family" -> text("SELECT n->>'family' FROM jsonb_array_elements(resource->'name') n", modifier, value);
            case "given" ->
                text(
                        "SELECT g FROM jsonb_array_elements(resource->'name') n, jsonb_array_elements_text(n->'given') g",
                        modifier,
                        value);
            case "name" ->
                text(
                        "SELECT n->>'family' FROM jsonb_array_elements(resource->'name') n"
                                + " UNION ALL SELECT g FROM jsonb_array_elements(resource->'name') n,"
                                + " jsonb_array_elements_text(n->'given') g"
                                + " UNION ALL SELECT n->>'text' FROM jsonb_array_elements(resource->'name') n",
                        modifier,
                        value);
            case "address" ->
                text(
                        "SELECT l FROM jsonb_array_elements(resource->'address') a, jsonb_array_elements_text(a->'line') l"
                                + " UNION ALL SELECT a->>k FROM jsonb_array_elements(resource->'address') a,"
                                + " unnest(ARRAY['city','state','postalCode','country','text']) k",
                        modifier,
                        value);
            case "address-city" -> addressPart("city", modifier, value);
            case "address-state" -> addressPart("state", modifier, value);
            case "address-postalcode" -> addressPart("postalCode", modifier, value);
            case "address-country" -> addressPart("country", modifier, value);
            case "gender" -> {
                noModifier(name, modifier);
                where.append("resource->>'gender' = ?");
                arguments.add(value);
            }
            case "birthdate" -> {
                noModifier(name, modifier);
                birthDate(value);
            }
            case "identifier" -> {
                noModifier(name, modifier);
                int bar = value.indexOf('|');
                if (bar < 0) {
                    where.append("id IN (SELECT patient_id FROM patient_identifier WHERE value = ?)");
                    arguments.add(value);
                } else {
                    where.append("id IN (SELECT patient_id FROM patient_identifier WHERE value = ? AND system = ?)");
                    arguments.add(value.substring(bar + 1));
                    arguments.add(value.substring(0, bar));
                }
            }
            case "phone", "email", "telecom" -> {
                noModifier(name, modifier);
                where.append("resource @> ?::jsonb");
                String system = name.equals("telecom") ? null : name;
                arguments.add("{\"telecom\":[{" + (system == null ? "" : "\"system\":" + json(system) + ",")
                        + "\"value\":" + json(value) + "}]}");
            }
            default -> throw new IllegalStateException(name);
        }
    }

    private void addressPart(String element, String modifier, String value) {
        text("SELECT a->>'" + element + "' FROM jsonb_array_elements(resource->'address') a", modifier, value);
    }

    /** String search: starts with, ignoring case (default), {@code :exact} or {@code :contains}. */
    private void text(String values, String modifier, String value) {
        where.append("EXISTS (SELECT 1 FROM (").append(values).append(") v(s) WHERE ");
        if ("exact".equals(modifier)) {
            where.append("v.s = ?)");
            arguments.add(value);
            return;
        }
        if (modifier != null && !modifier.equals("contains")) {
            throw FhirException.badRequest("Modifier :" + modifier + " is not supported on string parameters");
        }
        String escaped = value.toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_");
        where.append("lower(v.s) LIKE ?)");
        arguments.add(("contains".equals(modifier) ? "%" : "") + escaped + "%");
    }

    private void birthDate(String value) {
        String prefix = value.length() > 2 && Character.isLetter(value.charAt(0)) ? value.substring(0, 2) : "eq";
        String date = prefix.equals("eq") && !value.startsWith("eq") ? value : value.substring(2);
        if (!date.matches("\\d{4}(-\\d{2}(-\\d{2})?)?")) {
            throw FhirException.badRequest("birthdate must be a date (YYYY, YYYY-MM or YYYY-MM-DD) with an optional"
                    + " prefix (eq, ne, lt, le, gt, ge), not '" + value + "'");
        }
        // compared at the precision given: the stored date cut to the same length
        String stored = "left(resource->>'birthDate', " + date.length() + ")";
        String operator = switch (prefix) {
            case "eq" -> "=";
            case "ne" -> "<>";
            case "lt" -> "<";
            case "le" -> "<=";
            case "gt" -> ">";
            case "ge" -> ">=";
            default -> throw FhirException.badRequest("Unknown birthdate prefix '" + prefix + "'");
        };
        where.append(stored).append(' ').append(operator).append(" ?");
        arguments.add(date);
    }

    private static void noModifier(String name, String modifier) {
        if (modifier != null) {
            throw FhirException.badRequest("Modifier :" + modifier + " is not supported on " + name);
        }
    }

    private static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
