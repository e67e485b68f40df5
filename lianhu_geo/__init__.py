"""lianhu_geo: property-management planning for residential compounds.

Bundle neighbouring unmanaged compounds into 片区大物业 bundles, give every
other unmanaged compound a fallback service mode, build the five-level 邻里格
grid, and export meeting maps.

Each public function lives in one module named after its concept and is
re-exported here; ``__all__`` is the union of the modules' own ``__all__``.
"""

from importlib.metadata import PackageNotFoundError, version

from . import compounds, coords, errors, readers, sample
from .compounds import *  # noqa: F403
from .coords import *  # noqa: F403
from .errors import *  # noqa: F403
from .readers import *  # noqa: F403
from .sample import *  # noqa: F403

try:
    __version__ = version("lianhu_geo")
except PackageNotFoundError:  # running from a source checkout
    __version__ = "0.1.0"

__all__ = sorted(
    {
        *compounds.__all__,
        *coords.__all__,
        *errors.__all__,
        *readers.__all__,
        *sample.__all__,
    }
)
