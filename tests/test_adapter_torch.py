"""fastlr.torch.LRScheduler in real torch training loops (CPU)."""

from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install 'fastlr-schedules[torch]')")

import fastlr  # noqa: E402
from fastlr.torch import STEP_KEY, LRScheduler  # noqa: E402

WARM = fastlr.warmup_cosine(peak=1e-2, warmup_steps=4, total_steps=20, end=1e-4)
OTHER = fastlr.exponential(start=3e-3, rate=0.5, steps=3)


def make_model(seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))


def make_opt(model: torch.nn.Module, **kw) -> torch.optim.Optimizer:
    return torch.optim.SGD(model.parameters(), lr=0.5, **kw)


def record_used_lr(opt: torch.optim.Optimizer) -> list[list[float]]:
    """Record, at every optimizer.step(), the lr each group is about to use."""
    used: list[list[float]] = []
    opt.register_step_pre_hook(lambda o, args, kwargs: used.append([g["lr"] for g in o.param_groups]))
    return used


def train(model, opt, sched, steps: int, accumulate: int = 1) -> None:
    data = torch.randn(steps * accumulate, 5, 3, generator=torch.Generator().manual_seed(1))
    for i in range(steps):
        for j in range(accumulate):
            loss = model(data[i * accumulate + j]).square().mean() / accumulate
            loss.backward()
        opt.step()
        opt.zero_grad()
        sched.step()


def test_nth_update_uses_s_of_n_minus_1(engine):
    s = engine.bind(WARM)
    model = make_model()
    opt = make_opt(model)
    sched = LRScheduler(opt, s)
    assert opt.param_groups[0]["lr"] == s(0)
    assert sched.get_last_lr() == [s(0)]
    used = record_used_lr(opt)
    train(model, opt, sched, 25)
    assert [u[0] for u in used] == [s(n - 1) for n in range(1, 26)]
    assert sched.get_last_lr() == [s(25)]
    assert opt.param_groups[0][STEP_KEY] == 25
    assert sched.last_epoch == 25


def test_sgd_update_applies_the_scheduled_rate(engine):
    """The parameter moves by exactly lr * grad (float32 arithmetic) at every update."""
    s = engine.bind(WARM)
    w = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([w], lr=1.0)
    sched = LRScheduler(opt, s)
    for n in range(1, 12):
        with torch.no_grad():
            w.zero_()
        w.grad = torch.ones(1)
        opt.step()
        sched.step()
        assert w.item() == float(np.float32(-s(n - 1)))


def test_gradient_accumulation_advances_once_per_update():
    model = make_model()
    opt = make_opt(model)
    sched = LRScheduler(opt, WARM)
    used = record_used_lr(opt)
    train(model, opt, sched, 6, accumulate=4)
    assert [u[0] for u in used] == [WARM(n) for n in range(6)]


def test_per_group_schedules_and_scales(engine):
    a, b = engine.bind(WARM), engine.bind(OTHER)
    model = make_model()
    first, second = list(model[0].parameters()), list(model[2].parameters())
    opt = torch.optim.SGD([{"params": first}, {"params": second}], lr=0.1)
    sched = LRScheduler(opt, [a, b], scale=[None, 0.25])
    used = record_used_lr(opt)
    train(model, opt, sched, 8)
    assert used == [[a(t), 0.25 * b(t)] for t in range(8)]
    assert sched.get_last_lr() == [a(8), 0.25 * b(8)]


def test_one_scale_for_all_groups():
    model = make_model()
    opt = torch.optim.SGD([{"params": model[0].parameters()}, {"params": model[2].parameters()}], lr=0.1)
    sched = LRScheduler(opt, WARM, scale=2.0)
    for _ in range(5):
        opt.step()
        sched.step()
    assert [g["lr"] for g in opt.param_groups] == [2.0 * WARM(5)] * 2


def test_warm_start_from_a_given_step():
    model = make_model()
    opt = make_opt(model)
    sched = LRScheduler(opt, WARM, start_step=7)
    used = record_used_lr(opt)
    train(model, opt, sched, 5)
    assert [u[0] for u in used] == [WARM(t) for t in range(7, 12)]


