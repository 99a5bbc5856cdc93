package org.edgevim.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.BootImages;
import org.edgevim.core.driver.ComputeSpec;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.image.DiskFormat;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.model.TerminationType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's mapping against libvirt's built-in test driver (test:///default): no hypervisor,
 * but the real libvirt library, API and error codes. The real lab tests cover the rest.
 */
class TestDriverMappingTest {

    private static final String ID = "0b5e7c1a-1111-4a2b-9c3d-123456789abc";
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final LibvirtDriverSettings settings = new LibvirtDriverSettings("default-pool", "/tmp", "console=ttyS0",
            "qemu", Duration.ofMillis(10));
    private ComputeDriver driver = create("test:///default");

    private ComputeDriver create(String uri) {
        return new LibvirtDriverFactory(settings).create(
                new EdgeHost("edge-t", "libvirt", uri, "zone-t", List.of(), HostState.UNKNOWN),
                (host, id, state, reason) -> events.add(id + "=" + state));
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void probesAndReportsTheHostsOwnResources() {
        driver.probe();
        var resources = driver.resources();
        assertThat(resources.cpus()).isPositive();
        assertThat(resources.memoryMiB()).isPositive();
    }

    @Test
    void onlyVimDomainsAreListed() {
        // test:///default always has a domain named "test": not ours, so not listed.
        assertThat(driver.list()).isEmpty();
        assertThat(driver.find(ID)).isEmpty();
    }

    @Test
    void terminateOfAVmThatIsGoneSucceeds() {
        driver.terminate(ID, TerminationType.FORCEFUL, Duration.ZERO);
    }

    @Test
    void allocateOfAnImageTheHostLacksFailsAndLeavesNothing() {
        // The core copies images before allocating; a missing one was removed behind the VIM's back.
        var image = new ImageRef("no-such-image", DiskFormat.QCOW2, 1024, "00");
        var spec = new ComputeSpec(ID, "web", new ComputeFlavour(1, 256, 1), "no-such-image",
                new BootImages(image, null, null), Map.of(), Map.of());
        assertThatThrownBy(() -> driver.allocate(spec))
                .isInstanceOf(BackendException.class).hasMessageContaining("edge-t");
        assertThat(driver.list()).isEmpty();
    }

    @Test
    void anUnreachableHostIsReportedAsSuch() {
        driver.close();
        driver = create("qemu+tcp://127.0.0.99/system");
        assertThatThrownBy(driver::probe).isInstanceOf(HostUnavailableException.class).hasMessageContaining("edge-t");
    }

    @Test
    void uriIsValidated() {
        assertThatThrownBy(() -> create("qemu+tcp://evil/system?socket=/etc/x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> create("file:///etc/passwd")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void kvmIsOfferedOnlyWhenTheCapabilitiesSaySo() {
        assertThat(HostCapabilities.offersKvm("<capabilities><guest><arch name='x86_64'><domain type='qemu'/>"
                + "</arch></guest></capabilities>")).isFalse();
        assertThat(HostCapabilities.offersKvm("<capabilities><guest><arch name='x86_64'><domain type='qemu'/>"
                + "<domain type='kvm'/></arch></guest></capabilities>")).isTrue();
    }
}
