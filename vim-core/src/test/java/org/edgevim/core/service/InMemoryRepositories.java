package org.edgevim.core.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.edgevim.core.image.ImageLocation;
import org.edgevim.core.image.ImageRepository;
import org.edgevim.core.image.ImageStatus;
import org.edgevim.core.image.SoftwareImage;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.VirtualCompute;

/** Repositories backed by maps, for tests of the core without a database. */
final class InMemoryRepositories {

    static final class Computes implements ComputeRepository {
        final Map<String, VirtualCompute> rows = new ConcurrentHashMap<>();

        @Override
        public void insert(VirtualCompute compute) {
            if (rows.putIfAbsent(compute.computeId(), compute) != null) {
                throw new IllegalStateException("duplicate " + compute.computeId());
            }
        }

        @Override
        public void update(VirtualCompute compute) {
            rows.replace(compute.computeId(), compute);
        }

        @Override
        public void delete(String computeId) {
            rows.remove(computeId);
        }

        @Override
        public Optional<VirtualCompute> find(String computeId) {
            return Optional.ofNullable(rows.get(computeId));
        }

        @Override
        public List<VirtualCompute> list(String hostId, OperationalState state) {
            return rows.values().stream()
                    .filter(c -> hostId == null || c.hostId().equals(hostId))
                    .filter(c -> state == null || c.operationalState() == state)
                    .sorted(Comparator.comparing(VirtualCompute::createdAt))
                    .toList();
        }
    }

    static final class Hosts implements HostRepository {
        final Map<String, EdgeHost> rows = new ConcurrentHashMap<>();

        @Override
        public void save(EdgeHost host) {
            rows.put(host.hostId(), host);
        }

        @Override
        public Optional<EdgeHost> find(String hostId) {
            return Optional.ofNullable(rows.get(hostId));
        }

        @Override
        public List<EdgeHost> list() {
            return new ArrayList<>(rows.values()).stream().sorted(Comparator.comparing(EdgeHost::hostId)).toList();
        }
    }

    static final class Images implements ImageRepository {
        final Map<String, SoftwareImage> rows = new ConcurrentHashMap<>();

        @Override
        public void insert(SoftwareImage image) {
            if (rows.putIfAbsent(image.imageId(), image) != null) {
                throw new IllegalStateException("duplicate " + image.imageId());
            }
        }

        @Override
        public void update(SoftwareImage image) {
            rows.computeIfPresent(image.imageId(), (id, old) -> keepLocations(image, old));
        }

        @Override
        public Optional<SoftwareImage> find(String imageId) {
            return Optional.ofNullable(rows.get(imageId));
        }

        @Override
        public List<SoftwareImage> list(String name, String version, ImageStatus status) {
            return rows.values().stream()
                    .filter(i -> name == null || i.name().equals(name))
                    .filter(i -> version == null || version.equals(i.version()))
                    .filter(i -> status == null || i.status() == status)
                    .sorted(Comparator.comparing(SoftwareImage::createdAt)).toList();
        }

        @Override
        public void delete(String imageId) {
            rows.remove(imageId);
        }

        @Override
        public void saveLocation(String imageId, ImageLocation location) {
            rows.computeIfPresent(imageId, (id, old) -> old.withLocation(location));
        }

        @Override
        public void removeLocation(String imageId, String hostId) {
            rows.computeIfPresent(imageId, (id, old) -> old.withoutLocation(hostId));
        }

        private static SoftwareImage keepLocations(SoftwareImage image, SoftwareImage old) {
            SoftwareImage result = image;
            for (String host : image.locations().stream().map(ImageLocation::hostId).toList()) {
                result = result.withoutLocation(host);
            }
            for (ImageLocation l : old.locations()) {
                result = result.withLocation(l);
            }
            return result;
        }
    }

    private InMemoryRepositories() {
    }
}