def _run_lrs(k: int, total: int, resume, first: fastlr.Schedule = WARM) -> list[float]:
    """LRs used by updates 1..total, interrupted after update k and resumed by ``resume``."""
    model = make_model()
    opt = make_opt(model, momentum=0.9)
    sched = LRScheduler(opt, first)
    used = record_used_lr(opt)
    train(model, opt, sched, k)
    buffer = io.BytesIO()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict()}, buffer)
    buffer.seek(0)
    ckpt = torch.load(buffer, weights_only=True)
    model2 = make_model(seed=5)
    model2.load_state_dict(ckpt["model"])
    opt2, sched2 = resume(model2, ckpt)
    used2 = record_used_lr(opt2)
    train(model2, opt2, sched2, total - k)
    return [u[0] for u in used + used2]


@pytest.mark.parametrize("k", [1, 3, 4, 11, 20, 23])
def test_resume_from_scheduler_and_optimizer_state(k):
    def resume(model, ckpt):
        opt = make_opt(model, momentum=0.9)
        sched = LRScheduler(opt, fastlr.constant(0.123), resume="saved")  # the checkpoint's schedule
        opt.load_state_dict(ckpt["opt"])
        sched.load_state_dict(ckpt["sched"])
        return opt, sched

    assert _run_lrs(k, 26, resume) == [WARM(t) for t in range(26)]


@pytest.mark.parametrize("order", ["scheduler first", "optimizer first"])
@pytest.mark.parametrize("k", [2, 9])
def test_resume_from_optimizer_state_alone(order, k):
    def resume(model, ckpt):
        opt = make_opt(model, momentum=0.9)
        if order == "scheduler first":
            sched = LRScheduler(opt, WARM)
            opt.load_state_dict(ckpt["opt"])
        else:
            opt.load_state_dict(ckpt["opt"])
            sched = LRScheduler(opt, WARM)
        assert opt.param_groups[0]["lr"] == WARM(k)
        return opt, sched

    assert _run_lrs(k, 15, resume) == [WARM(t) for t in range(15)]


@pytest.mark.parametrize("order", ["optimizer first", "scheduler first"])
def test_keep_changes_schedule_when_only_the_optimizer_is_restored(order):
    def resume(model, ckpt):
        opt = make_opt(model, momentum=0.9)
        if order == "optimizer first":
            opt.load_state_dict(ckpt["opt"])
            return opt, LRScheduler(opt, OTHER, resume="keep")
        sched = LRScheduler(opt, OTHER, resume="keep")
        opt.load_state_dict(ckpt["opt"])
        return opt, sched

    assert _run_lrs(5, 9, resume) == [WARM(t) for t in range(5)] + [OTHER(t) for t in range(5, 9)]


@pytest.mark.parametrize("where", ["optimizer first", "scheduler first", "scheduler state"])
def test_a_changed_schedule_is_an_error_by_default_with_what_changed(where):
    def resume(model, ckpt):
        opt = make_opt(model, momentum=0.9)
        if where == "optimizer first":
            opt.load_state_dict(ckpt["opt"])
            return opt, LRScheduler(opt, OTHER)
        sched = LRScheduler(opt, OTHER)
        if where == "scheduler state":
            sched.load_state_dict(ckpt["sched"])
        else:
            opt.load_state_dict(ckpt["opt"])
        return opt, sched

    with pytest.raises(ValueError, match=r"(?s)differs from the one this checkpoint was saved with \(at step 5\)"
                                         r".*kind: 'warmup_cosine' -> 'exponential'.*choose a resume policy"):
        _run_lrs(5, 9, resume)


LONG = fastlr.warmup_cosine(peak=1e-2, warmup_steps=4, total_steps=40, end=1e-4)


@pytest.mark.parametrize("policy", ["retarget", "continue", "keep"])
@pytest.mark.parametrize("how", ["optimizer alone", "scheduler state"])
def test_a_real_loop_resumes_with_a_changed_total(policy, how):
    """Trained 9 updates with total 20, resumed with total 40: the LRs follow fastlr.resume."""
    def resume(model, ckpt):
        opt = make_opt(model, momentum=0.9)
        sched = LRScheduler(opt, LONG, resume=policy)
        if how == "scheduler state":
            sched.load_state_dict(ckpt["sched"])
        opt.load_state_dict(ckpt["opt"])
        return opt, sched

    want = fastlr.resume(WARM, LONG, 9, policy)
    used = _run_lrs(9, 45, resume)
    assert used == [want(t) for t in range(45)]
    assert used[:9] == [WARM(t) for t in range(9)] and used[-1] == 1e-4
    if policy != "keep":
        assert abs(used[9] - WARM(9)) <= 1e-15  # no jump at the resume
        assert all(a >= b for a, b in zip(used[9:], used[10:]))  # still decaying
    if policy == "retarget":
        assert used[39] > 1e-4 and used[40] == 1e-4  # ends where the new total says


