package org.edgevim.core.driver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.model.ComputeOperation;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.TerminationType;

/**
 * The contract every backend implements, one instance per edge host. Modelled on Nova's virt
 * driver: each method states what it guarantees, and the core relies on exactly that.
 *
 * <p>Common duties: methods are thread-safe; an unreachable host raises
 * {@link HostUnavailableException} (never a raw backend exception); a backend failure raises
 * {@link org.edgevim.core.error.BackendException} with a message an operator can act on.
 * Drivers only see and touch VMs created by the VIM (named by their computeId).
 */
public interface ComputeDriver extends AutoCloseable {

    /** The edge host this driver instance serves. */
    String hostId();

    /**
     * Checks that the host answers. Cheap enough to call from a health check; re-establishes a
     * lost connection (e.g. after the host's daemon restarted).
     *
     * @throws HostUnavailableException if it does not answer
     */
    void probe();

    /**
     * Creates the VM's disk from the image and starts the VM. Returns once the backend reports it
     * running. If this fails, any partial VM (definition, disk) has been removed before the
     * exception is thrown: a failed allocate leaves nothing behind.
     *
     * @throws org.edgevim.core.error.NotFoundException if the image is not available on this host
     */
    ComputeInstance allocate(ComputeSpec spec);

    /** The VM's current state, or empty if the host has no such VM. */
    Optional<ComputeInstance> find(String computeId);

    /** Every VM the VIM created on this host. */
    List<ComputeInstance> list();

    /** Stores the metadata with the VM on the host, where the backend supports it. */
    void updateMetadata(String computeId, Map<String, String> metadata);

    /**
     * Carries out an operation and waits until the VM reaches the operation's resulting state.
     * For STOP and REBOOT the guest is asked first (ACPI); if it has not complied within
     * {@code gracefulTimeout}, STOP destroys it and REBOOT resets it.
     *
     * @return the state reached
     */
    OperationalState operate(String computeId, ComputeOperation operation, Duration gracefulTimeout);

    /**
     * Stops the VM (gracefully first, if asked), removes its definition and releases its disk.
     * Succeeds when the VM is already gone: terminate is idempotent.
     */
    void terminate(String computeId, TerminationType type, Duration gracefulTimeout);

    // --- Live migration, split between target and source as in Nova's driver contract. -----------

    /**
     * Target side, before a migration: creates the VM's disk on this host from the image (which
     * must be present here) so the source can copy only what the VM changed. Undone by
     * {@link #releaseDisk(String)} if the migration does not happen.
     */
    void prepareMigrationTarget(ComputeSpec spec);

    /**
     * Source side, before an offline migration: starts the stopped VM with its vCPUs paused from
     * the first instruction (the guest never runs), the form in which {@link #migrate} can move a
     * stopped VM with its disk. Returns once the VM is PAUSED.
     */
    void startPaused(String computeId);

    /**
     * Source side: moves the running VM to the target and returns when it runs there (its
     * definition moves with it). If this throws, the VM still runs here, unchanged, and the
     * caller rolls back the target; past success only {@link #releaseDisk(String)} on this host remains.
     *
     * <p>With {@link MigrationOptions#held()}, the copy is kept in sync with the running VM but
     * does not switch over: this call blocks until {@link #releaseMigration(String)} (the VM then
     * completes on the target within a short pause) or {@link #abortMigration(String)} (it throws,
     * the VM still runs here). A driver makes a best effort to hold; if the backend switches over
     * by itself anyway, this returns as for an ordinary migration and the VM runs on the target.
     */
    void migrate(String computeId, MigrationTarget target, MigrationOptions options);

    /** Whether {@link #migrate} can hold a copy in sync until released (a memory shadow). */
    default boolean canHoldMigration() {
        return false;
    }

    /**
     * Source side: lets a held migration switch over now. Returns once the switch-over was
     * requested; {@link #migrate} returns when the VM runs on the target.
     *
     * @throws org.edgevim.core.error.ConflictException if no held migration of the VM runs here
     */
    default void releaseMigration(String computeId) {
        throw new org.edgevim.core.error.ConflictException("Edge host '" + hostId()
                + "' cannot hold a migration open, so there is none to release for VM " + computeId);
    }

    /** Source side: the progress of the VM's current or last migration job. */
    MigrationProgress migrationProgress(String computeId);

    /**
     * After {@link #migrate} returned: the completed migration's figures as this host recorded them
     * (downtime included where the backend measures it), or {@link MigrationProgress#NONE}. Asked of
     * the target first; of the source when the target's record lacks the downtime (post-copy).
     */
    MigrationProgress completedMigration(String computeId);

    /** Source side: aborts a running migration; the VM keeps running here. */
    void abortMigration(String computeId);

    /**
     * Removes the VM's disk from this host when the VM is not defined here: the source's after a
     * completed migration, the target's after one that failed. Idempotent.
     */
    void releaseDisk(String computeId);

    /** The host's physical resources, as the host reports them. */
    HostResources resources();

    /** The host's cache of images, which VMs on it boot from. */
    HostImageCache images();

    /** Releases the connection; the driver is unusable afterwards. */
    @Override
    void close();
}
