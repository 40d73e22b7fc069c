package health.tessera.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.tessera.fhir.security.ScopeRequirements.Requirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SMART v2 scopes and what each FHIR request needs of them. */
class SmartScopesTest {

    @Test
    void v2AndV1ScopesGrantTheirInteractions() {
        SmartScopes scopes =
                SmartScopes.parse("openid profile system/Observation.rs user/Condition.write system/Encounter.*");
        assertThat(scopes.allows("Observation", 'r')).isTrue();
        assertThat(scopes.allows("Observation", 's')).isTrue();
        assertThat(scopes.allows("Observation", 'c')).isFalse();
        assertThat(scopes.allows("Condition", 'u')).isTrue();
        assertThat(scopes.allows("Condition", 'r')).isFalse();
        assertThat(scopes.allows("Encounter", 'd')).isTrue();
        assertThat(scopes.allows("Patient", 'r')).isFalse();
        assertThat(scopes.allows("*", 'r')).as("one type is not every type").isFalse();
        assertThat(SmartScopes.parse("system/*.cruds").allows("*", 's')).isTrue();
    }

    @Test
    void scopesThatWouldGrantMoreThanTheySayGrantNothing() {
        // patient/ scopes count only in a patient context, system/ and user/ ones only outside it;
        // constrained scopes and malformed permissions grant nothing
        assertThat(SmartScopes.parse("patient/*.rs").allows("Observation", 'r')).isFalse();
        assertThat(SmartScopes.parse("patient/*.rs").allowsInPatientContext("Observation", 'r'))
                .isTrue();
        assertThat(SmartScopes.parse("patient/*.rs").allowsInPatientContext("Observation", 'c'))
                .isFalse();
        assertThat(SmartScopes.parse("system/*.cruds").allowsInPatientContext("Observation", 'r'))
                .isFalse();
        assertThat(SmartScopes.parse("system/Observation.rs?category=laboratory")
                        .allows("Observation", 'r'))
                .isFalse();
        assertThat(SmartScopes.parse("system/Observation.sr").allows("Observation", 'r'))
                .isFalse();
        assertThat(SmartScopes.parse(null).allows("Observation", 'r')).isFalse();
    }

    @Test
    void eachInteractionNeedsItsLetter() {
        assertThat(ScopeRequirements.of("GET", "/fhir/Observation/1", Map.of()))
                .containsExactly(new Requirement("Observation", 'r'));
        assertThat(ScopeRequirements.of("GET", "/fhir/Observation/1/_history/2", Map.of()))
                .containsExactly(new Requirement("Observation", 'r'));
        assertThat(ScopeRequirements.of("GET", "/fhir/Observation", Map.of()))
                .containsExactly(new Requirement("Observation", 's'));
        assertThat(ScopeRequirements.of("POST", "/fhir/Observation/_search", Map.of()))
                .containsExactly(new Requirement("Observation", 's'));
        assertThat(ScopeRequirements.of("POST", "/fhir/Observation", Map.of()))
                .containsExactly(new Requirement("Observation", 'c'));
        assertThat(ScopeRequirements.of("PUT", "/fhir/Observation/1", Map.of()))
                .containsExactly(new Requirement("Observation", 'u'));
        assertThat(ScopeRequirements.of("DELETE", "/fhir/Observation/1", Map.of()))
                .containsExactly(new Requirement("Observation", 'd'));
        assertThat(ScopeRequirements.of("POST", "/fhir/Patient/$match", Map.of()))
                .containsExactly(new Requirement("Patient", 's'));
        assertThat(ScopeRequirements.of("POST", "/fhir/Patient/$merge", Map.of()))
                .containsExactly(new Requirement("Patient", 'u'));
        assertThat(ScopeRequirements.of("GET", "/fhir/Patient/1/$everything", Map.of()))
                .containsExactly(new Requirement("*", 'r'), new Requirement("*", 's'));
        assertThat(ScopeRequirements.of("GET", "/fhir/$export", Map.of()))
                .containsExactly(new Requirement("*", 'r'), new Requirement("*", 's'));
    }

    @Test
    void searchesThatReachIntoOtherTypesNeedThemToo() {
        assertThat(ScopeRequirements.of(
                        "GET",
                        "/fhir/Observation",
                        Map.of(
                                "_include", List.of("Observation:subject:Patient"),
                                "_revinclude", List.of("Provenance:target"))))
                .contains(
                        new Requirement("Observation", 's'),
                        new Requirement("Patient", 'r'),
                        new Requirement("Provenance", 'r'));
        assertThat(ScopeRequirements.of("GET", "/fhir/Patient", Map.of("_has:Observation:patient:code", List.of("x"))))
                .contains(new Requirement("Observation", 's'));
        assertThat(ScopeRequirements.of("GET", "/fhir/Observation", Map.of("subject:Patient.name", List.of("x"))))
                .contains(new Requirement("Patient", 's'));
    }

    @Test
    void requestsWithoutAResourceNeedNoScope() {
        assertThat(ScopeRequirements.of("GET", "/fhir/metadata", Map.of())).isEmpty();
        assertThat(ScopeRequirements.of("POST", "/fhir", Map.of())).isEmpty();
        assertThat(ScopeRequirements.of("GET", "/mpi/reviews", Map.of())).isEmpty();
        assertThat(ScopeRequirements.of("GET", "/q/health", Map.of())).isEmpty();
    }
}
