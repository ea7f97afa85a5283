"""Read orgsim results files into xarray and pandas.

An orgsim results file (``orgsim run -o FILE.h5``) is HDF5 laid out as
netCDF-4: dimensions ``run``, ``step`` and ``department``; organization
observables over ``(run, step)``; department observables over
``(run, step, department)``; per-run ``seed``, ``replicate``, ``point`` and
``equilibrium_step``; and its provenance as attributes of the root group.
docs/output.md describes every variable.

    >>> from orgsim_analysis import open_results, tidy, provenance
    >>> results = open_results("results/default.h5")
    >>> results.code_knowledge.mean("run")            # mean over replicates, per step
    >>> tidy(results, ["purpose_mean", "dept_purpose_mean"])
    >>> provenance("results/default.h5")["scenario_hash"]
"""

from orgsim_analysis.results import PER_RUN_COORDINATES, PROVENANCE_ATTRIBUTES, open_results, provenance, tidy

__all__ = ["PER_RUN_COORDINATES", "PROVENANCE_ATTRIBUTES", "open_results", "provenance", "tidy"]
