package org.edgevim.libvirt;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.libvirt.Library;
import org.libvirt.LibvirtException;

/**
 * libvirt's default event loop, run once per JVM on a daemon thread. It must be registered before
 * the first connection is opened, otherwise lifecycle events never arrive and keep-alive cannot
 * notice a dead daemon.
 */
final class LibvirtEventLoop {

    private static final Logger LOG = Logger.getLogger(LibvirtEventLoop.class.getName());
    private static boolean started;

    private LibvirtEventLoop() {
    }

    static synchronized void ensureRunning() {
        if (started) {
            return;
        }
        try {
            Library.initEventLoop();
        } catch (LibvirtException e) {
            throw new IllegalStateException("Cannot initialise libvirt's event loop: " + e.getMessage(), e);
        }
        Thread thread = new Thread(LibvirtEventLoop::run, "libvirt-event-loop");
        thread.setDaemon(true);
        thread.start();
        started = true;
    }

    private static void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Library.processEvent();
            } catch (LibvirtException e) {
                LOG.log(Level.WARNING, "libvirt event loop iteration failed", e);
            } catch (RuntimeException e) {
                // A listener threw: log it and keep the loop alive, or every host goes deaf.
                LOG.log(Level.SEVERE, "Uncaught exception in a libvirt event callback", e);
            }
        }
    }
}
