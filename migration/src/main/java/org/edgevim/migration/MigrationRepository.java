package org.edgevim.migration;

import java.util.List;
import java.util.Optional;

/** Where migration records live. Every change is stored before the migration acts on it. */
public interface MigrationRepository {

    void insert(Migration migration);

    void update(Migration migration);

    Optional<Migration> find(String migrationId);

    /** Newest first; computeId optional (null = all VMs). */
    List<Migration> list(String computeId);

    /** Migrations not in a final state. */
    List<Migration> unfinished();
}
