"""The PyTorch factory for the moving-shapes model packages (checkpoints/shapes-*): builds training/model.py's
PyramidDiT for one network of a package and loads its weights from the network's ONNX file, which training/export.py
wrote from that same class (the packages carry no .pt files).

The ONNX export folded some weights into constants, which are mapped back here:
  - Linear weights used by MatMul appear transposed as `onnx::MatMul_*`; each is identified by the Add that
    follows its MatMul and adds a named `model.<linear>.bias`.
  - Embedding rows picked with constant indices appear as `onnx::Add_*` [1, 1, 1, dim] constants. Each is
    identified by the token stream it is added to (the graph input it depends on: x, or hist_<l>) and its place
    in that stream's chain, which follows PyramidDiT._tokens: `+ level_embed(level) + role_embed[role]`. A level
    row is also checked for equality with `model.level_embed.weight` when the file keeps it (the pyramid network).
Rows the graph never uses (role 0 and history embedding in networks without history) are set to 0. Anything left
unmatched, matched twice or inconsistent raises ShapesWeightError naming the file and the initializer.

The returned module takes keyword arguments named by the network entry's `inputs` values and returns the velocity
[B, C, F, h, w], as the ONNX network does (docs/model-format.md); history levels may have 0 frames.
"""
import importlib.util
import inspect
import os
import sys

import numpy as np
import torch

from .onnx_weights import read_graph

TRAINING = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))
CONFIG_KEYS = {"heads", "mlp_ratio"}


class ShapesWeightError(ValueError):
    """The ONNX file's initializers do not map one-to-one onto PyramidDiT's parameters."""


def _training_modules():
    """training/export.py (wrapper classes) and the PyramidDiT class it builds, imported by path (not copied)."""
    name = "pyramid_bench_training_export"
    export = sys.modules.get(name)
    if export is None:
        spec = importlib.util.spec_from_file_location(name, os.path.join(TRAINING, "export.py"))
        export = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(export)  # puts training/ on sys.path and imports train -> model
        sys.modules[name] = export
    cls = sys.modules["train"].PyramidDiT
    source = os.path.normpath(inspect.getsourcefile(cls))
    if source != os.path.join(TRAINING, "model.py"):
        raise ImportError(f"PyramidDiT was imported from {source}, expected {os.path.join(TRAINING, 'model.py')} (a module named 'model' shadows it)")
    return export, cls


class ShapesNetwork(torch.nn.Module):
    """Calls one of export.py's wrappers (PyramidNet, PlainNet, SuperResolutionNet) with keyword arguments named
    as in the manifest's `inputs`; `order` lists those names in the wrapper's positional order."""

    def __init__(self, wrapper, order):
        super().__init__()
        self.wrapper = wrapper
        self.order = list(order)

    def forward(self, **feeds):
        missing = [n for n in self.order if n not in feeds]
        extra = sorted(set(feeds) - set(self.order))
        if missing or extra:
            raise TypeError(f"shapes network takes inputs {self.order}; missing {missing}, unexpected {extra}")
        return self.wrapper(*[feeds[n] for n in self.order])


def _sources(graph, data_inputs, tracked):
    """For every tensor name, the set of data inputs and tracked node outputs it depends on (nodes are in
    topological order in an ONNX file)."""
    deps = {n: frozenset([n]) for n in data_inputs}
    for node in graph["nodes"]:
        got = frozenset().union(*[deps.get(i, frozenset()) for i in node["input"]])
        for out in node["output"]:
            deps[out] = got | ({out} if out in tracked else frozenset())
    return deps


def _fold_linear_weights(graph, where, state):
    """`onnx::MatMul_*` initializers -> `model.<linear>.weight` (transposed), by the bias Add after each MatMul."""
    inits = graph["initializers"]
    consumers = {}
    for node in graph["nodes"]:
        for i in node["input"]:
            consumers.setdefault(i, []).append(node)
    for node in graph["nodes"]:
        if node["op_type"] != "MatMul":
            continue
        folded = [i for i in node["input"] if i in inits and not i.startswith("model.")]
        if not folded:
            continue
        if len(folded) != 1 or node["input"][1] != folded[0]:
            raise ShapesWeightError(f"{where}: MatMul {node['name']!r} has an unexpected constant operand layout {node['input']}")
        biases = []
        for add in consumers.get(node["output"][0], []):
            if add["op_type"] == "Add":
                biases += [i for i in add["input"] if i.startswith("model.") and i.endswith(".bias") and i in inits]
        if len(biases) != 1:
            raise ShapesWeightError(f"{where}: initializer {folded[0]!r} (MatMul {node['name']!r}): expected one bias Add after it, found {biases}")
        weight = biases[0][: -len(".bias")] + ".weight"
        if weight in state:
            raise ShapesWeightError(f"{where}: initializer {folded[0]!r} maps to {weight}, which is already set")
        state[weight] = inits[folded[0]].T.copy()