def test_a_real_loop_resumes_into_a_branched_cooldown():
    """A WSD run checkpointed in its stable phase resumes into a cooldown branched after it."""
    run = fastlr.wsd(1e-2, 3, 10**9, 0)
    cooled = run.cooldown(at=12, steps=8, shape="1-sqrt", end=1e-4)

    def resume(model, ckpt):
        opt = make_opt(model, momentum=0.9)
        opt.load_state_dict(ckpt["opt"])
        return opt, LRScheduler(opt, cooled, resume="keep")

    used = _run_lrs(7, 25, resume, first=run)
    assert used == [run(t) for t in range(12)] + [cooled(t) for t in range(12, 25)]
    assert used[12] == 1e-2 and used[19] < used[18] and used[20:] == [1e-4] * 5


def test_resuming_again_with_the_same_request_goes_on_as_before():
    def resume(model, ckpt):
        opt = make_opt(model, momentum=0.9)
        opt.load_state_dict(ckpt["opt"])
        return opt, LRScheduler(opt, LONG, resume="retarget")

    model = make_model()
    opt, sched = resume(model, {"opt": _checkpoint_after(5)})
    train(model, opt, sched, 6)
    again = make_opt(model, momentum=0.9)
    again.load_state_dict(opt.state_dict())
    sched2 = LRScheduler(again, LONG)  # the default policy: the resumed run is not a change
    assert sched2.get_last_lr() == [fastlr.resume(WARM, LONG, 5, "retarget")(11)]


def _checkpoint_after(k: int) -> dict:
    model = make_model()
    opt = make_opt(model, momentum=0.9)
    sched = LRScheduler(opt, WARM)
    train(model, opt, sched, k)
    return opt.state_dict()


def test_state_dict_fingerprints_are_checked():
    opt = make_opt(make_model())
    sched = LRScheduler(opt, WARM)
    state = sched.state_dict()
    assert state["fingerprints"] == [fastlr.fingerprint(WARM)]
    state["fingerprints"] = ["0" * 16]
    with pytest.raises(ValueError, match="fingerprints.*do not match"):
        sched.load_state_dict(state)


def test_state_dict_holds_only_plain_types():
    model = make_model()
    opt = make_opt(model)
    sched = LRScheduler(opt, WARM, scale=0.5)
    for _ in range(3):
        opt.step()
        sched.step()
    state = sched.state_dict()
    assert state["fastlr_step"] == [3]
    assert fastlr.from_dict(state["schedules"][0]) == WARM
    buffer = io.BytesIO()
    torch.save(state, buffer)
    buffer.seek(0)
    assert torch.load(buffer, weights_only=True) == state


def _skip_then_step(opt, scaler, w, overflow: bool) -> None:
    loss = (w * (float("inf") if overflow else 1.0)).sum()
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    opt.zero_grad()


@pytest.mark.parametrize("follow", [True, False])
def test_grad_scaler_skipped_updates(follow):
    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=1.0)
    scaler = torch.amp.GradScaler("cpu")
    sched = LRScheduler(opt, WARM, follow_optimizer=follow)
    used = record_used_lr(opt)
    pattern = [False, True, False, False, True, True, False]
    for overflow in pattern:
        _skip_then_step(opt, scaler, w, overflow)
        sched.step()
    assert len(used) == pattern.count(False)
    if follow:
        assert [u[0] for u in used] == [WARM(t) for t in range(len(used))]
        assert opt.param_groups[0][STEP_KEY] == len(used)
    else:  # every scheduler.step() counts, as with torch's own schedulers
        assert [u[0] for u in used] == [WARM(i) for i, o in enumerate(pattern) if not o]
        assert opt.param_groups[0][STEP_KEY] == len(pattern)


