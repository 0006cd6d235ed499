"""Long per-step traces of torch.optim on chaotic and smooth objectives, as test fixtures.

For each configuration, every step's θ (after the step) for STEPS steps, float64, each number as
the 16 hex digits of its bit pattern. Gradients are autograd's of the objectives in gradients.py.
Each optimizer runs through every code path torch has for it on the CPU: single-tensor
(foreach=False), foreach (foreach=True) and fused (fused=True) where it exists.

    python tools/reference/torch_traces.py Tests/AdamLabCoreTests/Fixtures/long [fused ...]
"""

import json
import math
import os
import struct
import sys

import numpy
import torch

from gradients import ackley, beale, himmelblau, rastrigin, rosenbrock

torch.set_default_dtype(torch.float64)
STEPS = 3000
# The code paths written as fixtures: the single-tensor one for every optimizer, foreach where it
# gives other floats (NAdam, RAdam; for the others it is the same trace), and the fused kernels
# (Adam, AdamW, AMSGrad, SGD, momentum, Nesterov, Adagrad).
ONLY = ("single", "fused")
FOREACH_DIFFERS = ("nadam", "radam", "nadam-decoupled", "radam-decoupled")

OBJECTIVES = {
    "rosenbrock": (rosenbrock, [-1.5, 2.0]),
    "beale": (beale, [1.0, 1.5]),
    "rastrigin": (rastrigin, [-2.5, 3.1]),
    "ackley": (ackley, [-3.3, 2.2]),
    # Eleven coordinates: a fused kernel takes the first eight as one AVX-512 vector (two AVX2 ones)
    # and the last three one by one.
    "quadratic11": (lambda w: (torch.arange(1.0, 12.0) * (w * w)).sum(), [1.0 - 0.17 * i for i in range(11)]),
    # Thirty-three: where the order of a step's last roundings shows within a few steps.
    "quadratic33": (lambda w: (torch.arange(1.0, 34.0) * (w * w)).sum(), [1.0 - 0.06 * i for i in range(33)]),
    # Himmelblau's one local maximum, near (−0.27, −0.92): the runs with maximize=True climb to it.
    "himmelblau": (himmelblau, [-0.2, -0.8]),
}
# Doubles per vector in the loop torch's fused kernels run over whole vectors (the rest go one by
# one, and the two loops contract their multiply-adds differently): 8 with AVX-512, 4 with AVX2.
LANES = 8 if torch.backends.cpu.get_cpu_capability() == "AVX512" else 4
# Each objective as adamlab spells it.
SPELLED = {
    "quadratic11": "quadratic c=" + ",".join(f"{c}.0" for c in range(1, 12)),
    "quadratic33": "quadratic c=" + ",".join(f"{c}.0" for c in range(1, 34)),
}

