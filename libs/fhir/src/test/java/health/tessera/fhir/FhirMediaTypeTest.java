package health.tessera.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.junit.jupiter.api.Test;

class FhirMediaTypeTest {

    @Test
    void formatParameterNamesJsonOrXml() {
        assertThat(FhirMediaType.fromFormatParameter("json")).isEqualTo(FhirMediaType.JSON_TYPE);
        assertThat(FhirMediaType.fromFormatParameter("application/fhir+xml")).isEqualTo(FhirMediaType.XML_TYPE);
        assertThat(FhirMediaType.fromFormatParameter("text/xml")).isEqualTo(FhirMediaType.XML_TYPE);
        assertThat(FhirMediaType.fromFormatParameter("yaml")).isNull();
        assertThat(FhirMediaType.fromFormatParameter(null)).isNull();
    }

    @Test
    void negotiationPrefersTheFirstAcceptableFormatAndDefaultsToJson() {
        assertThat(FhirMediaType.negotiate(List.of(MediaType.valueOf("application/fhir+xml"), MediaType.WILDCARD_TYPE)))
                .isEqualTo(FhirMediaType.XML_TYPE);
        assertThat(FhirMediaType.negotiate(List.of(MediaType.WILDCARD_TYPE))).isEqualTo(FhirMediaType.JSON_TYPE);
        assertThat(FhirMediaType.negotiate(List.of(MediaType.valueOf("text/html"))))
                .isEqualTo(FhirMediaType.JSON_TYPE);
        assertThat(FhirMediaType.negotiate(List.of())).isEqualTo(FhirMediaType.JSON_TYPE);
    }

    @Test
    void preferReturnIsReadFromThePreferHeader() {
        assertThat(FhirResponses.preferredReturn(null)).isEqualTo("representation");
        assertThat(FhirResponses.preferredReturn("return=minimal")).isEqualTo("minimal");
        assertThat(FhirResponses.preferredReturn("handling=lenient, return=OperationOutcome"))
                .isEqualTo("OperationOutcome");
        assertThat(FhirResponses.preferredReturn("respond-async")).isEqualTo("representation");
    }

    @Test
    void everyResourceTypeHasOneOwner() {
        for (ResourceOwnership owner : ResourceOwnership.values()) {
            for (String type : owner.resourceTypes()) {
                assertThat(ResourceOwnership.ownerOf(type)).contains(owner);
                assertThat(org.hl7.fhir.r4.model.ResourceType.fromCode(type))
                        .as(type + " is an R4 type")
                        .isNotNull();
            }
        }
        assertThat(ResourceOwnership.ownerOf("Spaceship")).isEmpty();
    }
}