def test_follow_optimizer_counts_updates_without_scheduler_steps():
    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=1.0)
    sched = LRScheduler(opt, WARM, follow_optimizer=True)
    w.grad = torch.ones(2)
    for _ in range(3):
        opt.step()
    assert opt.param_groups[0][STEP_KEY] == 3
    assert opt.param_groups[0]["lr"] == WARM(0)  # applied by the next step()
    sched.step()
    assert opt.param_groups[0]["lr"] == WARM(3)
    with pytest.raises(ValueError, match="follow_optimizer must be True"):
        LRScheduler(opt, WARM)


def test_sequential_lr_children_match_lambda_lr():
    milestones = [6, 10]
    children = [WARM, OTHER, fastlr.constant(2e-4)]

    def lrs(make_children):
        model = make_model()
        opt = make_opt(model)
        seq = torch.optim.lr_scheduler.SequentialLR(opt, make_children(opt), milestones=milestones)
        used = record_used_lr(opt)
        train(model, opt, seq, 15)
        return [u[0] for u in used], seq.get_last_lr()

    def ours(opt):
        return [LRScheduler(opt, s) for s in children]

    def theirs(opt):
        for g in opt.param_groups:
            g["lr"] = 1.0
        return [torch.optim.lr_scheduler.LambdaLR(opt, s) for s in children]

    got, last = lrs(ours)
    assert (got, last) == lrs(theirs)
    assert got == [WARM(t) for t in range(6)] + [OTHER(t) for t in range(4)] + [2e-4] * 5


def test_step_with_epoch_sets_the_count():
    opt = make_opt(make_model())
    sched = LRScheduler(opt, WARM)
    sched.step(9)
    assert opt.param_groups[0]["lr"] == WARM(9)
    assert sched.get_lr() == [WARM(9)]
    sched.step()
    assert opt.param_groups[0]["lr"] == WARM(10)


def test_tensor_learning_rate_stays_a_tensor():
    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.Adam([w], lr=torch.tensor(0.01, dtype=torch.float64), foreach=False)
    sched = LRScheduler(opt, WARM)
    lr = opt.param_groups[0]["lr"]
    w.grad = torch.ones(2)
    for t in range(1, 4):
        opt.step()
        sched.step()
        assert opt.param_groups[0]["lr"] is lr
        assert lr.item() == WARM(t)


def test_get_last_lr_returns_a_new_list():
    opt = make_opt(make_model())
    sched = LRScheduler(opt, WARM)
    first = sched.get_last_lr()
    opt.step()
    sched.step()
    assert first == [WARM(0)] and sched.get_last_lr() == [WARM(1)]


def test_is_a_torch_lr_scheduler():
    opt = make_opt(make_model())
    assert isinstance(LRScheduler(opt, WARM), torch.optim.lr_scheduler.LRScheduler)


def test_bad_arguments():
    opt = make_opt(make_model())
    with pytest.raises(TypeError, match="optimizer must be a torch.optim.Optimizer"):
        LRScheduler(object(), WARM)
    with pytest.raises(TypeError, match="schedule must be a fastlr schedule"):
        LRScheduler(opt, lambda t: 0.1)
    with pytest.raises(ValueError, match=r"schedule must have one item per param group \(1\), got 2"):
        LRScheduler(opt, [WARM, WARM])
    with pytest.raises(ValueError, match="scale must be finite"):
        LRScheduler(opt, WARM, scale=math.nan)
    with pytest.raises(ValueError, match="start_step must be a non-negative integer, got -1"):
        LRScheduler(opt, WARM, start_step=-1)
    with pytest.raises(TypeError, match="follow_optimizer must be a bool"):
        LRScheduler(opt, WARM, follow_optimizer=1)
    sched = LRScheduler(opt, WARM)
    with pytest.raises(ValueError, match="missing the key 'fastlr_step'"):
        sched.load_state_dict({"last_epoch": 3})


def test_optimizer_state_without_count_is_an_error():
    model = make_model()
    opt = make_opt(model)
    foreign = make_opt(model).state_dict()  # saved without a fastlr scheduler
    sched = LRScheduler(opt, WARM)
    opt.load_state_dict(foreign)
    opt.step()
    with pytest.raises(KeyError, match="has no 'fastlr_step'"):
        sched.step()


