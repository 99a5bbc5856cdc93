package org.edgevim.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class DomainXmlTest {

    private static final String ID = "0b5e7c1a-1111-4a2b-9c3d-123456789abc";

    private static DomainDefinition definition(String title, Map<String, String> metadata) {
        return new DomainDefinition("qemu", ID, title, "edge-guest", 2, 512, "/pool/edge-guest.vmlinuz",
                "/pool/edge-guest.initrd", "root=/dev/vda rw console=ttyS0 vim.dirty_mibps=20", "/pool/" + ID + ".qcow2",
                "/var/log/libvirt/qemu/" + ID + ".console.log", metadata);
    }

    @Test
    void writesTheDomainWeMean() {
        Document doc = XmlDocuments.parse(DomainXml.write(definition("web", Map.of())));
        Element domain = doc.getDocumentElement();

        assertThat(domain.getAttribute("type")).isEqualTo("qemu");
        assertThat(text(doc, "name")).isEqualTo(ID);
        assertThat(text(doc, "uuid")).isEqualTo(ID);
        assertThat(text(doc, "memory")).isEqualTo("512");
        assertThat(((Element) doc.getElementsByTagName("memory").item(0)).getAttribute("unit")).isEqualTo("MiB");
        assertThat(text(doc, "vcpu")).isEqualTo("2");
        assertThat(text(doc, "kernel")).isEqualTo("/pool/edge-guest.vmlinuz");
        assertThat(text(doc, "cmdline")).endsWith("vim.dirty_mibps=20");
        assertThat(((Element) doc.getElementsByTagName("source").item(0)).getAttribute("file")).endsWith(ID + ".qcow2");
        Element log = (Element) doc.getElementsByTagName("log").item(0);
        assertThat(log.getAttribute("append")).isEqualTo("on");
        assertThat(doc.getElementsByTagName("acpi").getLength()).isEqualTo(1);
    }

    @Test
    void hostileStringsAreEscapedNotInterpreted() {
        String title = "<x>'&\"</x>";
        Map<String, String> metadata = Map.of("note", "]]></vim:entry><devices><disk/></devices>", "k", "a&b<c>");
        String xml = DomainXml.write(definition(title, metadata));

        Document doc = XmlDocuments.parse(xml);
        assertThat(text(doc, "title")).isEqualTo(title);
        assertThat(doc.getElementsByTagName("disk").getLength()).isEqualTo(1); // no injected device
        Element compute = (Element) doc.getElementsByTagNameNS(DomainXml.VIM_NAMESPACE, "compute").item(0);
        assertThat(compute).isNotNull();
        assertThat(DomainXml.readMetadata(xml)).isEqualTo(metadata);
        String forSetMetadata = DomainXml.metadataXml(title, "edge-guest", metadata);
        assertThat(forSetMetadata).doesNotContain("xmlns"); // libvirt adds the namespace itself
        assertThat(DomainXml.readMetadata(forSetMetadata)).isEqualTo(metadata);
        assertThat(DomainXml.readField(forSetMetadata, "name")).isEqualTo(title);
    }

    @Test
    void bootsFromTheDiskWhenTheImageHasNoKernel() {
        var def = new DomainDefinition("kvm", ID, "web", "img", 1, 256, null, null, null, "/p/d.qcow2", "/l/c.log", Map.of());
        Document doc = XmlDocuments.parse(DomainXml.write(def));
        assertThat(doc.getElementsByTagName("kernel").getLength()).isZero();
        assertThat(((Element) doc.getElementsByTagName("boot").item(0)).getAttribute("dev")).isEqualTo("hd");
    }

    @Test
    void refusesDomainNamesThatAreNotComputeIds() {
        assertThatThrownBy(() -> new DomainDefinition("qemu", "../x", "t", "i", 1, 256, null, null, null, "d", "l", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesXmlWithADoctype() {
        assertThatThrownBy(() -> XmlDocuments.parse("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void overlayVolumePointsAtItsBackingImage() {
        Document doc = XmlDocuments.parse(VolumeXml.overlay(ID + ".qcow2", 1L << 30, "/pool/edge-guest.raw", "raw"));
        assertThat(text(doc, "name")).isEqualTo(ID + ".qcow2");
        assertThat(text(doc, "capacity")).isEqualTo(Long.toString(1L << 30));
        assertThat(text(doc, "path")).isEqualTo("/pool/edge-guest.raw");
        // the backing format is stated, never probed: a probed raw image could pass itself off as qcow2
        assertThat(((org.w3c.dom.Element) doc.getElementsByTagName("format").item(1)).getAttribute("type"))
                .isEqualTo("raw");
    }

    @Test
    void uploadVolumesAreNamedByImageIdAndKind() {
        var kernel = new org.edgevim.core.image.ImageRef("img-1", org.edgevim.core.image.DiskFormat.AKI, 10, "00");
        var disk = new org.edgevim.core.image.ImageRef("img-2", org.edgevim.core.image.DiskFormat.QCOW2, 10, "00");
        assertThat(ImageVolumes.name(kernel)).isEqualTo("img-1.kernel");
        assertThat(ImageVolumes.name(disk)).isEqualTo("img-2.qcow2");
        assertThat(ImageVolumes.volumeFormat(kernel.format())).isEqualTo("raw");
        Document doc = XmlDocuments.parse(VolumeXml.upload("img-2.qcow2", "raw"));
        assertThat(text(doc, "capacity")).isEqualTo("0");
    }

    private static String text(Document doc, String tag) {
        return doc.getElementsByTagName(tag).item(0).getTextContent();
    }
}