# (file stem, torch class, its keyword arguments, adamlab's spec, objectives, code paths)
CONFIGS = [
    ("sgd", torch.optim.SGD, {"lr": 0.0005}, "sgd lr=0.0005", ["rosenbrock", "beale"], ["single", "foreach", "fused"]),
    ("momentum", torch.optim.SGD, {"lr": 0.0005, "momentum": 0.9}, "sgd lr=0.0005 momentum=0.9",
     ["rosenbrock", "beale"], ["single", "foreach", "fused"]),
    ("nesterov", torch.optim.SGD, {"lr": 0.0005, "momentum": 0.9, "nesterov": True},
     "sgd lr=0.0005 momentum=0.9 nesterov=on", ["rosenbrock", "beale"], ["single", "foreach", "fused"]),
    ("momentum-damped", torch.optim.SGD, {"lr": 0.0005, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01},
     "sgd lr=0.0005 momentum=0.9 dampening=0.3 weight_decay=0.01", ["beale", "quadratic11"], ["fused"]),
    ("adagrad", torch.optim.Adagrad, {"lr": 0.5}, "adagrad lr=0.5", ["rosenbrock", "beale"],
     ["single", "foreach", "fused"]),
    ("adagrad-decay", torch.optim.Adagrad, {"lr": 0.5, "lr_decay": 0.013, "weight_decay": 0.05},
     "adagrad lr=0.5 lr_decay=0.013 weight_decay=0.05", ["beale", "quadratic11"], ["fused"]),
    ("rmsprop", torch.optim.RMSprop, {"lr": 0.01}, "rmsprop lr=0.01", ["rosenbrock", "beale"], ["single", "foreach"]),
    ("rmsprop-centered", torch.optim.RMSprop, {"lr": 0.01, "centered": True, "momentum": 0.5},
     "rmsprop lr=0.01 centered=on momentum=0.5", ["rosenbrock", "rastrigin"], ["single", "foreach"]),
    ("adadelta", torch.optim.Adadelta, {"lr": 1.0}, "adadelta lr=1.0", ["rosenbrock", "beale"], ["single", "foreach"]),
    ("adam", torch.optim.Adam, {"lr": 0.02, "betas": (0.9, 0.999)}, "adam lr=0.02", ["rosenbrock", "beale"],
     ["single", "foreach", "fused"]),
    ("adam-l2", torch.optim.Adam, {"lr": 0.02, "weight_decay": 0.1}, "adam lr=0.02 weight_decay=0.1",
     ["beale", "quadratic11"], ["fused"]),
    ("amsgrad", torch.optim.Adam, {"lr": 0.02, "amsgrad": True}, "adam lr=0.02 amsgrad=on",
     ["rosenbrock", "rastrigin"], ["single", "foreach", "fused"]),
    ("adamw", torch.optim.AdamW, {"lr": 0.02, "weight_decay": 0.1}, "adamw lr=0.02 weight_decay=0.1",
     ["rosenbrock", "beale"], ["single", "foreach", "fused"]),
    ("adamax", torch.optim.Adamax, {"lr": 0.02, "betas": (0.8, 0.99)}, "adamax lr=0.02 beta1=0.8 beta2=0.99",
     ["beale", "rosenbrock"], ["single", "foreach"]),
    ("nadam", torch.optim.NAdam, {"lr": 0.02}, "nadam lr=0.02", ["rosenbrock", "beale"], ["single", "foreach"]),
    ("radam", torch.optim.RAdam, {"lr": 0.02}, "radam lr=0.02", ["rosenbrock", "beale", "quadratic33"],
     ["single", "foreach"]),
    # Options beyond the defaults.
    ("adagrad-initial", torch.optim.Adagrad, {"lr": 0.5, "initial_accumulator_value": 0.1},
     "adagrad lr=0.5 initial_accumulator_value=0.1", ["rosenbrock", "quadratic11"], ["single", "fused"]),
    ("adam-decoupled", torch.optim.Adam, {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True},
     "adam lr=0.02 weight_decay=0.1 decoupled_weight_decay=on", ["beale", "quadratic11"], ["single", "fused"]),
    ("nadam-decoupled", torch.optim.NAdam, {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True},
     "nadam lr=0.02 weight_decay=0.1 decoupled_weight_decay=on", ["beale", "quadratic11"], ["single", "foreach"]),
    ("radam-decoupled", torch.optim.RAdam, {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True},
     "radam lr=0.02 weight_decay=0.1 decoupled_weight_decay=on", ["beale", "quadratic11"], ["single", "foreach"]),
    ("sgd-maximize", torch.optim.SGD, {"lr": 0.0005, "momentum": 0.9, "maximize": True},
     "sgd lr=0.0005 momentum=0.9 maximize=on", ["himmelblau"], ["single", "fused"]),
    ("adagrad-maximize", torch.optim.Adagrad, {"lr": 0.05, "maximize": True}, "adagrad lr=0.05 maximize=on",
     ["himmelblau"], ["single", "fused"]),
    ("rmsprop-maximize", torch.optim.RMSprop, {"lr": 0.001, "maximize": True}, "rmsprop lr=0.001 maximize=on",
     ["himmelblau"], ["single"]),
    ("adadelta-maximize", torch.optim.Adadelta, {"lr": 1.0, "maximize": True}, "adadelta lr=1.0 maximize=on",
     ["himmelblau"], ["single"]),
    ("adam-maximize", torch.optim.Adam, {"lr": 0.002, "maximize": True}, "adam lr=0.002 maximize=on",
     ["himmelblau"], ["single", "fused"]),
    ("adamw-maximize", torch.optim.AdamW, {"lr": 0.002, "maximize": True}, "adamw lr=0.002 maximize=on",
     ["himmelblau"], ["single", "fused"]),
    ("adamax-maximize", torch.optim.Adamax, {"lr": 0.002, "maximize": True}, "adamax lr=0.002 maximize=on",
     ["himmelblau"], ["single"]),
    ("nadam-maximize", torch.optim.NAdam, {"lr": 0.002, "maximize": True}, "nadam lr=0.002 maximize=on",
     ["himmelblau"], ["single"]),
    ("radam-maximize", torch.optim.RAdam, {"lr": 0.002, "maximize": True}, "radam lr=0.002 maximize=on",
     ["himmelblau"], ["single"]),
]


