"""icsatlas: England's NHS Integrated Care Systems as software.

The Python API starts from :func:`open_atlas`, which opens (and on first use builds)
the workspace's store; the domain packages (``register``, ``population``, ``finance``,
``contracts``) take and return plain typed objects or DataFrames.
"""

from icsatlas.errors import IcsatlasError, InputError

__version__ = "0.1.0"

__all__ = ["IcsatlasError", "InputError", "__version__"]