def test_lightning_lr_scheduler_config():
    pl = pytest.importorskip("pytorch_lightning", reason="pytorch_lightning is not installed")

    class Tiny(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = make_model()
            self.used = []

        def training_step(self, batch, batch_idx):
            return self.net(batch[0]).square().mean()

        def on_before_optimizer_step(self, optimizer):
            self.used.append(optimizer.param_groups[0]["lr"])

        def configure_optimizers(self):
            opt = make_opt(self)
            return {"optimizer": opt,
                    "lr_scheduler": {"scheduler": LRScheduler(opt, WARM), "interval": "step"}}

    data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(24, 3)), batch_size=4)
    module = Tiny()
    trainer = pl.Trainer(max_epochs=2, accelerator="cpu", logger=False, enable_checkpointing=False,
                         enable_progress_bar=False, enable_model_summary=False)
    with warnings.catch_warnings(record=True) as caught:  # Lightning's own deprecations may warn
        warnings.simplefilter("always")
        trainer.fit(module, data)
    assert module.used == [WARM(t) for t in range(12)]
    assert _scheduler_warnings(caught) == []


def _scheduler_warnings(caught: list) -> list[str]:
    """Warnings raised by torch's or fastlr's scheduler code (others belong to the framework)."""
    return [str(w.message) for w in caught
            if "lr_scheduler" in w.filename or "fastlr" in w.filename or "scheduler" in str(w.message)]


def test_transformers_trainer_optimizers_tuple(tmp_path):
    transformers = pytest.importorskip("transformers", reason="transformers is not installed")
    pytest.importorskip("accelerate", reason="accelerate (needed by transformers.Trainer) is not installed")

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = make_model()

        def forward(self, x, labels=None):
            out = self.net(x)
            return {"loss": (out - labels).square().mean(), "logits": out}

    class Data(torch.utils.data.Dataset):
        def __len__(self):
            return 32

        def __getitem__(self, i):
            g = torch.Generator().manual_seed(i)
            return {"x": torch.randn(3, generator=g), "labels": torch.randn(1, generator=g)}

    model = Tiny()
    opt = make_opt(model)
    sched = LRScheduler(opt, WARM)
    used = record_used_lr(opt)
    args = transformers.TrainingArguments(
        output_dir=str(tmp_path), per_device_train_batch_size=4, max_steps=7, use_cpu=True,
        report_to=[], save_strategy="no", logging_strategy="no", disable_tqdm=True,
        dataloader_num_workers=0)
    with warnings.catch_warnings(record=True) as caught:  # transformers' own notices may warn
        warnings.simplefilter("always")
        transformers.Trainer(model=model, args=args, train_dataset=Data(), optimizers=(opt, sched)).train()
    assert [u[0] for u in used] == [WARM(t) for t in range(7)]
    assert sched.get_last_lr() == [WARM(7)]
    assert _scheduler_warnings(caught) == []


def test_compiled_step_is_used_only_where_it_applies(engine):
    s = engine.bind(WARM)
    opt = make_opt(make_model())
    sched = LRScheduler(opt, s)
    assert ("step" in vars(sched)) == (engine.name == "cython")

    class Custom(LRScheduler):
        def step(self, epoch=None):
            super().step(epoch)

    assert "step" not in vars(Custom(make_opt(make_model()), s))


def test_compiled_and_python_steps_agree_through_every_transition(engine):
    """Plain steps, step(epoch), a tensor lr, an optimizer reload: both paths give the same LRs."""
    def lrs(use_fast: bool) -> list[float]:
        s = engine.bind(WARM)
        model = make_model()
        opt = torch.optim.SGD([{"params": model[0].parameters()}, {"params": model[2].parameters()}], lr=0.1)
        sched = LRScheduler(opt, [s, engine.bind(OTHER)], scale=[None, 3.0])
        if not use_fast:
            vars(sched).pop("step", None)
        used = record_used_lr(opt)
        train(model, opt, sched, 3)
        sched.step(10)
        train(model, opt, sched, 2)
        saved = opt.state_dict()
        train(model, opt, sched, 2)
        opt.load_state_dict(saved)  # back to count 12
        train(model, opt, sched, 3)
        return used + [sched.get_last_lr(), [g[STEP_KEY] for g in opt.param_groups]]

    expected = [[WARM(t), 3.0 * OTHER(t)] for t in [0, 1, 2, 10, 11, 12, 13, 12, 13, 14]]
    assert lrs(True) == lrs(False) == expected + [[WARM(15), 3.0 * OTHER(15)], [15, 15]]