# (file stem, torch class, its keyword arguments, scheduler class, its keyword arguments, adamlab's spec,
# objectives): runs whose lr a torch.optim.lr_scheduler changes after every step. Their fixtures also hold
# the lr of every step (`lr`), as 16 hex digits.
SCHEDULED = [
    ("sgd-steplr", torch.optim.SGD, {"lr": 0.0005, "momentum": 0.9}, torch.optim.lr_scheduler.StepLR,
     {"step_size": 300, "gamma": 0.7}, "sgd lr=0.0005 momentum=0.9 schedule=step step_size=300 gamma=0.7",
     ["rosenbrock", "beale"]),
    ("adam-cosine", torch.optim.Adam, {"lr": 0.02}, torch.optim.lr_scheduler.CosineAnnealingLR,
     {"T_max": 700, "eta_min": 0.001}, "adam lr=0.02 schedule=cosine t_max=700 eta_min=0.001",
     ["rosenbrock", "beale"]),
    ("adamw-linear", torch.optim.AdamW, {"lr": 0.02, "weight_decay": 0.1}, torch.optim.lr_scheduler.LinearLR,
     {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 500},
     "adamw lr=0.02 weight_decay=0.1 schedule=linear start_factor=0.1 end_factor=1.0 total_iters=500",
     ["rosenbrock", "beale"]),
]


