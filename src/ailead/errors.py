"""The one error type ailead raises for bad input.

Every message names where the problem is (file, field), the value given and what is allowed, so
that the CLI can print it as one plain line and exit with status 2.
"""


class AileadError(ValueError):
    """Bad input: a scenario, parameter, value or request that ailead cannot use."""
