"""Command line: python3 -m orgsim_analysis COMMAND FILE [options].

Exit status: 0 done; 2 bad input (a missing file, a file that is not an
orgsim results file, an unknown variable, department or parameter, a file
the command does not apply to, a bad option); 3 the output (it exists
without --force, or its directory is missing or read-only). Errors are one
line on stderr, and nothing is written when one occurs.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

BAD_INPUT = 2
OUTPUT_ERROR = 3
PROGRAM = "orgsim_analysis"


class UsageError(Exception):
    """A command line argparse refuses."""


class Parser(argparse.ArgumentParser):
    """argparse, with its errors raised as one line rather than a usage block."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message} (--help lists the options)")


def size(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` in pixels."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT in pixels, e.g. 1000x560") from None
    if not (50 <= width <= 10000 and 50 <= height <= 10000):
        raise argparse.ArgumentTypeError(f"{text!r}: width and height must be 50 to 10000 pixels")
    return width, height


def build_parser() -> Parser:
    from orgsim_analysis.report import DEFAULT_DEPARTMENT_OUTCOME, DEFAULT_OUTCOME

    parser = Parser(prog=f"python3 -m {PROGRAM}", description="Summaries, figures and reports of orgsim "
                    "results files (orgsim run, sweep and compare).")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="COMMAND")

    def command(name, help_text, default_variable=DEFAULT_OUTCOME):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("file", metavar="FILE", help="results file")
        if default_variable:
            sub.add_argument("--variable", default=default_variable,
                             help=f"observable to show (default: {default_variable})")
        return sub

    def png(sub, default_size):
        sub.add_argument("-o", "--output", required=True, metavar="PNG", help="figure to write")
        sub.add_argument("--size", type=size, default=default_size, metavar="WxH",
                         help=f"pixels (default: {default_size[0]}x{default_size[1]})")
        sub.add_argument("--force", action="store_true", help="replace an existing output")

    from orgsim_analysis import output as sizes

    summary = command("summary", "Mean and 95%% interval over replicates of outcomes at the end of the horizon, "
                      "per point or scenario", default_variable=None)
    summary.add_argument("--variable", action="append", help="observable (repeatable; default: the key outcomes)")
    summary.add_argument("--department", help="a department, for department observables")
    summary.add_argument("--over-time", action="store_true", help="every step, not only the last")
    summary.add_argument("--csv", action="store_true", help="comma-separated values instead of a table")

    timeseries = command("timeseries", "An outcome over time, one line and 95%% band per point or scenario")
    timeseries.add_argument("--department", help="a department, for department observables")
    png(timeseries, sizes.TIMESERIES_SIZE)

    heatmap = command("heatmap", "An outcome at the end of the horizon over two swept parameters")
    heatmap.add_argument("--x", help="swept parameter along x (default: the first)")
    heatmap.add_argument("--y", help="swept parameter along y (default: the second)")
    heatmap.add_argument("--department", help="a department, for department observables")
    png(heatmap, sizes.HEATMAP_SIZE)

    departments = command("departments", "A department observable, one panel per department",
                          default_variable=DEFAULT_DEPARTMENT_OUTCOME)
    png(departments, sizes.DEPARTMENTS_SIZE)

    sensitivity = command("sensitivity", "Sobol or Morris indices of an outcome at the end of the horizon, "
                          "printed and drawn")
    sensitivity.add_argument("--department", help="a department, for department observables")
    sensitivity.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default: 1000)")
    sensitivity.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: 0)")
    png(sensitivity, sizes.SENSITIVITY_SIZE)

    report = command("report", "A directory with the figures that apply and an index.html")
    report.add_argument("--department-variable", default=DEFAULT_DEPARTMENT_OUTCOME,
                        help=f"department observable for the panels (default: {DEFAULT_DEPARTMENT_OUTCOME})")
    report.add_argument("-o", "--output", required=True, metavar="DIR", help="report directory to write")
    report.add_argument("--force", action="store_true", help="replace an existing report directory")
    return parser


def run(arguments) -> None:
    from orgsim_analysis.output import check_output
    from orgsim_analysis.results import open_results

    if arguments.command == "report":
        from orgsim_analysis.report import report

        written = report(arguments.file, arguments.output, variable=arguments.variable,
                         department_variable=arguments.department_variable, force=arguments.force)
        print(f"wrote {os.path.join(arguments.output, 'index.html')} and {len(written) - 1} figure(s)")
        return
    with open_results(arguments.file) as dataset:
        if arguments.command == "summary":
            _summary(dataset, arguments)
            return
        output = check_output(arguments.output, force=arguments.force)
        from orgsim_analysis import plots

        if arguments.command == "timeseries":
            plots.timeseries(dataset, arguments.variable, output, department=arguments.department,
                             size=arguments.size)
        elif arguments.command == "heatmap":
            plots.heatmap(dataset, arguments.variable, output, x=arguments.x, y=arguments.y,
                          department=arguments.department, size=arguments.size)
        elif arguments.command == "departments":
            plots.departments(dataset, arguments.variable, output, size=arguments.size)
        elif arguments.command == "sensitivity":
            from orgsim_analysis.sensitivity import sensitivity_indices

            table = sensitivity_indices(dataset, arguments.variable, department=arguments.department,
                                        resamples=arguments.resamples, seed=arguments.seed)
            method = "Sobol" if table.attrs["method"] == "sobol" else "Morris"
            title = f"{method} indices of {arguments.variable} (end of horizon)"
            plots.sensitivity(table, output, title=title, size=arguments.size)
            print(title)
            print(table.to_string(float_format=lambda value: f"{value:.4f}"))
        print(f"wrote {arguments.output}")


def _summary(dataset, arguments) -> None:
    import pandas as pd

    from orgsim_analysis.summaries import key_outcomes, replicate_summary

    names = arguments.variable or key_outcomes(dataset)
    if not names:
        raise ValueError("the file marks no key outcome (no key_outcome attribute): name outcomes with --variable")
    frames = []
    for name in names:
        frame = replicate_summary(dataset, name, over_time=arguments.over_time, department=arguments.department)
        frames.append(frame.assign(variable=name))
    table = pd.concat(frames, ignore_index=True)
    if arguments.csv:
        table.to_csv(sys.stdout, index=False)
    else:
        # The label already names the swept values; their own columns are for --csv.
        columns = ["variable", "point", "label"] + [name for name in ("department", "step") if name in table]
        text = table[columns + ["n", "mean", "low", "high"]]
        print(text.to_string(index=False, float_format=lambda value: f"{value:.4f}"))


def main(argv=None) -> int:
    # Debian's netCDF4 was built against an older numpy and says so on import; harmless.
    warnings.filterwarnings("ignore", "numpy.ndarray size changed", RuntimeWarning)
    from orgsim_analysis.output import OutputError
    from orgsim_analysis.results import ResultsFileError

    try:
        arguments = build_parser().parse_args(argv)
        run(arguments)
    except UsageError as error:
        print(error, file=sys.stderr)
        return BAD_INPUT
    except OutputError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return OUTPUT_ERROR
    except (FileNotFoundError, ResultsFileError, KeyError, ValueError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        where = "" if str(message).startswith(arguments.file) else f"{arguments.file}: "
        print(f"{PROGRAM}: error: {where}{message}", file=sys.stderr)
        return BAD_INPUT
    return 0


if __name__ == "__main__":
    sys.exit(main())
