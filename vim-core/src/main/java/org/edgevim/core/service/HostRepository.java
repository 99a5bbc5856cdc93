package org.edgevim.core.service;

import java.util.List;
import java.util.Optional;
import org.edgevim.core.model.EdgeHost;

/** Persistence port for registered edge hosts. */
public interface HostRepository {

    /** Inserts, or replaces the host with the same id. */
    void save(EdgeHost host);

    Optional<EdgeHost> find(String hostId);

    List<EdgeHost> list();
}
