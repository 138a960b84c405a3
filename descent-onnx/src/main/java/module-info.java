/**
 * ONNX export of Descent's trained models ({@link dev.descent.onnx.OnnxExporter}), written with
 * the ONNX protobuf classes of Tribuo's {@code tribuo-util-onnx} (automatic modules
 * {@code org.tribuo.util.onnx} and {@code com.google.protobuf}).
 */
module dev.descent.onnx {
    requires dev.descent.core;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;

    exports dev.descent.onnx;
}
