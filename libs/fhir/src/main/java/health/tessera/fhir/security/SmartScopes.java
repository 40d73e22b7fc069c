package health.tessera.fhir.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SMART on FHIR v2 resource scopes of an access token ({@code system/Observation.rs}, {@code user/*.cruds}),
 * with the v1 forms read as their v2 equivalents ({@code .read} = {@code .rs}, {@code .write} = {@code .cud},
 * {@code .*} = {@code .cruds}). Other scopes (openid, profile, …) are ignored.
 *
 * <p>{@code patient/} scopes count only for a token with a patient context (its {@code patient} claim), and only
 * {@link #allowsInPatientContext} reads them: the services then limit every answer to that patient's compartment.
 * {@code system/} and {@code user/} scopes count only for tokens without one.
 */
public final class SmartScopes {

    /** One resource scope: context, type ({@code *} for all) and the interactions it grants (c, r, u, d, s). */
    public record Scope(String context, String type, String interactions) {}

    /** Compiled once: scopes are parsed on every request (String.split and matches would compile each time). */
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    private static final java.util.regex.Pattern PERMISSIONS = java.util.regex.Pattern.compile("c?r?u?d?s?");

    private final List<Scope> scopes;

    private SmartScopes(List<Scope> scopes) {
        this.scopes = List.copyOf(scopes);
    }

    /** The resource scopes of an access token (its {@code scope} claim). */
    public static SmartScopes of(org.eclipse.microprofile.jwt.JsonWebToken token) {
        Object claim = health.tessera.fhir.Caller.claimOf(token, "scope");
        return parse(claim == null ? null : claim.toString());
    }

    /** The resource scopes in a token's space-separated {@code scope} claim (null: none). */
    public static SmartScopes parse(String claim) {
        List<Scope> scopes = new ArrayList<>();
        if (claim != null) {
            for (String scope : WHITESPACE.split(claim.trim())) {
                Scope parsed = parseOne(scope);
                if (parsed != null) {
                    scopes.add(parsed);
                }
            }
        }
        return new SmartScopes(scopes);
    }

    private static Scope parseOne(String scope) {
        int slash = scope.indexOf('/');
        int dot = scope.lastIndexOf('.');
        if (slash < 0 || dot < slash) {
            return null;
        }
        String context = scope.substring(0, slash);
        if (!context.equals("system") && !context.equals("user") && !context.equals("patient")) {
            return null;
        }
        String type = scope.substring(slash + 1, dot);
        String permissions = scope.substring(dot + 1);
        int query = permissions.indexOf('?'); // v2 finer-grained constraints (?category=…) are not honoured:
        if (query >= 0) {
            return null; // ignoring the constraint would grant more than the scope says
        }
        String interactions = switch (permissions.toLowerCase(Locale.ROOT)) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> PERMISSIONS.matcher(permissions).matches() && !permissions.isEmpty() ? permissions : null;
        };
        return interactions == null || type.isEmpty() ? null : new Scope(context, type, interactions);
    }

    /**
     * Whether a {@code system/} or {@code user/} scope grants {@code interaction} (one of {@code c r u d s}) on
     * {@code type} ({@code *}: every type, as {@code $everything} and {@code $export} need).
     */
    public boolean allows(String type, char interaction) {
        return grants(false, type, interaction);
    }

    /** Whether a {@code patient/} scope grants {@code interaction} on {@code type}, within the patient's compartment. */
    public boolean allowsInPatientContext(String type, char interaction) {
        return grants(true, type, interaction);
    }

    private boolean grants(boolean patientContext, String type, char interaction) {
        for (Scope scope : scopes) {
            if (scope.context().equals("patient") != patientContext) {
                continue;
            }
            boolean typeMatches = scope.type().equals("*") || scope.type().equals(type);
            if (typeMatches && scope.interactions().indexOf(interaction) >= 0) {
                return true;
            }
        }
        return false;
    }

    public List<Scope> scopes() {
        return scopes;
    }

    /** The word for an interaction letter, for error messages. */
    public static String describe(char interaction) {
        return switch (interaction) {
            case 'c' -> "create";
            case 'r' -> "read";
            case 'u' -> "update";
            case 'd' -> "delete";
            case 's' -> "search";
            default -> String.valueOf(interaction);
        };
    }
}
