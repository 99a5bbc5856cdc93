package org.edgevim.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.edgevim.core.capacity.CapacityPolicy;
import org.edgevim.core.capacity.CapacityService;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.event.VimNotification;
import org.edgevim.core.image.ImageCreation;
import org.edgevim.core.image.ImageLocation;
import org.edgevim.core.image.ImageStatus;
import org.edgevim.core.image.SoftwareImage;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.model.TerminationType;
import org.edgevim.core.model.VirtualCompute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageServiceTest {

    private final InMemoryRepositories.Computes computes = new InMemoryRepositories.Computes();
    private final Map<String, FakeDriver> drivers = new HashMap<>();
    private final List<VimNotification> published = new CopyOnWriteArrayList<>();
    private TestImages images;
    private ComputeService vms;

    @BeforeEach
    void setUp() {
        HostRegistry registry = new HostRegistry(new InMemoryRepositories.Hosts(), List.of(FakeDriver.factory(drivers)));
        for (int i = 1; i <= 3; i++) {
            registry.register(new EdgeHost("edge-" + i, "fake", "fake://" + i, "zone-a", List.of(), HostState.UNKNOWN));
        }
        images = new TestImages(computes, registry, published::add);
        vms = new ComputeService(computes, registry, new CapacityService(registry, computes, h -> CapacityPolicy.STRICT),
                images.service, AllocationListener.NONE, Clock.systemUTC());
    }

    @Test
    void anUploadIsVerifiedAndBecomesActive() {
        byte[] disk = InMemoryImageStore.qcow2(3L << 30, 0);
        SoftwareImage image = create("app", "qcow2", sha256(disk));
        assertThat(image.status()).isEqualTo(ImageStatus.QUEUED);

        SoftwareImage active = images.service.upload(image.imageId(), new ByteArrayInputStream(disk), disk.length);

        assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(active.size()).isEqualTo(disk.length);
        assertThat(active.virtualSize()).isEqualTo(3L << 30);
        assertThat(active.checksum().hash()).isEqualTo(sha256(disk));
        assertThat(published).extracting(n -> ((SoftwareImage) n.payload()).status())
                .containsExactly(ImageStatus.QUEUED, ImageStatus.SAVING, ImageStatus.ACTIVE);
        assertThatThrownBy(() -> images.service.upload(image.imageId(), new ByteArrayInputStream(disk), disk.length))
                .isInstanceOf(ConflictException.class).hasMessageContaining("ACTIVE");
    }

    @Test
    void aChecksumMismatchKillsTheImageAndKeepsNoBytes() {
        byte[] disk = InMemoryImageStore.qcow2(1L << 30, 0);
        SoftwareImage image = create("app", "qcow2", sha256(new byte[] {1}));

        assertThatThrownBy(() -> images.service.upload(image.imageId(), new ByteArrayInputStream(disk), disk.length))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("checksum"));

        assertThat(images.service.get(image.imageId()).status()).isEqualTo(ImageStatus.KILLED);
        assertThat(images.service.get(image.imageId()).statusReason()).contains("not the declared");
        assertThat(images.store.partial).isEmpty();
        assertThat(images.store.committed).isEmpty();
    }

    @Test
    void aQcow2WithABackingFileIsRefused() {
        byte[] disk = InMemoryImageStore.qcow2(1L << 30, 512);
        SoftwareImage image = create("evil", "qcow2", null);

        assertThatThrownBy(() -> images.service.upload(image.imageId(), new ByteArrayInputStream(disk), disk.length))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("backing file");

        assertThat(images.service.get(image.imageId()).status()).isEqualTo(ImageStatus.KILLED);
        assertThat(images.store.partial).isEmpty();
    }

    @Test
    void aRawImageThatIsReallyQcow2IsRefused() {
        byte[] disk = InMemoryImageStore.qcow2(1L << 30, 0);
        SoftwareImage image = create("sneaky", "raw", null);

        assertThatThrownBy(() -> images.service.upload(image.imageId(), new ByteArrayInputStream(disk), disk.length))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("diskFormat"));
        assertThat(images.service.get(image.imageId()).status()).isEqualTo(ImageStatus.KILLED);
    }

    @Test
    void aTruncatedUploadLeavesTheImageQueuedAndNothingStored() {
        byte[] disk = InMemoryImageStore.qcow2(1L << 30, 0);
        SoftwareImage image = create("app", "qcow2", null);

        assertThatThrownBy(() -> images.service.upload(image.imageId(),
                new ByteArrayInputStream(disk, 0, 100), disk.length))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("only 100 of 512 bytes");

        assertThat(images.service.get(image.imageId()).status()).isEqualTo(ImageStatus.QUEUED);
        assertThat(images.store.partial).isEmpty();
        assertThat(images.service.upload(image.imageId(), new ByteArrayInputStream(disk), disk.length).status())
                .isEqualTo(ImageStatus.ACTIVE);
    }

    @Test
    void theFirstVmOnAHostCopiesTheImageAndTheNextReusesIt() {
        SoftwareImage image = images.activeDisk("app");

        vms.allocate(request(image.imageId(), "edge-2"));
        vms.allocate(request(image.imageId(), "edge-2"));

        assertThat(drivers.get("edge-2").images.copies).hasValue(1);
        assertThat(drivers.get("edge-2").images.stored).containsEntry(image.imageId(), image.size());
        assertThat(drivers.get("edge-1").images.stored).isEmpty();
        assertThat(images.service.get(image.imageId()).location("edge-2"))
                .hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(ImageLocation.State.CACHED));
        assertThat(drivers.get("edge-2").lastSpec.boot().disk().imageId()).isEqualTo(image.imageId());
    }

    @Test
    void aFailedCopyFailsTheAllocateCleanlyAndIsRecorded() {
        SoftwareImage image = images.activeDisk("app");
        drivers.get("edge-1").images.failCopies = true;

        assertThatThrownBy(() -> vms.allocate(request(image.imageId(), "edge-1"))).isInstanceOf(BackendException.class);

        assertThat(computes.rows).isEmpty();
        assertThat(drivers.get("edge-1").vms).isEmpty();
        assertThat(images.service.get(image.imageId()).location("edge-1"))
                .hasValueSatisfying(l -> assertThat(l.error()).contains("pool full"));
    }

    @Test
    void allocateChecksTheImageBeforeTouchingAHost() {
        assertThatThrownBy(() -> vms.allocate(request("no-such-image", "edge-1"))).isInstanceOf(NotFoundException.class);
        SoftwareImage queued = create("later", "qcow2", null);
        assertThatThrownBy(() -> vms.allocate(request(queued.imageId(), "edge-1")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("QUEUED");
        SoftwareImage big = images.upload("big", "qcow2", InMemoryImageStore.qcow2(5L << 30, 0), null);
        assertThatThrownBy(() -> vms.allocate(request(big.imageId(), "edge-1")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("flavour.disk"));
        assertThat(computes.rows).isEmpty();
        assertThat(drivers.get("edge-1").images.copies).hasValue(0);
    }

    @Test
    void deletingAnImageInUseWaitsForItsLastVm() {
        SoftwareImage image = images.activeDisk("app");
        VirtualCompute vm = vms.allocate(request(image.imageId(), "edge-1"));

        assertThat(images.service.delete(image.imageId()))
                .hasValueSatisfying(i -> assertThat(i.status()).isEqualTo(ImageStatus.PENDING_DELETE));
        assertThatThrownBy(() -> vms.allocate(request(image.imageId(), "edge-2"))).isInstanceOf(ConflictException.class);

        vms.terminate(vm.computeId(), TerminationType.FORCEFUL, java.time.Duration.ZERO);

        assertThatThrownBy(() -> images.service.get(image.imageId())).isInstanceOf(NotFoundException.class);
        assertThat(drivers.get("edge-1").images.stored).isEmpty();
        assertThat(images.store.committed).isEmpty();
        assertThat(((SoftwareImage) published.get(published.size() - 1).payload()).status())
                .isEqualTo(ImageStatus.DELETED);
    }

    @Test
    void prestageCopiesToEveryHostInParallel() {
        SoftwareImage image = images.activeDisk("app");

        images.service.prestage(image.imageId(), List.of("edge-1", "edge-3", "edge-1"));

        long deadline = System.nanoTime() + 5_000_000_000L;
        while (images.service.get(image.imageId()).locations().stream()
                .filter(l -> l.state() == ImageLocation.State.CACHED).count() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(images.service.get(image.imageId()).locations()).extracting(ImageLocation::hostId,
                ImageLocation::state).containsExactly(org.assertj.core.groups.Tuple.tuple("edge-1",
                ImageLocation.State.CACHED), org.assertj.core.groups.Tuple.tuple("edge-3", ImageLocation.State.CACHED));
        assertThatThrownBy(() -> images.service.prestage(image.imageId(), List.of("edge-9")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aKernelReferenceMustBeAKernelAndCannotBeDeletedWhileReferenced() {
        SoftwareImage kernel = images.upload("vmlinuz", "aki", new byte[] {1, 2, 3}, null);
        SoftwareImage disk = images.upload("root", "qcow2", InMemoryImageStore.qcow2(1L << 30, 0), kernel.imageId());
        assertThat(disk.kernelImageId()).isEqualTo(kernel.imageId());

        assertThatThrownBy(() -> images.upload("root2", "qcow2", InMemoryImageStore.qcow2(1L << 30, 0), disk.imageId()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("kernelImageId"));
        assertThatThrownBy(() -> images.service.delete(kernel.imageId())).isInstanceOf(ConflictException.class)
                .hasMessageContaining(disk.imageId());

        vms.allocate(request(disk.imageId(), "edge-3"));
        assertThat(drivers.get("edge-3").images.stored).containsKeys(disk.imageId(), kernel.imageId());
        assertThat(drivers.get("edge-3").lastSpec.boot().kernel().imageId()).isEqualTo(kernel.imageId());
    }

    @Test
    void badRequestsNameTheField() {
        assertThatThrownBy(() -> images.service.create(new ImageCreation("a<b", null, null, null, null, null, "qcow2",
                null, null, null, null, null, Map.of()))).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> images.service.create(new ImageCreation("a", null, null, null, null, null, "vmdk",
                null, null, null, null, null, Map.of()))).hasMessageStartingWith("diskFormat:");
        assertThatThrownBy(() -> images.service.create(new ImageCreation("a", null, null, "MD5", "abc", null, "qcow2",
                null, null, null, null, null, Map.of()))).hasMessageStartingWith("checksum.algorithm:");
        assertThatThrownBy(() -> images.service.create(new ImageCreation("a", null, null, null, null, null, "qcow2",
                -1, null, null, null, null, Map.of()))).hasMessageStartingWith("minDisk:");
        assertThatThrownBy(() -> images.service.create(new ImageCreation("a", null, null, null, null, null, "qcow2",
                null, null, null, null, "file:///etc/shadow", Map.of()))).hasMessageStartingWith("sourceUri:");
        assertThat(images.records.rows).isEmpty();
    }

    private SoftwareImage create(String name, String format, String sha256) {
        return images.service.create(new ImageCreation(name, "acme", "1.0", sha256 == null ? null : "SHA-256", sha256,
                null, format, null, null, null, null, null, Map.of()));
    }

    private static AllocationRequest request(String imageId, String hostId) {
        return new AllocationRequest("vm", new ComputeFlavour(1, 256, 1), imageId, hostId, null, Map.of());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
