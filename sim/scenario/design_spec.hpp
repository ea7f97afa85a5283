#pragma once
// What a sweep's design is, as a scenario describes it: the kind, the swept
// parameters with their values or ranges, and the checks that make a spec
// possible. Drawing the points is experiments/design.hpp's job.
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

// The most runs (points x replicates) one sweep writes into its file, and so
// the most points a design may have. Each run costs the file about 430 bytes
// of chunk index from the moment it is created, whether or not it has run,
// and the sweep about 80 bytes of memory: at this limit 4.3 GB and 0.8 GB,
// for a file of at least 15 GB once the runs are done (1.5 KB a run for the
// smallest organizations). docs/sweeps.md gives the reasons in full.
constexpr std::uint64_t kMaxRuns = 10'000'000;

// The number of points `spec` gives, without drawing them; throws like
// make_design (experiments/design.hpp) for an impossible spec.
std::uint64_t point_count(const DesignSpec& spec);

// Whether the design samples a range (latin_hypercube, sobol, morris) rather
// than taking given values (grid, zip).
bool is_sampled(DesignKind kind) noexcept;

const char* design_name(DesignKind kind) noexcept;

}  // namespace orgsim::sweep
