"""torch's optimizers without the ``torch._dynamo`` import their methods trigger.

torch wraps ``Optimizer.add_param_group``, ``zero_grad``, ``state_dict``, ``load_state_dict``
and each optimizer's ``step`` in ``torch.compile`` helpers that import ``torch._dynamo`` on the
first call. That import pulls in sympy, the inductor configuration, pandas and scikit-learn
when installed: about 70 MB of resident memory in a process that never compiles anything.
The classes here run torch's own code for those methods with the helper layers taken off
(``inspect.unwrap``), in the grad mode the helpers would have set (gradients off unless the
optimizer is ``differentiable``). The arithmetic is torch's; only the compile hooks are gone.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import torch


def _undecorated(method: Any) -> Callable[..., Any]:
    """The plain function behind a bound method, every ``functools.wraps`` layer removed."""
    return inspect.unwrap(method.__func__)


class EagerOptimizer(torch.optim.Optimizer):
    """Mixin placed before a torch optimizer class: the same optimizer, never importing dynamo."""

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        _undecorated(super().add_param_group)(self, param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        _undecorated(super().zero_grad)(self, set_to_none)

    def state_dict(self) -> dict[str, Any]:
        return _undecorated(super().state_dict)(self)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        _undecorated(super().load_state_dict)(self, state_dict)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """torch's step, with gradients off as its wrapper would turn them off."""
        with torch.set_grad_enabled(bool(self.defaults.get("differentiable", False))):
            return _undecorated(super().step)(self, closure)


class EagerAdam(EagerOptimizer, torch.optim.Adam):
    """``torch.optim.Adam`` without the dynamo import."""


class EagerAdamW(EagerOptimizer, torch.optim.AdamW):
    """``torch.optim.AdamW`` without the dynamo import."""


class EagerSGD(EagerOptimizer, torch.optim.SGD):
    """``torch.optim.SGD`` without the dynamo import."""


class EagerAdagrad(EagerOptimizer, torch.optim.Adagrad):
    """``torch.optim.Adagrad`` without the dynamo import."""


class EagerLBFGS(EagerOptimizer, torch.optim.LBFGS):
    """``torch.optim.LBFGS`` without the dynamo import."""
