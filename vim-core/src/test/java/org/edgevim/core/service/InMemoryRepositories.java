package org.edgevim.core.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    private InMemoryRepositories() {
    }
}
