package org.edgevim.libvirt;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Storage volume XML: a VM's qcow2 overlay on a base image, and upload targets for images. */
final class VolumeXml {

    private VolumeXml() {
    }

    /** An empty volume of the given format to upload an image into (its size grows with the upload). */
    static String upload(String name, String format) {
        Document doc = XmlDocuments.newDocument();
        Element volume = doc.createElement("volume");
        doc.appendChild(volume);
        XmlDocuments.child(volume, "name", name);
        XmlDocuments.child(volume, "capacity", "0").setAttribute("unit", "bytes");
        XmlDocuments.child(XmlDocuments.child(volume, "target"), "format").setAttribute("type", format);
        return XmlDocuments.serialize(doc);
    }

    /** @param backingFormat {@code qcow2} or {@code raw}: stated, never probed (a probed raw image could claim to be qcow2) */
    static String overlay(String name, long capacityBytes, String backingPath, String backingFormat) {
        Document doc = XmlDocuments.newDocument();
        Element volume = doc.createElement("volume");
        doc.appendChild(volume);
        XmlDocuments.child(volume, "name", name);
        XmlDocuments.child(volume, "capacity", Long.toString(capacityBytes)).setAttribute("unit", "bytes");
        Element target = XmlDocuments.child(volume, "target");
        XmlDocuments.child(target, "format").setAttribute("type", "qcow2");
        Element backing = XmlDocuments.child(volume, "backingStore");
        XmlDocuments.child(backing, "path", backingPath);
        XmlDocuments.child(backing, "format").setAttribute("type", backingFormat);
        return XmlDocuments.serialize(doc);
    }
}
