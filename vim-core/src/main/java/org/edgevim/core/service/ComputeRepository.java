package org.edgevim.core.service;

import java.util.List;
import java.util.Optional;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.VirtualCompute;

/** Persistence port for VM records. Implementations must make each call atomic. */
public interface ComputeRepository {

    void insert(VirtualCompute compute);

    /** Replaces the stored record with the same computeId. */
    void update(VirtualCompute compute);

    void delete(String computeId);

    Optional<VirtualCompute> find(String computeId);

    /** Records matching every filter that is non-null, oldest first. */
    List<VirtualCompute> list(String hostId, OperationalState state);
}