def _fold_embedding_rows(graph, where, state, levels, current_has_level):
    """`onnx::Add_*` [1, 1, 1, dim] constants -> level_embed / role_embed rows, by stream and place in the chain."""
    inits = graph["initializers"]
    constants = {n for n, a in inits.items() if not n.startswith("model.") and a.ndim == 4 and a.shape[:3] == (1, 1, 1)}
    adds = [node for node in graph["nodes"] if node["op_type"] == "Add" and any(i in constants for i in node["input"])]
    streams = ["x"] + [f"hist_{level}" for level in range(levels)]
    deps = _sources(graph, [s for s in streams if s in graph["inputs"]], {a["output"][0] for a in adds})
    chains = {s: [] for s in streams}
    for add in adds:
        const = [i for i in add["input"] if i in constants]
        other = [i for i in add["input"] if i not in constants]
        if len(const) != 1 or len(other) != 1:
            raise ShapesWeightError(f"{where}: Add {add['name']!r} over {add['input']} is not tokens + one folded embedding row")
        found = [s for s in streams if s in deps.get(other[0], ())]
        stream = [s for s in found if s != "x"] or found
        if len(stream) != 1:
            raise ShapesWeightError(f"{where}: initializer {const[0]!r} is added to tokens of {found or 'no data input'}; expected exactly one of {streams}")
        # place in the chain: how many earlier folded Adds of the chain this one depends on
        place = sum(1 for a in adds if a is not add and a["output"][0] in deps.get(other[0], ()))
        chains[stream[0]].append((place, const[0]))
    # what each chain must hold, in order (PyramidDiT._tokens: + level_embed(level) + role_embed[role])
    expected = {"x": ([] if current_has_level else [("level", 0)]) + [("role", 1)]}
    for level in range(levels):
        expected[f"hist_{level}"] = [("level", level), ("role", 0)]
    meaning = {}
    for stream, want in expected.items():
        got = [c for _, c in sorted(chains[stream])]
        places = sorted(p for p, _ in chains[stream])
        if len(got) != len(want) or len(set(places)) != len(places):
            raise ShapesWeightError(f"{where}: the {stream} tokens get folded embedding rows {got}; expected {len(want)} ({', '.join(f'{k} {r}' for k, r in want)}) in a chain")
        for name, row in zip(got, want):
            if meaning.setdefault(name, row) != row:
                raise ShapesWeightError(f"{where}: initializer {name!r} is used as {meaning[name]} and as {row}")
    for name in sorted(constants - set(meaning)):
        raise ShapesWeightError(f"{where}: initializer {name!r} {list(inits[name].shape)} matches no embedding row")
    rows = {}
    for name, row in meaning.items():
        value = inits[name].reshape(-1)
        if row in rows and not np.array_equal(rows[row], value):
            raise ShapesWeightError(f"{where}: {row[0]}_embed row {row[1]} is given twice with different values (initializer {name!r})")
        rows[row] = value
    return rows


def load_onnx_weights(model, path):
    """Fills `model` (a PyramidDiT) from the ONNX file training/export.py wrote from it; strict and loud."""
    graph = read_graph(path)
    inits = graph["initializers"]
    params = model.state_dict()
    state = {n[len("model."):]: a for n, a in inits.items() if n.startswith("model.")}
    unknown = sorted(n for n in state if n not in params)
    if unknown:
        raise ShapesWeightError(f"{path}: initializer 'model.{unknown[0]}' is not a parameter of the model")
    linear = {}
    _fold_linear_weights(graph, path, linear)
    for name, value in linear.items():
        key = name[len("model."):]
        if key not in params or key in state:
            raise ShapesWeightError(f"{path}: folded MatMul weight maps to {name}, which is {'set twice' if key in state else 'not a model parameter'}")
        state[key] = value
    has_level = "level_embed.weight" in state
    rows = _fold_embedding_rows(graph, path, state, model.levels, has_level)
    for (kind, index), value in rows.items():
        key = f"{kind}_embed.weight"
        if kind == "level" and has_level:
            if not np.array_equal(state[key][index], value):
                raise ShapesWeightError(f"{path}: the folded level {index} row differs from model.level_embed.weight[{index}]")
            continue
        table = state.setdefault(key, np.zeros(tuple(params[key].shape), dtype=np.float32))
        table[index] = value
    if model.levels == 0:
        # networks without history never use the history patch embedding; the export dropped it
        for key in ("embed_hist.weight", "embed_hist.bias"):
            state.setdefault(key, np.zeros(tuple(params[key].shape), dtype=np.float32))
    missing = sorted(k for k in params if k not in state)
    if missing:
        raise ShapesWeightError(f"{path}: no initializer gives model parameter {missing[0]} (missing: {', '.join(missing)})")
    tensors = {}
    for key, value in state.items():
        if tuple(value.shape) != tuple(params[key].shape):
            raise ShapesWeightError(f"{path}: {key} has shape {list(value.shape)} in the file, the model has {list(params[key].shape)}")
        tensors[key] = torch.from_numpy(np.ascontiguousarray(value, dtype=np.float32))
    model.load_state_dict(tensors, strict=True)


