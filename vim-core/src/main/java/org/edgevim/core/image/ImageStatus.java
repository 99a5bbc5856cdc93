package org.edgevim.core.image;

/**
 * Life of an image record (Glance's states, IFA 005's "deletion suspension" as PENDING_DELETE).
 * QUEUED -> SAVING -> ACTIVE, or -> KILLED when the bytes fail verification; an interrupted upload
 * goes back to QUEUED. A delete while VMs use the image goes to PENDING_DELETE until the last is gone.
 * DELETED is never stored: it is the status the last notification about an image carries.
 */
public enum ImageStatus {
    QUEUED, SAVING, ACTIVE, KILLED, PENDING_DELETE, DELETED
}
