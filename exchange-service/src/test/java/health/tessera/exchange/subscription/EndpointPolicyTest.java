package health.tessera.exchange.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.tessera.fhir.FhirException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointPolicyTest {

    private final EndpointPolicy production = new EndpointPolicy(false);
    private final EndpointPolicy local = new EndpointPolicy(true);

    @Test
    void inProductionOnlyHttpsToPublicAddresses() {
        assertThat(production.require("https://93.184.215.14/hook", "e")).hasHost("93.184.215.14");
        assertThatThrownBy(() -> production.require("http://93.184.215.14/hook", "e"))
                .isInstanceOf(FhirException.class)
                .hasMessageContaining("https");
        for (String inside : new String[] {
            "https://127.0.0.1/hook",
            "https://localhost/hook",
            "https://10.0.0.7/hook",
            "https://192.168.1.20/hook",
            "https://172.16.4.4/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "https://[fd00::1]/hook",
            "https://0.0.0.0/hook",
            "https://100.100.100.200/latest/meta-data",
            "https://198.18.0.1/hook",
            "https://no-such-host.invalid/hook"
        }) {
            assertThatThrownBy(() -> production.require(inside, "e"))
                    .as(inside)
                    .isInstanceOf(FhirException.class)
                    .hasMessageContaining("not a public address");
        }
    }

    @Test
    void neverCredentialsInTheUrlNorARelativeOrMalformedOne() {
        for (EndpointPolicy policy : new EndpointPolicy[] {production, local}) {
            assertThatThrownBy(() -> policy.require("https://user:secret@93.184.215.14/hook", "e"))
                    .hasMessageContaining("credentials");
            assertThatThrownBy(() -> policy.require("/hook", "e")).hasMessageContaining("absolute");
            assertThatThrownBy(() -> policy.require("not a url", "e")).hasMessageContaining("not a URL");
            assertThatThrownBy(() -> policy.require(null, "e")).isInstanceOf(FhirException.class);
            assertThatThrownBy(() -> policy.require("ftp://93.184.215.14/hook", "e"))
                    .hasMessageContaining("https");
        }
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIsInsideAndCheckedAgainAtEachDelivery() throws Exception {
        InetAddress outside = InetAddress.getByAddress("hook.example.com", new byte[] {93, (byte) 184, (byte) 215, 14});
        InetAddress inside = InetAddress.getByAddress("hook.example.com", new byte[] {(byte) 169, (byte) 254, 1, 1});
        assertThatThrownBy(() -> new EndpointPolicy(false, host -> new InetAddress[] {outside, inside})
                        .approve("https://hook.example.com/hook", "e"))
                .hasMessageContaining("not a public address");
        java.util.Iterator<InetAddress> answers = List.of(outside, inside).iterator();
        EndpointPolicy rebinding = new EndpointPolicy(false, host -> new InetAddress[] {answers.next()});
        assertThat(rebinding.approve("https://hook.example.com/hook", "e").address())
                .isEqualTo(outside);
        assertThatThrownBy(() -> rebinding.approve("https://hook.example.com/hook", "e"))
                .hasMessageContaining("not a public address");
    }

    @Test
    void locallyHttpAndLoopbackAreAllowed() {
        assertThat(local.require("http://127.0.0.1:9000/hook", "e")).hasPort(9000);
    }
}
