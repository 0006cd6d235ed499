"""Long per-step traces of Optax optimizers, as test fixtures (see torch_traces.py for the format).

Gradients are PyTorch autograd's of the objectives in gradients.py (bit for bit adamlab's), handed
to Optax as float64 arrays; `tx.update` runs eagerly, as a learner's script would call it, so only
the helpers Optax itself jits (its bias correction) are compiled by XLA.

    python tools/reference/optax_traces.py Tests/AdamLabCoreTests/Fixtures/long
"""

import json
import os
import struct
import sys

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402
import torch  # noqa: E402

from gradients import beale, himmelblau, rosenbrock  # noqa: E402

torch.set_default_dtype(torch.float64)
STEPS = 3000

OBJECTIVES = {
    "rosenbrock": (rosenbrock, [-1.0, 1.5]),
    "beale": (beale, [1.0, 1.5]),
    "himmelblau": (himmelblau, [0.5, -0.5]),
}

# (file stem, optax transformation, its keyword arguments, adamlab's spec, objectives)
CONFIGS = [
    ("adam", optax.adam, {"learning_rate": 0.02, "b2": 0.99, "eps": 1e-6}, "adam lr=0.02 beta2=0.99 eps=1e-06",
     ["rosenbrock", "beale"]),
    ("adam-epsroot", optax.adam, {"learning_rate": 0.02, "b2": 0.99, "eps": 1e-6, "eps_root": 1e-4},
     "adam lr=0.02 beta2=0.99 eps=1e-06 eps_root=0.0001", ["rosenbrock", "beale"]),
    ("adamw", optax.adamw, {"learning_rate": 0.02, "weight_decay": 0.1}, "adamw lr=0.02 weight_decay=0.1",
     ["rosenbrock", "himmelblau"]),
    ("adamax", optax.adamax, {"learning_rate": 0.02, "b1": 0.8, "b2": 0.99}, "adamax lr=0.02 beta1=0.8 beta2=0.99",
     ["beale", "himmelblau"]),
    ("amsgrad", optax.amsgrad, {"learning_rate": 0.02}, "adam lr=0.02 amsgrad=on", ["rosenbrock", "beale"]),
    ("adam-nesterov", optax.adam, {"learning_rate": 0.02, "nesterov": True}, "adam lr=0.02 nesterov=on",
     ["rosenbrock", "beale"]),
    ("adamw-nesterov", optax.adamw, {"learning_rate": 0.02, "weight_decay": 0.1, "nesterov": True},
     "adamw lr=0.02 weight_decay=0.1 nesterov=on", ["rosenbrock", "himmelblau"]),
]


def bits(x):
    return struct.pack(">d", x).hex()


def trace(make, kwargs, objective):
    f, start = OBJECTIVES[objective]
    tx = make(**kwargs)
    params = jnp.array(start, dtype=jnp.float64)
    state = tx.init(params)
    thetas = []
    for _ in range(STEPS):
        w = torch.tensor([float(v) for v in params], requires_grad=True)
        f(w).backward()
        grads = jnp.array(w.grad.tolist(), dtype=jnp.float64)
        updates, state = tx.update(grads, state, params)
        params = optax.apply_updates(params, updates)
        values = [float(v) for v in params]
        if not all(abs(v) < float("inf") for v in values):
            break
        thetas.append("".join(bits(v) for v in values))
    return start, thetas


def main(folder, only=None):
    os.makedirs(folder, exist_ok=True)
    for stem, make, kwargs, spec, objectives in CONFIGS:
        if only and stem not in only:
            continue
        for objective in objectives:
            start, thetas = trace(make, kwargs, objective)
            name = f"optax-{stem}-{objective}"
            data = {
                "name": name,
                "source": f"optax {optax.__version__} on jax {jax.__version__}, x64, eager update",
                "optimizer": {"name": make.__name__, **kwargs},
                "adamlab": f"{spec} convention=optax",
                "objective": objective,
                "start": start,
                "theta": thetas,
            }
            with open(os.path.join(folder, name + ".json"), "w") as out:
                json.dump(data, out, separators=(",", ":"))
                out.write("\n")


if __name__ == "__main__":
    # python optax_traces.py FOLDER [STEM ...]: only those configurations, when named.
    main(sys.argv[1], sys.argv[2:])
