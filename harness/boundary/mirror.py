"""Mirror modules: the kata's stub, the trusted statement of its API, turned into classes
and functions that forward every call to the learner's process; and handles, the
learner's objects as the grader sees them."""

from __future__ import annotations

import ast
import dataclasses
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import syntax
from harness.boundary.failures import BoundaryFailure
from harness.learner.codec import ITERATOR

if TYPE_CHECKING:
    from harness.boundary.frontier import Boundary
    from harness.boundary.peer import Learner

# `__next__`: an iterator of the stub's (chat-application's Subscription) is stepped with
# `next(handle)`, one call each, and its StopIteration crosses back as itself. `__iter__` stays
# Handle's: `list(handle)` runs the whole iteration in the learner's process, in one message.
_FORWARDED_DUNDERS = ("__len__", "__contains__", "__getitem__", "__setitem__", "__delitem__",
                      "__call__", "__enter__", "__exit__", "__bool__", "__next__")


# -- the stub: the trusted statement of the API ----------------------------------------------

@dataclasses.dataclass
class Stub:
    """One module of the kata as its stub declares it."""

    name: str
    namespace: dict[str, Any]
    classes: list[str]  # every class, private ones too, in definition order
    functions: list[str]
    exceptions: list[str]
    dataclasses: dict[str, list[str]]
    public: list[str]

    @classmethod
    def load(cls, name: str, path: Path) -> Stub:
        source = Path(path).read_text(encoding="utf-8")
        tree = syntax.parse(source, str(path))
        module = types.ModuleType(name)
        module.__file__ = str(path)
        namespace = module.__dict__
        previous = sys.modules.get(name)
        sys.modules[name] = module  # dataclasses look their module up while being made
        try:
            exec(compile(tree, str(path), "exec"), namespace)  # the kata's own file, trusted
        finally:
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        functions = [n.name for n in tree.body
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        exceptions, shapes = [], {}
        for class_name in classes:
            value = namespace[class_name]
            value.__module__ = name
            if isinstance(value, type) and issubclass(value, BaseException):
                exceptions.append(class_name)
            elif dataclasses.is_dataclass(value):
                shapes[class_name] = [f.name for f in dataclasses.fields(value)]
        public = [n for n in classes + functions if not n.startswith("_")]
        return cls(name, namespace, classes, functions, exceptions, shapes, public)

    def describe(self) -> dict:
        """What the learner's process needs to know: names, never code."""
        return {"names": self.public, "classes": self.classes, "exceptions": self.exceptions,
                "dataclasses": self.dataclasses}


# -- handles: the learner's objects, seen from here -------------------------------------------

class Handle:
    """One of the learner's objects. Methods and attributes are forwarded; equality and
    hashing are by identity, whatever the learner's class says."""

    __slots__ = ("_kata_learner", "_kata_id", "__weakref__")
    __kata_mirror__ = True

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        mirror = cls.__dict__.get("_kata_mirror")
        if mirror is None:
            raise TypeError(f"{cls.__name__} objects come from the learner's code only")
        return mirror.construct(cls.__name__, args, kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_kata") or name in ("__deepcopy__", "__copy__", "__reduce_ex__",
                                                "__getstate__", "__length_hint__"):
            raise AttributeError(name)
        return learner_of(self).remote("get", self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_kata"):
            object.__setattr__(self, name, value)
        else:
            learner_of(self).remote("set", self, name, value)

    def __repr__(self) -> str:
        try:
            text = learner_of(self).call(self, "__repr__", (), {})
        except (Exception, BoundaryFailure):
            text = None
        return text if type(text) is str else f"<{type(self).__name__} of your code>"

    def __iter__(self) -> Iterator[Any]:
        return iter(learner_of(self).remote("iter", self))


def learner_of(handle: Handle) -> Learner:
    learner = object.__getattribute__(handle, "_kata_learner")
    learner.check_alive(f"this {type(handle).__name__} object")
    return learner


def _forward(name: str) -> Callable:
    def method(self: Handle, *args: Any, **kwargs: Any) -> Any:
        return learner_of(self).call(self, name, args, kwargs)

    method.__name__ = name
    return method


def _forward_property(name: str, settable: bool) -> property:
    def getter(self: Handle) -> Any:
        return learner_of(self).remote("get", self, name)

    def setter(self: Handle, value: Any) -> None:
        learner_of(self).remote("set", self, name, value)

    return property(getter, setter if settable else None)


class Callable_(Handle):
    """A function or other callable of the learner's (a decorator, a wrapped function)."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return learner_of(self).call(self, None, args, kwargs)

    @property
    def __doc__(self) -> Any:  # type: ignore[override]
        return learner_of(self).remote("get", self, "__doc__")


class Iterator_(Handle):
    """An iterator of the learner's of no class of the stub (a generator): `next(it)` is
    one call of its `__next__`, whose StopIteration comes back as itself; `list(it)` runs
    the whole iteration in the learner's process, in one message, as for any handle."""

    __slots__ = ()

    def __next__(self) -> Any:
        return learner_of(self).call(self, "__next__", (), {})


class Mirror:
    """The mirror modules of one learner process (or of whichever process is current)."""

    def __init__(self, boundary: Boundary, learner: Callable[[], Learner]) -> None:
        self.boundary = boundary
        self.learner = learner
        self.classes: dict[str, type] = {}
        self.modules: dict[str, types.ModuleType] = {}
        for stub in boundary.stubs.values():
            self.modules[stub.name] = self._module(stub)

    def _module(self, stub: Stub) -> types.ModuleType:
        module = types.ModuleType(stub.name, stub.namespace.get("__doc__"))
        for key, value in stub.namespace.items():
            if key not in ("__builtins__", "__name__", "__loader__", "__spec__"):
                setattr(module, key, value)
        module.__dict__["__kata_mirror__"] = True
        module.__file__ = f"<{stub.name}.py in the learner's process>"
        for name in stub.classes:
            if name in stub.exceptions or name in stub.dataclasses:
                continue
            mirrored = self._class(stub, stub.namespace[name])
            self.classes[f"{stub.name}.{name}"] = mirrored
            setattr(module, name, mirrored)
        for name in stub.functions:
            setattr(module, name, self._function(stub, name))
        return module

    def _class(self, stub: Stub, original: type) -> type:
        namespace: dict[str, Any] = {"__slots__": (), "__module__": stub.name,
                                     "__doc__": original.__doc__, "_kata_mirror": self}
        for key, value in vars(original).items():
            if isinstance(value, property):
                namespace[key] = _forward_property(key, value.fset is not None)
            elif isinstance(value, (staticmethod, classmethod)):
                namespace[key] = staticmethod(self._function(stub, f"{original.__name__}.{key}"))
            elif callable(value) and (not key.startswith("_") or key in _FORWARDED_DUNDERS):
                namespace[key] = _forward(key)
            elif not key.startswith("__") and not callable(value):
                namespace[key] = value  # a class constant, as the stub states it
        bases = tuple(self.classes.get(f"{stub.name}.{b.__name__}", None) or Handle
                      for b in original.__bases__ if b is not object) or (Handle,)
        bases = tuple(dict.fromkeys(bases))
        return type(original.__name__, bases, namespace)

    def _function(self, stub: Stub, name: str) -> Callable:
        mirror = self

        def function(*args: Any, **kwargs: Any) -> Any:
            return mirror.learner().call(("M", stub.name), name, args, kwargs)

        original = stub.namespace.get(name)
        function.__name__ = name.rpartition(".")[2]
        function.__qualname__ = name
        function.__module__ = stub.name
        function.__doc__ = getattr(original, "__doc__", None)
        function.__kata_mirror__ = True  # type: ignore[attr-defined]
        return function

    def construct(self, class_name: str, args: tuple, kwargs: dict) -> Any:
        for key, cls in self.classes.items():
            if cls.__name__ == class_name and cls.__dict__.get("_kata_mirror") is self:
                return self.learner().call(("M", key.partition(".")[0]), class_name, args, kwargs)
        raise TypeError(class_name)

    def handle(self, learner: Learner, key: int, stub_class: str, is_callable: bool) -> Handle:
        cls = self.classes.get(stub_class) or (
            Iterator_ if stub_class == ITERATOR else Callable_ if is_callable else Handle)
        handle: Handle = object.__new__(cls)
        object.__setattr__(handle, "_kata_learner", learner)
        object.__setattr__(handle, "_kata_id", key)
        return handle
