"""Every service refuses an actor whose role does not allow it, before it does anything.

A service that forgot its permission check fails here: called by a producer operator with no
other arguments, it must raise NotAllowed, not a TypeError from its missing arguments.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

from satudata.core.errors import NotAllowed

SERVICE_MODULES = [
    "satudata.accounts.services",
    "satudata.catalog.services",
    "satudata.catalog.imports",
    "satudata.schedule.services",
    "satudata.portal.services",
]


def _services():
    modules = [importlib.import_module(m) for m in SERVICE_MODULES]
    for module in modules:
        for name, func in inspect.getmembers(module, inspect.isfunction):
            params = inspect.signature(func).parameters
            if (
                func.__module__ == module.__name__
                and not name.startswith("_")
                and "actor" in params
            ):
                yield f"{module.__name__}.{name}", func


SERVICES = dict(_services())


def test_services_were_found():
    assert len(SERVICES) >= 8


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_a_service_refuses_a_producer_operator(name, operator):
    func = SERVICES[name]
    # Services take keyword-only arguments; only the actor is given, so a service that checks
    # permission first raises NotAllowed and one that does not fails on its missing arguments.
    params = inspect.signature(func).parameters
    kwargs = {"actor": operator}
    for pname, p in params.items():
        if pname != "actor" and p.default is inspect.Parameter.empty and p.kind is p.KEYWORD_ONLY:
            kwargs[pname] = None
    with pytest.raises(NotAllowed):
        func(**kwargs)
