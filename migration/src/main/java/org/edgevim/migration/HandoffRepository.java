package org.edgevim.migration;

import java.util.List;
import java.util.Optional;

/** Where handoffs live. Every change is stored before the VIM acts on it. */
public interface HandoffRepository {

    void insert(Handoff handoff);

    void update(Handoff handoff);

    Optional<Handoff> find(String handoffId);

    /** Newest first; computeId optional. */
    List<Handoff> list(String computeId);

    /** Handoffs not in a final state. */
    List<Handoff> unfinished();
}
