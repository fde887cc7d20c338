#!/usr/bin/env python3
"""Golden tables of three LLM-training peers: Megatron-LM, OLMo-core and torchtitan.

    python gen_peers.py cases_peers.json OUTDIR [--only megatron,olmo,torchtitan]

The same format and driver as gen.py (README.md in this folder), for the
schedulers of

* megatron-core (``megatron/core/optimizer_param_scheduler.py``:
  ``OptimizerParamScheduler``),
* ai2-olmo-core (``olmo_core/optim/scheduler.py``: every ``Scheduler``
  dataclass used here),
* torchtitan (``torchtitan/components/optimizer/lr_scheduler.py``:
  ``LRSchedulersContainer.Config.build``, a torch ``LambdaLR``).

Every number comes out of the peer's own file. These packages pull in heavy
training stacks (Transformer Engine, tyro, cached-path, ...) that the schedulers
never touch, so when the normal import fails the loaders (``../_peers.py``,
shared with the tests) register small stand-ins for those *unrelated* modules (a
logger, a config base class, a rank query, an optimizer container type) and then
import the real scheduler file from the installed package. Install the packages without their dependencies:
``pip install --no-deps megatron-core ai2-olmo-core torchtitan`` (never let pip
touch torch).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import sys
import types
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
import gen  # noqa: E402  (the shared driver: steps, encoding, file layout)
from _peers import megatron_module, olmo_module, torchtitan_module  # noqa: E402  (tests/_peers.py)

LIBRARIES = ("megatron", "olmo", "torchtitan")

SEMANTICS = {
    "megatron": (
        "values[i] is param_groups[0]['lr'] of OptimizerParamScheduler(optimizer, **args) after its "
        "num_steps has reached k = steps[i]: the constructor calls step(0) (k = 0), then step(increment=d) "
        "is called in increasing k (the schedule is a function of num_steps alone, so one call with "
        "increment d equals d calls with increment 1). Megatron's training loop calls "
        "step(increment=global_batch_size) after each optimizer step, so its steps count samples: the "
        "n-th update uses the value at k = (n - 1) * increment. 'weight_decay' is "
        "param_groups[0]['weight_decay'] at the same points (wd_mult 1). The optimizer is a stand-in "
        "holding one empty param group (Megatron reads only param_groups). Arguments missing from "
        "'args' take the defaults of the fastlr call (start_wd=end_wd=0.0, wd_incr_steps=0, "
        "wd_incr_style='constant'): Megatron requires them."
    ),
    "olmo": (
        "values[i] = Scheduler.get_lr(initial_lr=base_lr, current=k, t_max=max_steps) with k = steps[i], "
        "for the OLMo-core scheduler dataclass built from the other args (a Python float initial_lr). "
        "OLMo-core's Trainer increments global_step before the batch and sets the lr in optim_step from "
        "get_lr(current=global_step), so its n-th update (n = 1, 2, ...) uses the value at k = n; k = 0 "
        "is never used by the Trainer. Sub-schedulers of SequentialScheduler are built in list order. "
        "A case with 'raises_at_step' stopped because get_lr raised at that k (steps are evaluated in "
        "increasing k)."
    ),
    "torchtitan": (
        "values[i] is optimizer.param_groups[0]['lr'] after exactly k = steps[i] calls of "
        "LRSchedulersContainer.step() (k = 0 right after construction) for "
        "LRSchedulersContainer.Config(**config).build(optimizers=[SGD([p], lr=base_lr, momentum=0.9)], "
        "training_steps=training_steps): a torch LambdaLR, lr = base_lr * lambda(k) in float64. "
        "torchtitan's train loop calls optimizers.step() then lr_schedulers.step(), so the n-th update "
        "uses the value at k = n - 1. A case with 'raises_at_step' stopped because step() raised then."
    ),
}


# --------------------------------------------------------------------------
# Evaluators
# --------------------------------------------------------------------------

MEGATRON_WD_DEFAULTS = {"start_wd": 0.0, "end_wd": 0.0, "wd_incr_steps": 0, "wd_incr_style": "constant"}


def eval_megatron(case, steps):
    module = megatron_module()
    group: dict = {}
    optimizer = types.SimpleNamespace(param_groups=[group])
    kwargs = {**MEGATRON_WD_DEFAULTS, **case["args"]}
    try:
        sched = module.OptimizerParamScheduler(optimizer, **kwargs)
    except Exception as exc:
        return {"raises": gen.error_text(exc)}
    values, wds, out = [], [], {}
    for i, k in enumerate(steps):
        try:
            sched.step(increment=k - sched.num_steps)
        except Exception as exc:
            out["raises_at_step"] = {"step": k, "error": gen.error_text(exc)}
            steps = steps[:i]
            break
        values.append(gen.encode(group["lr"]))
        wds.append(gen.encode(group["weight_decay"]))
    out.update(steps=steps, values=values, weight_decay=wds)
    return out


def _olmo_build(module, name, args):
    kwargs = {}
    for key, value in args.items():
        if key in ("base_lr", "max_steps"):
            continue
        if key == "schedulers":
            value = [_olmo_build(module, s["name"], s["args"]) for s in value]
        elif key == "stages":
            value = [module.ComposableSchedulerStage(**s) for s in value]
        elif key == "override_decay":
            value = module.OverrideDecay(**value)
        kwargs[key] = value
    return getattr(module, name)(**kwargs)


def eval_olmo(case, steps):
    module = olmo_module()
    args = case["args"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sched = _olmo_build(module, case["name"], args)
    except Exception as exc:
        return {"raises": gen.error_text(exc)}
    values, out = [], {}
    for i, k in enumerate(steps):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lr = sched.get_lr(float(args["base_lr"]), k, args["max_steps"])
        except Exception as exc:
            out["raises_at_step"] = {"step": k, "error": gen.error_text(exc)}
            steps = steps[:i]
            break
        values.append(gen.encode(lr))
    out.update(steps=steps, values=values)
    return out


def eval_torchtitan(case, steps):
    module = torchtitan_module()
    args = case["args"]
    config = {k: v for k, v in args.items() if k not in ("base_lr", "training_steps")}

    def make():
        opt = gen._torch_optimizer(args["base_lr"])
        container = module.LRSchedulersContainer.Config(**config).build(
            optimizers=[opt], training_steps=args["training_steps"])
        return opt, container

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gen._stepwise(case, make, steps)


def _version(distribution):
    def version():
        import torch
        return importlib.metadata.version(distribution), {"torch": torch.__version__}
    return version


EVALUATORS = {
    "megatron": (eval_megatron, _version("megatron-core")),
    "olmo": (eval_olmo, _version("ai2-olmo-core")),
    "torchtitan": (eval_torchtitan, _version("torchtitan")),
}


_RENDER_CALL = gen.render_call


def render_call(lib, name, args, drop=("metrics",)):
    """gen.render_call, except that OLMo's nested scheduler configs stay dict literals."""
    if lib == "olmo":
        return f"fastlr.compat.olmo.{name}(" + ", ".join(f"{k}={v!r}" for k, v in args.items()) + ")"
    return _RENDER_CALL(lib, name, args, drop)


def register() -> None:
    """Make gen.py's driver know the three libraries."""
    gen.render_call = render_call
    gen.EVALUATORS.update(EVALUATORS)
    gen.SEMANTICS.update(SEMANTICS)
    gen.FIXED_DTYPE.update({lib: "float64" for lib in LIBRARIES})


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cases", help="case-list JSON file (cases_peers.json)")
    ap.add_argument("outdir", help="folder for <library>.json")
    ap.add_argument("--only", help="comma-separated libraries to generate")
    opts = ap.parse_args(argv)
    register()
    tag, libraries = gen.load_cases(opts.cases)
    wanted = opts.only.split(",") if opts.only else list(libraries)
    os.makedirs(opts.outdir, exist_ok=True)
    for lib in LIBRARIES:
        if lib in wanted and lib in libraries:
            print(f"{lib}:", file=sys.stderr, flush=True)
            header, cases = gen.build_library(lib, libraries[lib], tag)
            header["generator"] = "gen_peers.py (this folder): python gen_peers.py cases_peers.json OUTDIR"
            gen.write_golden(os.path.join(opts.outdir, f"{lib}.json"), header, cases)


if __name__ == "__main__":
    main()
