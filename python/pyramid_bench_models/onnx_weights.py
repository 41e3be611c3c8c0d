"""Reads an ONNX file's initializers (and, for weight mapping, its nodes and inputs) without the `onnx` package:
a minimal protobuf reader over the fields of onnx.proto3 that a PyTorch export uses.

  ModelProto   7 graph
  GraphProto   1 node, 5 initializer, 11 input
  NodeProto    1 input, 2 output, 3 name, 4 op_type
  TensorProto  1 dims, 2 data_type, 4 float_data, 5 int32_data, 7 int64_data, 8 name, 9 raw_data, 10 double_data,
               13 data_location (external data is refused)
  ValueInfoProto 1 name
"""
import struct

import numpy as np

# TensorProto.DataType -> numpy dtype (little-endian raw_data)
DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32, 7: np.int64, 9: np.bool_,
          10: np.float16, 11: np.float64, 12: np.uint32, 13: np.uint64}


class OnnxReadError(ValueError):
    """The file is not an ONNX model this reader understands; the message names the file and the field."""


def _varint(b, i):
    result = 0
    shift = 0
    while True:
        if i >= len(b):
            raise OnnxReadError("truncated varint")
        c = b[i]
        i += 1
        result |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return result, i


def _fields(b, start, end):
    """Yields (field number, wire type, value) over b[start:end]; length-delimited values are (start, end) spans."""
    i = start
    while i < end:
        key, i = _varint(b, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(b, i)
        elif wire == 2:
            length, i = _varint(b, i)
            value = (i, i + length)
            i += length
        elif wire == 5:
            value = b[i:i + 4]
            i += 4
        elif wire == 1:
            value = b[i:i + 8]
            i += 8
        else:
            raise OnnxReadError(f"unsupported protobuf wire type {wire}")
        if i > end:
            raise OnnxReadError("field runs past the end of its message")
        yield field, wire, value


def _packed_varints(b, span):
    out = []
    i, end = span
    while i < end:
        v, i = _varint(b, i)
        out.append(v)
    return out


def _signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def _tensor(b, span, where):
    dims, data_type, name, raw = [], None, None, None
    floats, int32s, int64s, doubles = [], [], [], []
    for f, w, v in _fields(b, *span):
        if f == 1:
            dims.extend(_packed_varints(b, v) if w == 2 else [v])
        elif f == 2:
            data_type = v
        elif f == 4:
            floats.extend(struct.unpack(f"<{(v[1] - v[0]) // 4}f", b[v[0]:v[1]]) if w == 2 else struct.unpack("<f", v))
        elif f == 5:
            int32s.extend(_packed_varints(b, v) if w == 2 else [v])
        elif f == 7:
            int64s.extend(_packed_varints(b, v) if w == 2 else [v])
        elif f == 8:
            name = bytes(b[v[0]:v[1]]).decode("utf-8")
        elif f == 9:
            raw = bytes(b[v[0]:v[1]])
        elif f == 10:
            doubles.extend(struct.unpack(f"<{(v[1] - v[0]) // 8}d", b[v[0]:v[1]]) if w == 2 else struct.unpack("<d", v))
        elif f == 13 and v == 1:
            raise OnnxReadError(f"{where}: initializer {name!r} keeps its data in an external file, which is not supported")
    if data_type not in DTYPES:
        raise OnnxReadError(f"{where}: initializer {name!r} has unsupported data_type {data_type}")
    dtype = np.dtype(DTYPES[data_type])
    count = int(np.prod(dims)) if dims else 1
    if raw is not None:
        array = np.frombuffer(raw, dtype=dtype.newbyteorder("<")).astype(dtype)
    elif data_type == 1:
        array = np.array(floats, dtype=np.float32)
    elif data_type == 7:
        array = np.array([_signed64(v) for v in int64s], dtype=np.int64)
    elif data_type == 11:
        array = np.array(doubles, dtype=np.float64)
    elif data_type in (2, 3, 4, 5, 6, 9):
        array = np.array([_signed64(v) for v in int32s], dtype=np.int64).astype(dtype)
    else:
        raise OnnxReadError(f"{where}: initializer {name!r} of data_type {data_type} has no raw_data")
    if array.size != count:
        raise OnnxReadError(f"{where}: initializer {name!r} has {array.size} values for dims {dims}")
    return name, array.reshape(dims)


def _node(b, span):
    node = {"input": [], "output": [], "name": "", "op_type": ""}
    for f, _w, v in _fields(b, *span):
        if f in (1, 2):
            node["input" if f == 1 else "output"].append(bytes(b[v[0]:v[1]]).decode("utf-8"))
        elif f == 3:
            node["name"] = bytes(b[v[0]:v[1]]).decode("utf-8")
        elif f == 4:
            node["op_type"] = bytes(b[v[0]:v[1]]).decode("utf-8")
    return node


def read_graph(path):
    """The main graph of an ONNX file: {"initializers": {name: numpy array}, "nodes": [{input, output, name,
    op_type}] in file order, "inputs": [graph input names]}."""
    with open(path, "rb") as f:
        b = memoryview(f.read())
    graph = None
    try:
        for f, w, v in _fields(b, 0, len(b)):
            if f == 7 and w == 2:
                graph = v
    except (OnnxReadError, IndexError) as error:
        raise OnnxReadError(f"{path}: not a readable ONNX model ({error})") from None
    if graph is None:
        raise OnnxReadError(f"{path}: not an ONNX model (no graph, ModelProto field 7)")
    initializers, nodes, inputs = {}, [], []
    for f, w, v in _fields(b, *graph):
        if w != 2:
            continue
        if f == 5:
            name, array = _tensor(b, v, path)
            if name in initializers:
                raise OnnxReadError(f"{path}: initializer {name!r} appears twice")
            initializers[name] = array
        elif f == 1:
            nodes.append(_node(b, v))
        elif f == 11:
            for g, _w2, v2 in _fields(b, *v):
                if g == 1:
                    inputs.append(bytes(b[v2[0]:v2[1]]).decode("utf-8"))
    return {"initializers": initializers, "nodes": nodes, "inputs": inputs}


def read_initializers(path):
    """An ONNX file's initializers as {name: numpy array} (shape from dims, dtype from data_type)."""
    return read_graph(path)["initializers"]
