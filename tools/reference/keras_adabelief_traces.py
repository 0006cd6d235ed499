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

from gradients import ackley, beale, himmelblau, rosenbrock  # noqa: E402
from torch_traces import SqrtWatch, run  # noqa: E402

keras.config.set_floatx("float64")
torch.set_default_dtype(torch.float64)
STEPS = 3000

OBJECTIVES = {
    "rosenbrock": (rosenbrock, [-1.0, 1.5]),
    "beale": (beale, [1.0, 1.5]),
    "ackley": (ackley, [-3.3, 2.2]),
    "himmelblau": (himmelblau, [-0.2, -0.8]),
}

KERAS = [
    ("adam", keras.optimizers.Adam, {"learning_rate": 0.02}, "adam lr=0.02", ["rosenbrock", "beale"]),
    ("amsgrad", keras.optimizers.Adam, {"learning_rate": 0.02, "amsgrad": True}, "adam lr=0.02 amsgrad=on",
     ["rosenbrock", "beale"]),
    ("adamw", keras.optimizers.AdamW, {"learning_rate": 0.02, "weight_decay": 0.1}, "adamw lr=0.02 weight_decay=0.1",
     ["rosenbrock", "beale"]),
    ("adamax", keras.optimizers.Adamax, {"learning_rate": 0.02}, "adamax lr=0.02", ["rosenbrock", "beale"]),
    ("nadam", keras.optimizers.Nadam, {"learning_rate": 0.02}, "nadam lr=0.02", ["rosenbrock", "beale"]),
    # Keras decays every optimizer's weights apart from the gradient: θ − θ·λ·lr before the step.
    ("adam-decay", keras.optimizers.Adam, {"learning_rate": 0.02, "weight_decay": 0.1},
     "adam lr=0.02 weight_decay=0.1", ["beale"]),
    ("adamax-decay", keras.optimizers.Adamax, {"learning_rate": 0.02, "weight_decay": 0.1},
     "adamax lr=0.02 weight_decay=0.1", ["beale"]),
    ("nadam-decay", keras.optimizers.Nadam, {"learning_rate": 0.02, "weight_decay": 0.1},
     "nadam lr=0.02 weight_decay=0.1", ["beale"]),
]

ADABELIEF = [
    ("adabelief", {"lr": 0.02, "rectify": False}, "adabelief lr=0.02", ["rosenbrock", "ackley"]),
    ("l2", {"lr": 0.02, "weight_decay": 0.1, "weight_decouple": False}, "adabelief lr=0.02 weight_decay=0.1 weight_decouple=off",
     ["rosenbrock", "beale"]),
    ("fixed-decay", {"lr": 0.02, "weight_decay": 0.01, "fixed_decay": True},
     "adabelief lr=0.02 weight_decay=0.01 fixed_decay=on", ["rosenbrock", "beale"]),
    # Rectified: momentum SGD for the first five steps, which Rosenbrock's steep walls do not survive.
    ("rectify", {"lr": 0.02, "rectify": True}, "adabelief lr=0.02 rectify=on", ["beale", "himmelblau"]),
    ("ams-bound", {"lr": 0.02, "ams_bound": True}, "adabelief lr=0.02 ams_bound=on", ["rosenbrock", "beale"]),
    ("maximize", {"lr": 0.002, "maximize": True}, "adabelief lr=0.002 maximize=on", ["himmelblau"]),
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


def main(folder, only=None):
    os.makedirs(folder, exist_ok=True)
    for stem, cls, kwargs, spec, objectives in KERAS:
        if only and f"keras-{stem}" not in only:
            continue
        for objective in objectives:
            start, thetas = keras_trace(cls, kwargs, objective)
            write(folder, f"keras-{stem}-{objective}", f"keras {keras.__version__}, jax backend, float64",
                  {"name": cls.__name__, **kwargs}, f"{spec} convention=keras", objective, start, thetas)
    for stem, kwargs, spec, objectives in ADABELIEF:
        if only and f"adabelief-{stem}" not in only:
            continue
        for objective in objectives:
            start, thetas, libm = adabelief_trace(kwargs, objective)
            exact = ", every square root correctly rounded" if SqrtWatch.exact else ""
            write(folder, f"adabelief-{stem}-{objective}" + ("-exactsqrt" if exact else ""),
                  f"pytorch_optimizer {version('pytorch_optimizer')}{exact}", {"name": "AdaBelief", **kwargs}, spec,
                  objective, start, thetas, None if exact else libm)


if __name__ == "__main__":
    # python keras_adabelief_traces.py FOLDER [keras-STEM|adabelief-STEM ...] [exact]: only those, when
    # named; with `exact`, pytorch_optimizer's square roots correctly rounded (files named `-exactsqrt`).
    SqrtWatch.exact = "exact" in sys.argv[2:]
    main(sys.argv[1], [a for a in sys.argv[2:] if a != "exact"])
