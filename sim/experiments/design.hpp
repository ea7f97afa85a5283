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

#include "scenario/design_spec.hpp"

namespace orgsim::sweep {

struct Design {
  std::vector<std::string> keys;            // one per parameter, in the spec's order
  std::vector<std::vector<double>> points;  // [point][parameter], values as they are set
  std::vector<std::vector<double>> unit;    // [point][parameter] in [0, 1] before scaling (sampled designs;
                                            // empty for grid and zip)
};

// Throws std::invalid_argument with a one-line reason for an impossible spec
// (no parameters, zip lists of different lengths, samples = 0 for a sampled
// design, minimum > maximum, fewer than 2 Morris levels, ...).
Design make_design(const DesignSpec& spec);

// A SALib problem description as JSON text: {"num_vars": k, "names": [...],
// "bounds": [[min, max], ...]} (grid and zip: the smallest and largest value).
std::string salib_problem_json(const DesignSpec& spec);

}  // namespace orgsim::sweep