class SqrtWatch:
    """Notes the first step at which torch's sqrt, or the objective's exp, cos and sin (its vector
    math library, not correctly rounded), returns another double than the correctly rounded value.
    With `exact`, the optimizers' square roots return the correctly rounded value instead (glibc's, as
    adamlab takes them): the run is then the library's formula with every rounding its own but the
    root's."""

    exact = False

    def __init__(self):
        self.step = 0
        self.first = None
        self.originals = (torch.Tensor.sqrt, torch.sqrt, torch._foreach_sqrt, torch.Tensor.sqrt_, torch.cos, torch.exp,
                          torch._foreach_sqrt_)

    @staticmethod
    def rooted(t):
        """The correctly rounded square root of every element of t, as a tensor like t."""
        rounded = (lambda v: float(numpy.float32(math.sqrt(v)))) if t.dtype == torch.float32 else math.sqrt
        values = [rounded(v) for v in t.detach().reshape(-1).tolist()]
        return torch.tensor(values, dtype=t.dtype).reshape(t.shape)

    def check(self, inputs, outputs, exact=math.sqrt):
        for a, b in zip(inputs, outputs):
            # In float32 the correctly rounded value is the double one rounded once more.
            rounded = (lambda v: float(numpy.float32(exact(v)))) if a.dtype == torch.float32 else exact
            if self.first is None and [rounded(v) for v in a.reshape(-1).tolist()] != b.reshape(-1).tolist():
                self.first = self.step

    def __enter__(self):
        tensor_sqrt, sqrt, foreach_sqrt, tensor_sqrt_, cos, exp, foreach_sqrt_ = self.originals

        def watched_exp(t, *args, **kwargs):
            out = exp(t, *args, **kwargs)
            self.check([t], [out], exact=math.exp)
            return out

        def watched_tensor_sqrt_(t):
            before = t.clone()
            if self.exact:
                return t.copy_(self.rooted(before))
            out = tensor_sqrt_(t)
            self.check([before], [out])
            return out

        def watched_foreach_sqrt_(ts):
            before = [t.clone() for t in ts]
            if self.exact:
                for t, b in zip(ts, before):
                    t.copy_(self.rooted(b))
                return
            foreach_sqrt_(ts)
            self.check(before, ts)

        def watched_cos(t, *args, **kwargs):
            # The objective's cosine, and the sine its backward pass takes of the same argument.
            out = cos(t, *args, **kwargs)
            self.check([t], [out], exact=math.cos)
            self.check([t], [torch.sin(t)], exact=math.sin)
            return out

        def watched_tensor_sqrt(t):
            if self.exact:
                return self.rooted(t)
            out = tensor_sqrt(t)
            self.check([t], [out])
            return out

        def watched_sqrt(t, *args, **kwargs):
            if self.exact and not args and not kwargs:
                return self.rooted(t)
            out = sqrt(t, *args, **kwargs)
            self.check([t], [out])
            return out

        def watched_foreach_sqrt(ts):
            if self.exact:
                return [self.rooted(t) for t in ts]
            out = foreach_sqrt(ts)
            self.check(ts, out)
            return out

        torch.Tensor.sqrt, torch.sqrt, torch._foreach_sqrt = watched_tensor_sqrt, watched_sqrt, watched_foreach_sqrt
        torch.Tensor.sqrt_, torch.cos, torch.exp = watched_tensor_sqrt_, watched_cos, watched_exp
        torch._foreach_sqrt_ = watched_foreach_sqrt_
        return self

    def __exit__(self, *exc):
        (torch.Tensor.sqrt, torch.sqrt, torch._foreach_sqrt, torch.Tensor.sqrt_, torch.cos, torch.exp,
         torch._foreach_sqrt_) = self.originals


def bits(x, dtype=torch.float64):
    return struct.pack(">f" if dtype == torch.float32 else ">d", x).hex()


def trace(cls, kwargs, impl, objective, dtype=torch.float64):
    f, start = OBJECTIVES[objective]
    w = torch.tensor(start, dtype=dtype, requires_grad=True)
    extra = {"foreach": False} if impl == "single" else {"foreach": True} if impl == "foreach" else {"fused": True}
    thetas, libm = run(cls([w], **kwargs, **extra), w, f)
    return start, thetas, libm


def run(opt, w, f, scheduler=None, lrs=None):
    """θ after each of STEPS steps of a torch optimizer on f (until θ stops being finite), and the
    step from which torch's libm was off. With a scheduler, it steps after the optimizer, and each
    step's lr is appended to `lrs`."""
    thetas = []
    with SqrtWatch() as watch:
        for t in range(1, STEPS + 1):
            watch.step = t
            if lrs is not None:
                lrs.append(bits(opt.param_groups[0]["lr"]))
            opt.zero_grad()
            f(w).backward()
            opt.step()
            if scheduler is not None:
                scheduler.step()
            values = w.detach().tolist()
            if not all(abs(v) < float("inf") for v in values):
                break
            thetas.append("".join(bits(v, w.dtype) for v in values))
    return thetas, watch.first