def test_deepcopy_drives_its_own_optimizer():
    import copy
    opt = make_opt(make_model())
    sched = LRScheduler(opt, WARM)
    twin = copy.deepcopy(sched)
    assert twin.optimizer is not opt
    for _ in range(3):
        twin.step()
    assert opt.param_groups[0]["lr"] == WARM(0) and opt.param_groups[0][STEP_KEY] == 0
    assert twin.optimizer.param_groups[0]["lr"] == WARM(3)
    assert ("step" in vars(twin)) == ("step" in vars(sched))


def test_compiled_step_drives_any_number_of_groups(engine):
    """No group limit: 40 groups with their own schedules and scales, compiled and Python paths."""
    model = torch.nn.ModuleList(torch.nn.Linear(1, 1) for _ in range(40))
    opt = torch.optim.SGD([{"params": m.parameters()} for m in model], lr=0.1)
    schedules = [engine.bind(fastlr.warmup_cosine(1e-3 * (i + 1), 3, 20)) for i in range(40)]
    scales = [None if i % 2 else 0.5 * i for i in range(40)]
    sched = LRScheduler(opt, schedules, scale=scales)
    assert ("step" in vars(sched)) == (engine.name == "cython")
    for _ in range(5):
        opt.step()
        sched.step()
    want = [s(5) if c is None else c * s(5) for s, c in zip(schedules, scales)]
    assert [g["lr"] for g in opt.param_groups] == want


def test_the_stepper_comes_from_the_engine_switch():
    from fastlr import _engine
    stepper = _engine.stepper()
    if fastlr.BACKEND == "python":
        assert stepper is None
    else:
        assert stepper is not None and stepper.drives([WARM])


@pytest.mark.compiled
def test_a_compiled_engine_without_its_stepper_warns_instead_of_degrading_silently(monkeypatch):
    import sys
    from fastlr import _engine
    monkeypatch.setattr(_engine, "BACKEND", "cython")
    monkeypatch.setattr(_engine, "_STEPPER", None)
    monkeypatch.setitem(sys.modules, "fastlr._stepper_c", None)  # the import fails
    with pytest.warns(RuntimeWarning, match=r"fastlr\._stepper_c did not .*runs in Python"):
        sched = LRScheduler(make_opt(make_model()), WARM)
    assert "step" not in vars(sched)
    sched.optimizer.step()
    sched.step()
    assert sched.get_last_lr() == [WARM(1)]


# ---------------------------------------------------------------- call order warning (as torch's)

ORDER = "Detected call of `lr_scheduler.step()` before `optimizer.step()`"


