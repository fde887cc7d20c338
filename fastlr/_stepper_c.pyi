"""Type stub of fastlr/_stepper_c.pyx, the compiled ``fastlr.torch.LRScheduler.step``."""

from typing import Any, Callable, Iterable, Sequence

from typing_extensions import disjoint_base

def drives(schedules: Iterable[object]) -> bool: ...

@disjoint_base
class GroupStepper:
    """Advance ``group[key]`` and set ``group["lr"]`` for every param group of an optimizer."""

    def __init__(self, optimizer: Any, schedules: Sequence[object], scales: Sequence[float | None],
                 key: str, advance: bool, state: dict[str, Any],
                 fallback: Callable[[int | None], None]) -> None: ...
    def step(self, epoch: int | None = None) -> None: ...