def scheduled(folder):
    """The SCHEDULED runs, on the single-tensor path."""
    for stem, cls, kwargs, sched_cls, sched_kwargs, spec, objectives in SCHEDULED:
        for objective in objectives:
            f, start = OBJECTIVES[objective]
            w = torch.tensor(start, requires_grad=True)
            opt = cls([w], **kwargs, foreach=False)
            lrs = []
            thetas, libm = run(opt, w, f, sched_cls(opt, **sched_kwargs), lrs)
            name = f"torch-{stem}-{objective}-single" + ("-exactsqrt" if SqrtWatch.exact else "")
            data = {
                "name": name,
                "source": f"torch {torch.__version__}, torch.optim.{cls.__name__} with lr_scheduler.{sched_cls.__name__}, float64, single"
                + (", every square root correctly rounded" if SqrtWatch.exact else ""),
                "optimizer": kwargs, "scheduler": sched_kwargs,
                "adamlab": f"{spec} convention=pytorch", "objective": SPELLED.get(objective, objective),
                "start": start, "theta": thetas, "lr": lrs[: len(thetas)],
            }
            if libm is not None and not SqrtWatch.exact:
                data["libm_step"] = libm
            with open(os.path.join(folder, name + ".json"), "w") as out:
                json.dump(data, out, separators=(",", ":"))
                out.write("\n")


def main(folder, paths):
    os.makedirs(folder, exist_ok=True)
    # `only=STEM,STEM` among the arguments: only those configurations.
    only = [p.split("=", 1)[1].split(",") for p in paths if p.startswith("only=")]
    # `exact`: the optimizers' square roots correctly rounded (files named `-exactsqrt`).
    SqrtWatch.exact = "exact" in paths
    paths = [p for p in paths if not p.startswith("only=") and p != "exact"]
    # `float32` among the paths: single-precision runs (θ as 8 hex digits) of the single-tensor and fused
    # paths on Rosenbrock and Beale, instead of the double ones.
    single = "float32" in paths
    paths = [p for p in paths if p != "float32"]
    dtype = torch.float32 if single else torch.float64
    for stem, cls, kwargs, spec, objectives, impls in CONFIGS:
        if only and stem not in only[0]:
            continue
        for objective in objectives:
            if single and objective not in ("rosenbrock", "beale"):
                continue
            for impl in (i for i in impls if i in ONLY or (i == "foreach" and stem in FOREACH_DIFFERS)):
                if paths and impl not in paths:
                    continue
                start, thetas, libm = trace(cls, kwargs, impl, objective, dtype)
                name = f"torch-{stem}-{objective}-{impl}" + ("-float32" if single else "")
                name += "-exactsqrt" if SqrtWatch.exact else ""
                data = {
                    "name": name,
                    "source": f"torch {torch.__version__}, torch.optim.{cls.__name__}, {'float32' if single else 'float64'}, {impl}"
                    + (", every square root correctly rounded" if SqrtWatch.exact else ""),
                    "optimizer": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
                    "adamlab": f"{spec} convention=pytorch impl={impl}" + (f" lanes={LANES}" if impl == "fused" else "")
                    + (" dtype=float32" if single else ""),
                    "objective": SPELLED.get(objective, objective),
                    "start": start,
                    "theta": thetas,
                }
                if libm is not None and not SqrtWatch.exact:
                    # From this step torch's sqrt was an ulp off the correctly rounded root.
                    data["libm_step"] = libm
                with open(os.path.join(folder, name + ".json"), "w") as out:
                    json.dump(data, out, separators=(",", ":"))
                    out.write("\n")


if __name__ == "__main__" and "scheduled" in sys.argv[2:]:
    # python torch_traces.py FOLDER scheduled [exact]: the runs with an lr scheduler.
    SqrtWatch.exact = "exact" in sys.argv[2:]
    scheduled(sys.argv[1])
elif __name__ == "__main__":
    # python torch_traces.py FOLDER [single|foreach|fused ...] [only=STEM,...]: only those code paths and
    # configurations, when named.
    main(sys.argv[1], sys.argv[2:])