def _order_warnings(make_sched, scheduler_first: bool, steps: int = 3) -> list[warnings.WarningMessage]:
    """Run a short loop; return the call-order warnings it raised."""
    model = make_model()
    opt = make_opt(model)
    sched = make_sched(opt)  # the constructor's own initial step must not warn (filterwarnings=error)
    data = torch.randn(steps, 5, 3, generator=torch.Generator().manual_seed(2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(steps):
            model(data[i]).square().mean().backward()
            if scheduler_first:
                sched.step()
                opt.step()
            else:
                opt.step()
                sched.step()
            opt.zero_grad()
    return [w for w in caught if str(w.message).startswith(ORDER)]


def _sequential(make_child):
    return lambda opt: torch.optim.lr_scheduler.SequentialLR(opt, [make_child(opt, WARM), make_child(opt, OTHER)],
                                                             milestones=[2])


@pytest.mark.parametrize("scheduler_first", [True, False], ids=["scheduler first", "optimizer first"])
@pytest.mark.parametrize("container", ["plain", "SequentialLR"])
def test_call_order_warning_matches_torch(engine, scheduler_first, container):
    def ours(opt, s):
        return LRScheduler(opt, engine.bind(s))

    def theirs(opt, s):
        return torch.optim.lr_scheduler.LambdaLR(opt, s)

    if container == "plain":
        got = _order_warnings(lambda opt: ours(opt, WARM), scheduler_first)
        expected = _order_warnings(lambda opt: theirs(opt, WARM), scheduler_first)
    else:
        got = _order_warnings(_sequential(ours), scheduler_first)
        expected = _order_warnings(_sequential(theirs), scheduler_first)
    assert len(got) == len(expected) == (1 if scheduler_first else 0)
    assert all(w.category is UserWarning for w in got)
    if container == "plain":  # it points at the line that called step()
        assert all(w.filename == __file__ for w in got)


def test_no_order_warning_where_order_cannot_skip_a_value(engine):
    s = engine.bind(WARM)
    assert _order_warnings(lambda opt: LRScheduler(opt, s, follow_optimizer=True), scheduler_first=True) == []

    def set_count_first(opt):
        sched = LRScheduler(opt, s)
        sched.step(0)  # step(epoch) sets the count: nothing skipped, and the check is spent
        return sched

    assert _order_warnings(set_count_first, scheduler_first=True) == []


def test_the_compiled_step_takes_over_after_the_checked_first_step(engine):
    opt = make_opt(make_model())
    sched = LRScheduler(opt, engine.bind(WARM))
    opt.step()
    sched.step()
    sched.step()
    assert opt.param_groups[0]["lr"] == WARM(2)

    def stepper(sched):
        return type(getattr(vars(sched).get("step"), "__self__", None)).__name__

    assert (stepper(sched) == "GroupStepper") == (engine.name == "cython")
    assert stepper(copy_of(sched)) == stepper(sched)


def copy_of(sched):
    import copy
    return copy.deepcopy(sched)


def test_a_deep_copied_scheduler_does_not_warn_falsely():
    """torch's own schedulers warn here even in the right order (their optimizer.step wrapper is gone)."""
    twin = copy_of(LRScheduler(make_opt(make_model()), WARM))
    twin.optimizer.step()
    twin.step()  # filterwarnings=error
    assert twin.optimizer.param_groups[0]["lr"] == WARM(1)


# ---------------------------------------------------------------- a torch optimizer where base_lr goes

def test_compat_constructors_given_a_torch_optimizer_say_what_to_pass():
    opt = torch.optim.SGD(make_model().parameters(), lr=0.1)
    with pytest.raises(TypeError) as info:
        fastlr.compat.torch.CosineAnnealingWarmRestarts(opt, T_0=10)
    assert str(info.value) == (
        "fastlr.compat.torch.CosineAnnealingWarmRestarts takes base_lr= where torch takes the optimizer: "
        "pass base_lr=0.1 (your optimizer's lr) and drive the optimizer with "
        "fastlr.torch.LRScheduler(optimizer, schedule)")
    tensor_lr = torch.optim.Adam(make_model().parameters(), lr=torch.tensor(0.25))
    with pytest.raises(TypeError, match=r"where transformers takes the optimizer: pass base_lr=0\.25 "):
        fastlr.compat.transformers.get_cosine_schedule_with_warmup(tensor_lr, 10, 100)
    with pytest.raises(TypeError, match=r"where timm takes the optimizer: pass base_lr=0\.1 "):
        fastlr.compat.timm.CosineLRScheduler(opt, t_initial=100)
    # the advice works: the same schedule, driven by the adapter
    s = fastlr.compat.torch.CosineAnnealingWarmRestarts(base_lr=0.1, T_0=10)
    LRScheduler(opt, s)
    assert opt.param_groups[0]["lr"] == s(0) == 0.1


def _named_model_and_adamw():
    model = torch.nn.ModuleDict({"embed": torch.nn.Linear(3, 4), "attn_q": torch.nn.Linear(4, 4),
                                 "attn_k": torch.nn.Linear(4, 4), "head": torch.nn.Linear(4, 1)})
    groups = [{"params": model[name].parameters(), "name": name} for name in model]
    return model, torch.optim.AdamW(groups, lr=0.0, weight_decay=0.0, betas=(0.9, 0.999))


def test_hyperparameters_follow_their_schedules_per_group(engine):
    """weight decay, beta1 and per-group lr multipliers (muP-style) on one clock, by name and regex."""
    import re
    model, opt = _named_model_and_adamw()
    lr = engine.bind(fastlr.warmup_cosine(1e-3, 5, 50))
    wd = engine.bind(fastlr.linear(0.1, 50, end=0.01))
    beta1 = engine.bind(fastlr.cosine(0.95, 20, end=0.85))
    sched = LRScheduler(opt, lr, scale={"embed": 10.0, re.compile(r"attn_.*"): 0.5},
                        hyperparams={"weight_decay": {re.compile(r"attn_.*|head"): wd},
                                     "betas[0]": beta1})
    assert "step" not in vars(sched)  # hyperparameters take the Python step
    seen = []
    for _ in range(12):
        seen.append([(g["lr"], g["weight_decay"], g["betas"]) for g in opt.param_groups])
        model["head"](model["attn_k"](model["attn_q"](model["embed"](torch.ones(2, 3))))).sum().backward()
        opt.step()
        opt.zero_grad()
        sched.step()
    for t, groups in enumerate(seen):
        (lr_e, wd_e, b_e), (lr_q, wd_q, b_q), (lr_k, wd_k, _), (lr_h, wd_h, b_h) = groups
        assert (lr_e, lr_q, lr_k, lr_h) == (10.0 * lr(t), 0.5 * lr(t), 0.5 * lr(t), lr(t))
        assert wd_e == 0.0 and wd_q == wd_k == wd_h == wd(t)
        assert b_e == b_q == b_h == (beta1(t), 0.999)
    state = sched.state_dict()
    assert state["hyperparams"]["weight_decay"] == [None, wd.to_dict(), wd.to_dict(), wd.to_dict()]


def test_sgd_momentum_follows_a_schedule(engine):
    model = make_model()
    opt = make_opt(model, momentum=0.9)
    m = engine.bind(fastlr.linear(0.85, 10, end=0.95))
    sched = LRScheduler(opt, WARM, hyperparams={"momentum": m})
    used = []
    for _ in range(12):
        used.append(opt.param_groups[0]["momentum"])
        opt.step()
        sched.step()
    assert used == [m(t) for t in range(12)]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"hyperparams": {"lr": WARM}}, ValueError, "cannot drive 'lr'"),
    ({"hyperparams": {"betas[x]": WARM}}, ValueError, "param-group keys like"),
    ({"hyperparams": {"momentum": WARM}}, ValueError, r"param group 0 has no 'momentum'"),
    ({"hyperparams": {"weight_decay": 0.1}}, TypeError, "must be a fastlr schedule"),
    ({"hyperparams": [WARM]}, TypeError, "hyperparams must be a mapping"),
    ({"scale": {1.5: 2.0}}, TypeError, "keys must be group indices, names or re.Pattern"),
])
def test_bad_hyperparameters_name_the_rule(kwargs, error, message):
    _, opt = _named_model_and_adamw()
    with pytest.raises(error, match=message):
        LRScheduler(opt, WARM, **kwargs)


