"""``riskgrade serve``: the JSON API and the browser workbench, on the public Python API.

Install with ``pip install "riskgrade[serve]"``; run ``riskgrade serve --rules rules/``.

>>> from riskgrade.serve import ServeSettings
>>> ServeSettings(rules=("rules/",), token="t").max_body
67108864
"""

from .settings import ServeSettings


def create_app(settings: ServeSettings):  # type: ignore[no-untyped-def]
    """The ASGI application (FastAPI) for ``settings``; see ``riskgrade.serve.app``."""
    from .app import create_app as make

    return make(settings)


__all__ = ["ServeSettings", "create_app"]
