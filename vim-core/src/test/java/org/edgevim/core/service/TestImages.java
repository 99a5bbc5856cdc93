package org.edgevim.core.service;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.edgevim.core.event.NotificationPublisher;
import org.edgevim.core.image.ImageCreation;
import org.edgevim.core.image.ImageDistribution;
import org.edgevim.core.image.ImageIngest;
import org.edgevim.core.image.ImageService;
import org.edgevim.core.image.SoftwareImage;

/** A real ImageService over in-memory records and bytes, for tests of the core. */
final class TestImages {

    final InMemoryRepositories.Images records = new InMemoryRepositories.Images();
    final InMemoryImageStore store = new InMemoryImageStore();
    final ImageService service;

    TestImages(ComputeRepository computes, HostRegistry hosts, NotificationPublisher notifications) {
        this(computes, hosts, notifications, Executors.newFixedThreadPool(4));
    }

    TestImages(ComputeRepository computes, HostRegistry hosts, NotificationPublisher notifications, Executor copies) {
        ImageIngest ingest = new ImageIngest(store, store, 1 << 20);
        ImageDistribution distribution = new ImageDistribution(records, store, hosts, copies, 0, Clock.systemUTC());
        service = new ImageService(records, store, ingest, source -> {
            throw new java.io.IOException("no network in unit tests");
        }, distribution, computes, hosts, notifications, Runnable::run, Clock.systemUTC());
    }

    /** Creates and uploads a qcow2 disk image of 1 GiB virtual size; returns it ACTIVE. */
    SoftwareImage activeDisk(String name) {
        return upload(name, "qcow2", InMemoryImageStore.qcow2(1L << 30, 0), null);
    }

    SoftwareImage upload(String name, String format, byte[] bytes, String kernelImageId) {
        SoftwareImage created = service.create(new ImageCreation(name, null, null, null, null, null, format, null,
                null, kernelImageId, null, null, Map.of()));
        return service.upload(created.imageId(), new ByteArrayInputStream(bytes), bytes.length);
    }
}
