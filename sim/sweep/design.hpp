#pragma once
// Experimental designs for sweeps: which parameter values each design point
// takes. A design depends only on its spec (and the design seed), never on
// how the runs are later spread over threads or ranks.
//
// Point order is part of the contract, because analyses read results in it:
//   grid:             full factorial; the last parameter varies fastest.
//   zip:              the i-th value of every parameter together.
//   latin_hypercube:  `samples` points; each parameter's range is cut into
//                     `samples` equal strata and each stratum is used once.
//   sobol:            Saltelli's scheme for first- and total-order indices
//                     (Saltelli et al. 2010), in SALib's order with
//                     calc_second_order = False: for each of `samples` base
//                     rows j, the rows A_j, AB_j^(1) .. AB_j^(k), B_j, so
//                     samples x (k + 2) points. Base row j (1-based) is
//                     point j of the unscrambled Sobol' sequence with Joe-Kuo
//                     direction numbers: point 0, the origin, is skipped and
//                     no other points are.
//   morris:           `samples` trajectories of k + 1 points on a grid of
//                     `levels` levels (Morris 1991), in SALib's layout; the
//                     levels must be even, so that the step lands on the grid.
#include <cstdint>
#include <string>
#include <vector>

namespace orgsim::sweep {

enum class DesignKind { grid, zip, latin_hypercube, sobol, morris };

struct SweptParameter {
  std::string key;             // the dotted key as --set takes it, e.g. "departments.Sales.incentive_weight"
  std::vector<double> values;  // grid and zip: the values, in order
  double minimum = 0;          // sampled designs: the range [minimum, maximum]
  double maximum = 0;
  bool integer = false;  // an integer parameter: sampled values are rounded to the nearest integer
};

struct DesignSpec {
  DesignKind kind = DesignKind::grid;
  std::vector<SweptParameter> parameters;
  std::uint64_t samples = 0;  // latin_hypercube: points; sobol: base rows N; morris: trajectories r
  std::uint32_t levels = 4;   // morris: grid levels p
  std::uint64_t seed = 1;     // the design's own seed (latin_hypercube, morris; sobol uses none)
};

struct Design {
  std::vector<std::string> keys;            // one per parameter, in the spec's order
  std::vector<std::vector<double>> points;  // [point][parameter], values as they are set
  std::vector<std::vector<double>> unit;    // [point][parameter] in [0, 1] before scaling (sampled designs;
                                            // empty for grid and zip)
};

// The most runs (points x replicates) one sweep writes into its file, and so
// the most points a design may have. Each run costs the file about 430 bytes
// of chunk index from the moment it is created, whether or not it has run,
// and the sweep about 80 bytes of memory: at this limit 4.3 GB and 0.8 GB,
// for a file of at least 15 GB once the runs are done (1.5 KB a run for the
// smallest organizations). docs/sweeps.md gives the reasons in full.
constexpr std::uint64_t kMaxRuns = 10'000'000;

// The number of points `spec` gives, without drawing them; throws like
// make_design for an impossible spec.
std::uint64_t point_count(const DesignSpec& spec);

// Throws std::invalid_argument with a one-line reason for an impossible spec
// (no parameters, zip lists of different lengths, samples = 0 for a sampled
// design, minimum > maximum, fewer than 2 Morris levels, ...).
Design make_design(const DesignSpec& spec);

// A SALib problem description as JSON text: {"num_vars": k, "names": [...],
// "bounds": [[min, max], ...]} (grid and zip: the smallest and largest value).
std::string salib_problem_json(const DesignSpec& spec);

const char* design_name(DesignKind kind) noexcept;

}  // namespace orgsim::sweep
