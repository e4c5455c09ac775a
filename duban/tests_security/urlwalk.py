"""Every URL pattern of a URL conf, with its namespaced name, full route and converters."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver
from django.urls.resolvers import RegexPattern, RoutePattern


@dataclass
class Url:
    key: str  # "ns:name", or the full route of an unnamed pattern
    name: str | None
    route: str
    converters: tuple[str, ...]
    callback: object

    @property
    def view_path(self):
        view = getattr(self.callback, "view_class", None) or self.callback
        return f"{getattr(view, '__module__', '?')}.{getattr(view, '__qualname__', repr(view))}"


def _converter_names(pattern):
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return ()


def walk(patterns, prefix="", namespace="", converters=()):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        names = converters + _converter_names(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, route, ns, names)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Url(key=name or route, name=name, route=route, converters=names, callback=pattern.callback)
