/**
 * The {@code descent} command line. An application, so it exports no package; picocli reads
 * and sets the commands' option fields by reflection, so their packages are open to it.
 */
module dev.descent.cli {
    requires dev.descent.core;
    requires dev.descent.onnx;
    requires info.picocli;
    requires org.jfree.jfreechart;
    requires VectorGraphics2D;
    requires java.desktop;
    requires java.management;
    requires jdk.httpserver;

    opens dev.descent.cli to info.picocli;
}
