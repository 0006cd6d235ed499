"""Long per-step traces of Keras's Adam family (JAX backend, float64) and pytorch_optimizer's
AdaBelief, as test fixtures (see torch_traces.py for the format). Gradients are PyTorch autograd's of
the objectives in gradients.py.

    python tools/reference/keras_adabelief_traces.py Tests/AdamLabCoreTests/Fixtures/long
"""

import json
import os
import struct
from importlib.metadata import version
import sys

os.environ["KERAS_BACKEND"] = "jax"
import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import pytorch_optimizer  # noqa: E402
import torch  # noqa: E402

from gradients import ackley, beale, rosenbrock  # noqa: E402
from torch_traces import run  # noqa: E402

keras.config.set_floatx("float64")
torch.set_default_dtype(torch.float64)
STEPS = 3000

OBJECTIVES = {
    "rosenbrock": (rosenbrock, [-1.0, 1.5]),
    "beale": (beale, [1.0, 1.5]),
    "ackley": (ackley, [-3.3, 2.2]),
}

KERAS = [
    ("adam", keras.optimizers.Adam, {"learning_rate": 0.02}, "adam lr=0.02", ["rosenbrock", "beale"]),
    ("amsgrad", keras.optimizers.Adam, {"learning_rate": 0.02, "amsgrad": True}, "adam lr=0.02 amsgrad=on",
     ["rosenbrock", "beale"]),
    ("adamw", keras.optimizers.AdamW, {"learning_rate": 0.02, "weight_decay": 0.1}, "adamw lr=0.02 weight_decay=0.1",
     ["rosenbrock", "beale"]),
    ("adamax", keras.optimizers.Adamax, {"learning_rate": 0.02}, "adamax lr=0.02", ["rosenbrock", "beale"]),
]

ADABELIEF = [
    ("adabelief", {"lr": 0.02, "rectify": False}, "adabelief lr=0.02", ["rosenbrock", "ackley"]),
]


def bits(x):
    return struct.pack(">d", x).hex()


def gradient(f, values):
    w = torch.tensor(values, requires_grad=True)
    f(w).backward()
    return w.grad.tolist()


def keras_trace(cls, kwargs, objective):
    f, start = OBJECTIVES[objective]
    opt = cls(**kwargs)
    var = keras.Variable(jnp.array(start, dtype=jnp.float64), dtype="float64")
    thetas = []
    for _ in range(STEPS):
        g = jnp.array(gradient(f, [float(v) for v in var.numpy()]), dtype=jnp.float64)
        opt.apply_gradients([(g, var)])
        values = [float(v) for v in var.numpy()]
        if not all(abs(v) < float("inf") for v in values):
            break
        thetas.append("".join(bits(v) for v in values))
    return start, thetas


def adabelief_trace(kwargs, objective):
    f, start = OBJECTIVES[objective]
    w = torch.tensor(start, requires_grad=True)
    thetas, libm = run(pytorch_optimizer.AdaBelief([w], **kwargs), w, f)
    return start, thetas, libm


def write(folder, name, source, optimizer, spec, objective, start, thetas, libm=None):
    data = {"name": name, "source": source, "optimizer": optimizer, "adamlab": spec, "objective": objective,
            "start": start, "theta": thetas}
    if libm is not None:
        data["libm_step"] = libm
    with open(os.path.join(folder, name + ".json"), "w") as out:
        json.dump(data, out, separators=(",", ":"))
        out.write("\n")


def main(folder):
    os.makedirs(folder, exist_ok=True)
    for stem, cls, kwargs, spec, objectives in KERAS:
        for objective in objectives:
            start, thetas = keras_trace(cls, kwargs, objective)
            write(folder, f"keras-{stem}-{objective}", f"keras {keras.__version__}, jax backend, float64",
                  {"name": cls.__name__, **kwargs}, f"{spec} convention=keras", objective, start, thetas)
    for stem, kwargs, spec, objectives in ADABELIEF:
        for objective in objectives:
            start, thetas, libm = adabelief_trace(kwargs, objective)
            write(folder, f"adabelief-{stem}-{objective}", f"pytorch_optimizer {version('pytorch_optimizer')}",
                  {"name": "AdaBelief", **kwargs}, spec, objective, start, thetas, libm)


if __name__ == "__main__":
    main(sys.argv[1])
