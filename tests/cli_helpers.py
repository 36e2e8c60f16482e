"""Running the `ailead` command line in-process, for the CLI tests."""

from typer.testing import CliRunner

from ailead.cli import app

runner = CliRunner()


def invoke(*args):
    """Run `ailead ARGS...` (each argument as a string) and return the click Result."""
    return runner.invoke(app, [str(a) for a in args])


def ok(*args):
    """Run `ailead ARGS...`, asserting success without a traceback."""
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result