def test_a_schedule_mapping_must_cover_every_group():
    _, opt = _named_model_and_adamw()
    with pytest.raises(ValueError, match=r"schedule has no entry for param group 3 \(name 'head'\)"):
        LRScheduler(opt, {"embed": WARM, "attn_q": WARM, 2: WARM})


@pytest.mark.parametrize("make, name", [
    (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), "momentum"),
    (lambda p: torch.optim.AdamW(p, lr=0.1), "betas"),
])
@pytest.mark.parametrize("which", ["OneCycleLR", "CyclicLR"])
def test_one_cycle_and_cyclic_momentum_follow_torch(make, name, which):
    """Migrating from torch's OneCycleLR/CyclicLR keeps their momentum cycling, bit for bit."""
    from fastlr.compat import torch as T
    kwargs = ({"max_lr": 1.0, "total_steps": 40, "three_phase": True} if which == "OneCycleLR"
              else {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "step_size_down": 3})

    def momenta(opt, sched, n=40):
        got = []
        for _ in range(n):
            held = opt.param_groups[0][name]
            got.append((opt.param_groups[0]["lr"], held[0] if name == "betas" else held))
            opt.step()
            sched.step()
        return got

    theirs = make([torch.nn.Parameter(torch.zeros(1))])
    want = momenta(theirs, getattr(torch.optim.lr_scheduler, which)(theirs, **kwargs))
    ours = make([torch.nn.Parameter(torch.zeros(1))])
    schedule = getattr(T, which)(**{"base_lr": 0.1, **kwargs})
    assert momenta(ours, LRScheduler(ours, schedule)) == want
    off = getattr(T, which)(**{"base_lr": 0.1, **kwargs, "cycle_momentum": False})
    plain = make([torch.nn.Parameter(torch.zeros(1))])
    assert {m for _, m in momenta(plain, LRScheduler(plain, off), 5)} == {0.9}
