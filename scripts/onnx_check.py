#!/usr/bin/python3
"""Checks exported ONNX models with ONNX's own checker (Debian's python3-onnx), independently of
ONNX Runtime: the graph, the operator schemas of the imported opsets, and with full_check the
shape inference of every node. Prints one line per file; exits 1 when any file fails.

Usage: scripts/onnx_check.py model.onnx [more.onnx ...]
"""
import sys

import onnx


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        try:
            model = onnx.load(path)
            onnx.checker.check_model(model, full_check=True)
        except Exception as e:  # the checker raises ValidationError, the loader DecodeError or OSError
            failed += 1
            print(f"{path}: FAILED: {type(e).__name__}: {e}".splitlines()[0])
            continue
        opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
        inputs = ", ".join(i.name for i in model.graph.input)
        outputs = ", ".join(o.name for o in model.graph.output)
        print(f"{path}: ok (onnx {onnx.__version__} checker, full_check; opsets {opsets};"
              f" {len(model.graph.node)} nodes; inputs {inputs}; outputs {outputs})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