def _hyperparameters(inits, network, package, config, where):
    """PyramidDiT arguments: from the weights where they show, from the torch config otherwise (heads)."""
    unknown = sorted(set(config) - CONFIG_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown torch config key {unknown[0]!r}; allowed: {', '.join(sorted(CONFIG_KEYS))}")
    if not isinstance(config.get("heads"), int) or config["heads"] < 1:
        raise ValueError(f"{where}: torch config needs 'heads', a positive integer (attention heads are not visible in the weights)")
    for key in ("model.embed_x.weight", "model.final.bias", "model.class_embed.weight", "model.blocks.0.mlp.0.bias"):
        if key not in inits:
            raise ShapesWeightError(f"{where}: initializer {key!r} is missing; not a shapes PyramidDiT export")
    dim, in_ch, patch, patch_w = inits["model.embed_x.weight"].shape
    channels = inits["model.final.bias"].shape[0] // (patch * patch)
    depth = len({n.split(".")[2] for n in inits if n.startswith("model.blocks.")})
    mlp_hidden = inits["model.blocks.0.mlp.0.bias"].shape[0]
    role = network["role"]
    hp = dict(channels=channels, height=network["height"], width=network["width"], patch=patch, dim=dim, depth=depth, heads=config["heads"],
              mlp_ratio=mlp_hidden // dim, classes=inits["model.class_embed.weight"].shape[0] - 1,
              levels=inits["model.level_embed.weight"].shape[0] if role == "pyramid" and "model.level_embed.weight" in inits else 0,
              low_res_input=in_ch == 2 * channels, refine=inits["model.refine_in.weight"].shape[0] if "model.refine_in.weight" in inits else 0)
    checks = [
        (patch == patch_w, f"embed_x kernel {patch}x{patch_w} is not square"),
        (mlp_hidden == hp["mlp_ratio"] * dim, f"mlp hidden width {mlp_hidden} is not a multiple of dim {dim}"),
        (config.get("mlp_ratio", hp["mlp_ratio"]) == hp["mlp_ratio"], f"torch config mlp_ratio {config.get('mlp_ratio')} but the weights say {hp['mlp_ratio']}"),
        (dim % config["heads"] == 0, f"dim {dim} is not divisible by heads {config['heads']}"),
        (hp["low_res_input"] == (role == "cascade-super-resolution"), f"embed_x takes {in_ch} channels, which does not fit role {role}"),
        (channels == package["sample"]["channels"], f"the weights give {channels} channels, the manifest sample has {package['sample']['channels']}"),
        (role != "pyramid" or hp["levels"] == len(network["inputs"].get("history", [])), f"{hp['levels']} level embeddings but {len(network['inputs'].get('history', []))} history inputs"),
    ]
    for ok, message in checks:
        if not ok:
            raise ShapesWeightError(f"{where}: {message}")
    return hp


def build(spec):
    """The worker's factory: spec = {package, directory, network, weights, config}; returns an eval-mode float32
    CPU module whose forward takes the network's inputs by their manifest names and returns the velocity."""
    network, package = spec["network"], spec["package"]
    weights = spec["weights"]
    if len(weights) != 1 or not str(weights[0]).endswith(".onnx"):
        raise ValueError(f"{spec.get('directory')}: network {network.get('file')} needs exactly one .onnx weights file, got {weights}")
    path = weights[0]
    export, cls = _training_modules()
    graph_inits = read_graph(path)["initializers"]
    hp = _hyperparameters(graph_inits, network, package, spec.get("config") or {}, path)
    model = cls(**hp)
    load_onnx_weights(model, path)
    names = network["inputs"]
    role = network["role"]
    if role == "pyramid":
        if len(names.get("history", [])) != 3:
            raise ValueError(f"{path}: export.py's PyramidNet takes 3 history levels, the manifest names {names.get('history')}")
        wrapper = export.PyramidNet(model)
        order = [names["x"], names["timestep"], names["label"], names["frame0"], names["level"], *names["history"], names["historyLayout"]]
    elif role == "cascade-super-resolution":
        wrapper = export.SuperResolutionNet(model)
        order = [names["x"], names["timestep"], names["label"], names["lowRes"]]
    else:
        wrapper = export.PlainNet(model)
        order = [names["x"], names["timestep"], names["label"]]
    return ShapesNetwork(wrapper, order).float().eval()
